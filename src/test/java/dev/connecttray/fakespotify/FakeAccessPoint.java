package dev.connecttray.fakespotify;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.spotify.Authentication;
import com.spotify.Keyexchange;
import com.spotify.Mercury;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spotify access point on 127.0.0.1 speaking the real handshake: ClientHello, a Diffie-Hellman
 * challenge signed with the {@link TestServerKey}, the HMAC challenge response, then Shannon-
 * encrypted packets: the login and, after an APWelcome, Mercury requests (keymaster tokens,
 * context-resolve) and audio keys for the tracks of its {@link FakeCatalog}.
 *
 * <p>Two settings apart from the {@link Mode}: the {@link Behaviour} (which year's Spotify: since
 * 2025-08 keymaster refuses every token request) and the {@link AudioKeys} answer.
 */
public final class FakeAccessPoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeAccessPoint.class);

    /** RFC 2409 Oakley group 1 (768 bit), generator 2: the group librespot uses. */
    private static final BigInteger DH_PRIME = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
                    + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
                    + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF", 16);
    private static final BigInteger DH_GENERATOR = BigInteger.TWO;
    private static final int MAX_HANDSHAKE_MESSAGE = 64 * 1024;
    private static final int MAX_PACKETS_PER_CONNECTION = 10_000;

    /**
     * librespot's MercuryClient registers a request's callback only after sending it, and drops an
     * answer that arrives first ("Skipped Mercury response"); Spotify's network latency hides that
     * race, loopback under load does not. The fake answers Mercury requests after this long.
     */
    static final Duration MERCURY_LATENCY = Duration.ofMillis(25);

    static final int CMD_PING = 0x04;
    static final int CMD_PONG = 0x49;
    static final int CMD_PONG_ACK = 0x4a;
    static final int CMD_REQUEST_KEY = 0x0c;
    static final int CMD_AES_KEY = 0x0d;
    static final int CMD_AES_KEY_ERROR = 0x0e;
    static final int CMD_COUNTRY_CODE = 0x1b;
    static final int CMD_LOGIN = 0xab;
    static final int CMD_AP_WELCOME = 0xac;
    static final int CMD_AUTH_FAILURE = 0xad;
    static final int CMD_MERCURY_REQ = 0xb2;
    static final int CMD_MERCURY_SUB = 0xb3;
    static final int CMD_MERCURY_UNSUB = 0xb4;
    static final String CONTEXT_RESOLVE = "hm://context-resolve/v1/";

    /** AesKeyError code for a (gid, file id) the catalog does not have. */
    public static final int AUDIO_KEY_ERROR_UNKNOWN = 2;
    /** AesKeyError code Spotify answers to every request of the accounts it refuses keys to. */
    public static final int AUDIO_KEY_ERROR_REFUSED = 1;

    /**
     * Which Spotify the access point plays, for what changed on Spotify's side without any client
     * changing. Independent of the {@link Mode}.
     */
    public enum Behaviour {
        /**
         * Spotify as of 2026 (the default): {@code hm://keymaster/token/authenticated} answers 403 to
         * everyone (so since 2025-08); tokens come from login5 instead.
         */
        SPOTIFY_2026,
        /** Spotify as of 2023, what librespot-java 1.6.3 was written for: keymaster hands out tokens. */
        LEGACY_2023
    }

    /** How the access point answers audio key requests (packet 0x0c). */
    public enum AudioKeys {
        /** The key of the catalog's track with that gid and file id; AesKeyError 2 for anything else. */
        FROM_CATALOG,
        /**
         * AesKeyError code 1 for every request: what Spotify answers since about 2025-11 to accounts
         * created since about 2024-12.
         */
        REFUSED
    }

    /** What the access point does with the next connection or login. Read at each step. */
    public sealed interface Mode {
        /**
         * Welcome the user (whatever the credentials); keymaster tokens are handed out with
         * {@link Behaviour#LEGACY_2023} and refused (403) with {@link Behaviour#SPOTIFY_2026}.
         */
        record LoginOk(String username) implements Mode {
            public LoginOk {
                Objects.requireNonNull(username);
            }
        }

        /** Welcome the user, then answer keymaster token requests with status 403 (whatever the behaviour). */
        record TokenRefused(String username) implements Mode {
            public TokenRefused {
                Objects.requireNonNull(username);
            }
        }

        /** Answer the encrypted login with an AuthFailure packet (0xad). */
        record AuthFailure(Keyexchange.ErrorCode code) implements Mode {
            public AuthFailure {
                Objects.requireNonNull(code);
            }
        }

        /** Answer the challenge response with an unencrypted APResponseMessage.login_failed. */
        record LoginFailedPlaintext(Keyexchange.ErrorCode code) implements Mode {
            public LoginFailedPlaintext {
                Objects.requireNonNull(code);
            }
        }

        /** Accept the TCP connection and never answer. */
        record Silent() implements Mode {
        }

        /** Accept the TCP connection and close it at once. */
        record CloseImmediately() implements Mode {
        }
    }

    /** How a login ended. */
    public enum Outcome { WELCOMED, AUTH_FAILURE, LOGIN_FAILED_PLAINTEXT }

    /** An accepted TCP connection. */
    public record Connection(int id, long nanoTime) {
    }

    /**
     * A login the fake answered. For {@link Outcome#LOGIN_FAILED_PLAINTEXT} no credentials were
     * sent yet: username and type are null.
     */
    public record Login(int connectionId, String username, Authentication.AuthenticationType type,
                        String deviceId, Outcome outcome, long nanoTime) {
    }

    /** A Mercury request and the status the fake answered. */
    public record MercuryRequest(int connectionId, String method, String uri, int status, long nanoTime) {
    }

    /**
     * An audio key request (packet 0x0c) and the answer: the key (AesKey, 0x0d) or an error code
     * (AesKeyError, 0x0e).
     *
     * @param keyHex    the key answered, null when an error was
     * @param errorCode the AesKeyError code answered, -1 when a key was
     */
    public record AudioKeyRequest(int connectionId, String gidHex, String fileIdHex, int seq, String keyHex,
                                  int errorCode, long nanoTime) {
        public boolean answeredKey() {
            return keyHex != null;
        }
    }

    private final ServerSupport server;
    private final KeyPair serverKey;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicInteger tokenIds = new AtomicInteger();
    private final EventLog<Connection> connections = new EventLog<>();
    private final EventLog<Login> logins = new EventLog<>();
    private final EventLog<MercuryRequest> mercuryRequests = new EventLog<>();
    private final EventLog<String> handshakeFailures = new EventLog<>();
    private final EventLog<AudioKeyRequest> audioKeyRequests = new EventLog<>();
    private final FakeCatalog catalog;
    private volatile Mode mode = new Mode.LoginOk("fake-user");
    private volatile Behaviour behaviour = Behaviour.SPOTIFY_2026;
    private volatile AudioKeys audioKeys = AudioKeys.FROM_CATALOG;

    /**
     * @param serverKey the key whose modulus is in librespot's {@code Session.serverKey}, see
     *                  {@link TestServerKey#install()}
     * @param lifetime  after this the server closes itself
     */
    public FakeAccessPoint(KeyPair serverKey, Duration lifetime) {
        this(serverKey, lifetime, new FakeCatalog());
    }

    /**
     * @param catalog the tracks whose audio keys (and contexts) the access point serves
     */
    public FakeAccessPoint(KeyPair serverKey, Duration lifetime, FakeCatalog catalog) {
        this.serverKey = Objects.requireNonNull(serverKey);
        this.catalog = Objects.requireNonNull(catalog);
        this.server = new ServerSupport("accesspoint", lifetime, ServerSocket::new, this::handle);
    }

    public FakeAccessPoint start() throws IOException {
        server.listen();
        return this;
    }

    public int port() {
        return server.port();
    }

    public Mode mode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode);
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /** Read at each request: takes effect on open connections too. */
    public void setBehaviour(Behaviour behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour);
    }

    public AudioKeys audioKeys() {
        return audioKeys;
    }

    /** Read at each request: takes effect on open connections too. */
    public void setAudioKeys(AudioKeys audioKeys) {
        this.audioKeys = Objects.requireNonNull(audioKeys);
    }

    public FakeCatalog catalog() {
        return catalog;
    }

    /** Closes every open connection (logged-in sessions see end of stream); keeps listening. */
    public void dropAllConnections() {
        server.dropAllConnections();
    }

    /** Stops listening: new connections are refused. Open connections stay. */
    public void refuseConnections() {
        server.stopListening();
    }

    /** Listens again, on the same port. */
    public void acceptConnections() throws IOException {
        server.listen();
    }

    public boolean isListening() {
        return server.isListening();
    }

    public EventLog<Connection> connections() {
        return connections;
    }

    public EventLog<Login> logins() {
        return logins;
    }

    public EventLog<MercuryRequest> mercuryRequests() {
        return mercuryRequests;
    }

    /** Audio key requests and what the fake answered. */
    public EventLog<AudioKeyRequest> audioKeyRequests() {
        return audioKeyRequests;
    }

    /** Connections whose handshake went wrong (bad framing, bad HMAC), with the reason. */
    public EventLog<String> handshakeFailures() {
        return handshakeFailures;
    }

    @Override
    public void close() {
        server.close();
    }

    // ------------------------------------------------------------------ connection

    private void handle(Socket socket) {
        int id = connectionIds.incrementAndGet();
        connections.add(new Connection(id, System.nanoTime()));
        Mode m = mode;
        try {
            if (m instanceof Mode.CloseImmediately) return;
            if (m instanceof Mode.Silent) {
                drain(socket.getInputStream());
                return;
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            ShannonCodec codec = handshake(id, in, out);
            if (codec == null) return;
            serveLogin(id, socket, codec, in, out);
        } catch (EOFException | SocketTimeoutException ex) {
            LOG.debug("fake AP #{}: {}", id, ex.toString());
        } catch (IOException ex) {
            if (!server.isClosed()) LOG.debug("fake AP #{}: connection ended", id, ex);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Runs the key exchange; returns the cipher pair, or null when the connection is done. */
    private ShannonCodec handshake(int id, DataInputStream in, DataOutputStream out)
            throws IOException, GeneralSecurityException {
        ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        DataOutputStream acc = new DataOutputStream(transcript);

        // ClientHello: 0x00 0x04, length (including these 6 bytes), protobuf
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int helloLength = in.readInt();
        if (b0 != 0 || b1 != 4 || helloLength <= 6 || helloLength > MAX_HANDSHAKE_MESSAGE) {
            handshakeFailures.add("#" + id + " bad ClientHello framing");
            return null;
        }
        byte[] helloBytes = new byte[helloLength - 6];
        in.readFully(helloBytes);
        acc.writeByte(b0);
        acc.writeByte(b1);
        acc.writeInt(helloLength);
        acc.write(helloBytes);
        Keyexchange.ClientHello hello = Keyexchange.ClientHello.parseFrom(helloBytes);
        BigInteger gc = new BigInteger(1, hello.getLoginCryptoHello().getDiffieHellman().getGc().toByteArray());

        // APResponseMessage with our DH public value, signed
        byte[] privateBytes = new byte[95];
        random.nextBytes(privateBytes);
        BigInteger privateKey = new BigInteger(1, privateBytes);
        byte[] gs = unsigned(DH_GENERATOR.modPow(privateKey, DH_PRIME));
        byte[] sharedKey = unsigned(gc.modPow(privateKey, DH_PRIME));
        Signature signer = Signature.getInstance("SHA1withRSA");
        signer.initSign(serverKey.getPrivate());
        signer.update(gs);
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] response = Keyexchange.APResponseMessage.newBuilder()
                .setChallenge(Keyexchange.APChallenge.newBuilder()
                        .setLoginCryptoChallenge(Keyexchange.LoginCryptoChallengeUnion.newBuilder()
                                .setDiffieHellman(Keyexchange.LoginCryptoDiffieHellmanChallenge.newBuilder()
                                        .setGs(ByteString.copyFrom(gs))
                                        .setServerSignatureKey(1)
                                        .setGsSignature(ByteString.copyFrom(signer.sign()))))
                        .setFingerprintChallenge(Keyexchange.FingerprintChallengeUnion.getDefaultInstance())
                        .setPowChallenge(Keyexchange.PoWChallengeUnion.getDefaultInstance())
                        .setCryptoChallenge(Keyexchange.CryptoChallengeUnion.getDefaultInstance())
                        .setServerNonce(ByteString.copyFrom(nonce)))
                .build().toByteArray();
        out.writeInt(4 + response.length);
        out.write(response);
        out.flush();
        acc.writeInt(4 + response.length);
        acc.write(response);

        // ClientResponsePlaintext: length (including these 4 bytes), protobuf
        int answerLength = in.readInt();
        if (answerLength <= 4 || answerLength > MAX_HANDSHAKE_MESSAGE) {
            handshakeFailures.add("#" + id + " bad ClientResponsePlaintext framing");
            return null;
        }
        byte[] answerBytes = new byte[answerLength - 4];
        in.readFully(answerBytes);
        Keyexchange.ClientResponsePlaintext answer = Keyexchange.ClientResponsePlaintext.parseFrom(answerBytes);

        // Both sides derive 5 HMAC blocks from the shared key over the transcript; the first
        // block keys the challenge HMAC, the next two are the client's send and receive keys.
        byte[] blocks = deriveBlocks(sharedKey, transcript.toByteArray());
        byte[] expected = hmacSha1(Arrays.copyOfRange(blocks, 0, 0x14), transcript.toByteArray());
        byte[] got = answer.getLoginCryptoResponse().getDiffieHellman().getHmac().toByteArray();
        if (!MessageDigest.isEqual(expected, got)) {
            handshakeFailures.add("#" + id + " challenge HMAC mismatch");
            return null;
        }

        if (mode instanceof Mode.LoginFailedPlaintext failed) {
            byte[] message = Keyexchange.APResponseMessage.newBuilder()
                    .setLoginFailed(Keyexchange.APLoginFailed.newBuilder().setErrorCode(failed.code()))
                    .build().toByteArray();
            // recorded before answering: the client may fail (and the test look) at once
            logins.add(new Login(id, null, null, null, Outcome.LOGIN_FAILED_PLAINTEXT, System.nanoTime()));
            // one write, so that the client's single 4-byte read sees the whole length
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            new DataOutputStream(packet).writeInt(4 + message.length);
            packet.write(message);
            out.write(packet.toByteArray());
            out.flush();
            drain(in);
            return null;
        }
        byte[] clientSend = Arrays.copyOfRange(blocks, 0x14, 0x34);
        byte[] clientRecv = Arrays.copyOfRange(blocks, 0x34, 0x54);
        return new ShannonCodec(clientRecv, clientSend);
    }

    private void serveLogin(int id, Socket socket, ShannonCodec codec, DataInputStream in, DataOutputStream out)
            throws IOException {
        ShannonCodec.ApPacket loginPacket = codec.receive(in);
        if (loginPacket.cmd() != CMD_LOGIN) {
            handshakeFailures.add("#" + id + " expected login packet, got 0x" + Integer.toHexString(loginPacket.cmd()));
            return;
        }
        Authentication.ClientResponseEncrypted login = Authentication.ClientResponseEncrypted.parseFrom(loginPacket.payload());
        Authentication.LoginCredentials credentials = login.getLoginCredentials();
        String deviceId = login.getSystemInfo().getDeviceId();

        Mode m = mode;
        if (m instanceof Mode.Silent) {
            drain(in);
            return;
        }
        if (m instanceof Mode.CloseImmediately) return;
        if (m instanceof Mode.AuthFailure failure) {
            logins.add(new Login(id, credentials.getUsername(), credentials.getTyp(), deviceId, Outcome.AUTH_FAILURE, System.nanoTime()));
            codec.send(out, CMD_AUTH_FAILURE, Keyexchange.APLoginFailed.newBuilder()
                    .setErrorCode(failure.code()).build().toByteArray());
            drain(in);
            return;
        }
        String username = m instanceof Mode.LoginOk ok ? ok.username()
                : m instanceof Mode.TokenRefused refused ? refused.username()
                : credentials.getUsername(); // LoginFailedPlaintext set after the handshake: welcome anyway
        logins.add(new Login(id, credentials.getUsername(), credentials.getTyp(), deviceId, Outcome.WELCOMED, System.nanoTime()));
        codec.send(out, CMD_AP_WELCOME, Authentication.APWelcome.newBuilder()
                .setCanonicalUsername(username)
                .setAccountTypeLoggedIn(Authentication.AccountType.Spotify)
                .setCredentialsTypeLoggedIn(Authentication.AccountType.Spotify)
                .setReusableAuthCredentialsType(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS)
                .setReusableAuthCredentials(ByteString.copyFromUtf8("fake-reusable-credentials-" + username))
                .build().toByteArray());
        codec.send(out, CMD_COUNTRY_CODE, "ZZ".getBytes(StandardCharsets.US_ASCII));

        for (int i = 0; i < MAX_PACKETS_PER_CONNECTION && !socket.isClosed(); i++) {
            ShannonCodec.ApPacket packet = codec.receive(in);
            switch (packet.cmd()) {
                case CMD_MERCURY_REQ, CMD_MERCURY_SUB, CMD_MERCURY_UNSUB -> answerMercury(id, codec, out, packet);
                case CMD_PONG -> codec.send(out, CMD_PONG_ACK, new byte[0]);
                case CMD_REQUEST_KEY -> answerAudioKey(id, codec, out, packet.payload());
                default -> LOG.trace("fake AP #{}: ignoring packet 0x{}", id, Integer.toHexString(packet.cmd()));
            }
        }
    }

    // ------------------------------------------------------------------ audio keys

    /** RequestKey: file id (20) ‖ gid (16) ‖ seq (int32 BE) ‖ 0x0000. */
    private void answerAudioKey(int id, ShannonCodec codec, DataOutputStream out, byte[] payload) throws IOException {
        if (payload.length < 20 + 16 + 4) {
            LOG.warn("fake AP #{}: short audio key request ({} bytes)", id, payload.length);
            return;
        }
        ByteBuffer buf = ByteBuffer.wrap(payload);
        byte[] fileId = new byte[20];
        byte[] gid = new byte[16];
        buf.get(fileId).get(gid);
        int seq = buf.getInt();
        HexFormat hex = HexFormat.of();
        byte[] key = null;
        int error;
        if (audioKeys == AudioKeys.REFUSED) {
            error = AUDIO_KEY_ERROR_REFUSED;
        } else {
            key = catalog.byGid(gid).filter(t -> Arrays.equals(t.fileId(), fileId))
                    .map(FakeCatalog.Track::audioKey).orElse(null);
            error = key == null ? AUDIO_KEY_ERROR_UNKNOWN : -1;
        }
        audioKeyRequests.add(new AudioKeyRequest(id, hex.formatHex(gid), hex.formatHex(fileId), seq,
                key == null ? null : hex.formatHex(key), error, System.nanoTime()));
        if (key != null) {
            codec.send(out, CMD_AES_KEY, ByteBuffer.allocate(4 + 16).putInt(seq).put(key).array());
        } else {
            codec.send(out, CMD_AES_KEY_ERROR, ByteBuffer.allocate(4 + 2).putInt(seq).putShort((short) error).array());
        }
    }

    // ------------------------------------------------------------------ mercury

    private void answerMercury(int id, ShannonCodec codec, DataOutputStream out, ShannonCodec.ApPacket packet)
            throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(packet.payload());
        byte[] seq;
        Mercury.Header header;
        try {
            seq = new byte[buf.getShort() & 0xffff];
            buf.get(seq);
            byte flags = buf.get();
            int parts = buf.getShort() & 0xffff;
            if (flags != 1 || parts < 1) {
                LOG.warn("fake AP #{}: multi-packet Mercury request not supported", id);
                return;
            }
            byte[] headerBytes = new byte[buf.getShort() & 0xffff];
            buf.get(headerBytes);
            header = Mercury.Header.parseFrom(headerBytes);
        } catch (BufferUnderflowException ex) {
            throw new IOException("truncated Mercury packet", ex);
        }

        String uri = header.getUri();
        int status;
        List<byte[]> body = new ArrayList<>();
        if (packet.cmd() != CMD_MERCURY_REQ) {
            status = 200; // (un)subscriptions: accepted, nothing will ever be published
        } else if (uri.startsWith("hm://keymaster/token/authenticated")) {
            if (mode instanceof Mode.TokenRefused || behaviour == Behaviour.SPOTIFY_2026) {
                status = 403;
            } else {
                status = 200;
                body.add(tokenJson(uri).getBytes(StandardCharsets.UTF_8));
            }
        } else if (uri.startsWith("hm://event-service/")) {
            status = 200;
        } else if (uri.startsWith(CONTEXT_RESOLVE)) {
            String context = resolveContext(uri.substring(CONTEXT_RESOLVE.length()));
            status = context == null ? 404 : 200;
            if (context != null) body.add(context.getBytes(StandardCharsets.UTF_8));
        } else {
            status = 404;
        }
        mercuryRequests.add(new MercuryRequest(id, header.getMethod(), uri, status, System.nanoTime()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream reply = new DataOutputStream(bytes);
        reply.writeShort(seq.length);
        reply.write(seq);
        reply.writeByte(1); // final
        reply.writeShort(1 + body.size());
        byte[] replyHeader = Mercury.Header.newBuilder().setUri(uri).setStatusCode(status).build().toByteArray();
        reply.writeShort(replyHeader.length);
        reply.write(replyHeader);
        for (byte[] part : body) {
            reply.writeShort(part.length);
            reply.write(part);
        }
        if (packet.cmd() == CMD_MERCURY_REQ) {
            try {
                Thread.sleep(MERCURY_LATENCY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        codec.send(out, packet.cmd(), bytes.toByteArray());
    }

    /**
     * What {@code hm://context-resolve/v1/<context uri>} answers: the context as JSON with pages of
     * tracks, as Spotify does. A track's context is that one track. Null (404) for an unknown track
     * or any other kind of context.
     */
    private String resolveContext(String contextUri) {
        String uri = URLDecoder.decode(contextUri, StandardCharsets.UTF_8);
        int q = uri.indexOf('?');
        if (q >= 0) uri = uri.substring(0, q);
        if (!uri.startsWith("spotify:track:")) return null;
        FakeCatalog.Track track = catalog.byUri(uri).orElse(null);
        if (track == null) return null;
        JsonObject trackJson = new JsonObject();
        trackJson.addProperty("uri", track.uri());
        trackJson.addProperty("uid", "");
        JsonObject trackMetadata = new JsonObject();
        trackMetadata.addProperty("title", track.name());
        trackJson.add("metadata", trackMetadata);
        JsonArray tracks = new JsonArray();
        tracks.add(trackJson);
        JsonObject page = new JsonObject();
        page.add("tracks", tracks);
        JsonArray pages = new JsonArray();
        pages.add(page);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("context_description", track.name());
        JsonObject context = new JsonObject();
        context.add("metadata", metadata);
        context.add("pages", pages);
        context.add("restrictions", new JsonObject());
        context.addProperty("uri", uri);
        context.addProperty("url", "context://" + uri);
        return context.toString();
    }

    private String tokenJson(String uri) {
        JsonArray scopes = new JsonArray();
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String param : uri.substring(q + 1).split("&")) {
                if (param.startsWith("scope=")) {
                    for (String scope : URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8).split(","))
                        if (!scope.isEmpty()) scopes.add(scope);
                }
            }
        }
        JsonObject token = new JsonObject();
        token.addProperty("accessToken", "fake-access-token-" + tokenIds.incrementAndGet());
        token.addProperty("expiresIn", 3600);
        token.addProperty("tokenType", "Bearer");
        token.add("scope", scopes);
        return token.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] deriveBlocks(byte[] sharedKey, byte[] transcript) throws GeneralSecurityException {
        ByteArrayOutputStream blocks = new ByteArrayOutputStream(100);
        for (int i = 1; i <= 5; i++) {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedKey, "HmacSHA1"));
            mac.update(transcript);
            mac.update((byte) i);
            blocks.writeBytes(mac.doFinal());
        }
        return blocks.toByteArray();
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data);
    }

    /** Big-endian magnitude without a sign byte. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** Reads and discards until end of stream (or the socket's time-out), bounded by the lifetime. */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) != -1) {
            // discard
        }
    }
}
