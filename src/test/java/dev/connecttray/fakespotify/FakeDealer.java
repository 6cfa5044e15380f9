package dev.connecttray.fakespotify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spotify's dealer (a WebSocket) and spclient (HTTPS) on one TLS port of 127.0.0.1, with a
 * certificate from {@link FakeTls}.
 *
 * <p>Dealer: a minimal RFC 6455 server. On connect it sends the pusher message carrying the
 * {@code Spotify-Connection-Id} header (what librespot's DeviceStateHandler waits for), answers
 * librespot's {@code {"type":"ping"}} text messages with {@code {"type":"pong"}} and WebSocket
 * pings with pongs, and echoes close frames.
 *
 * <p>Every other request goes to its {@link HttpHandler}: by default 200 {@code {}}; in a
 * {@link FakeSpotify}, a {@link FakeHttpsRouter} (Login5, clienttoken, spclient and CDN). Those
 * meant for spclient are recorded in {@link #spclientRequests()}, as before. An
 * {@link #setAccessTokenCheck access-token check} can refuse WebSocket upgrades with 401.
 */
public final class FakeDealer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeDealer.class);
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_FRAME = 1024 * 1024;
    private static final int MAX_FRAMES_PER_CONNECTION = 100_000;
    private static final int MAX_REQUESTS_PER_CONNECTION = 1_000;
    private static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(30);
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /**
     * librespot drops dealer messages that arrive before a listener for them exists, and its
     * Player registers the connection-id listener only after {@code create()} returned. Spotify's
     * network latency normally hides that race; on loopback the fake waits this long.
     */
    public static final Duration DEFAULT_CONNECTION_ID_DELAY = Duration.ofMillis(300);

    /** A WebSocket connection, with the connection id the fake gave it. */
    public record Connection(int id, String connectionId, String accessToken, long nanoTime) {
    }

    /** A text message a client sent over the WebSocket. */
    public record Received(int connection, String text, long nanoTime) {
    }

    /** An spclient HTTP request. */
    public record SpclientRequest(String method, String target, int bodyBytes, long nanoTime) {
    }

    /** A WebSocket upgrade answered with an error status (401: its access_token was refused). */
    public record RefusedUpgrade(String accessToken, int status, long nanoTime) {
    }

    /** Answers the plain HTTPS requests (everything but WebSocket upgrades). */
    interface HttpHandler {
        HttpResponse handle(HttpHead head, byte[] body) throws IOException;

        /** Whether the request goes to spclient (and is recorded in {@link #spclientRequests()}). */
        default boolean isSpclient(HttpHead head) {
            return true;
        }
    }

    private static final HttpHandler EMPTY_JSON =
            (head, body) -> HttpResponse.of(200, "OK", "application/json", "{}".getBytes(StandardCharsets.UTF_8));

    private final ServerSupport server;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Peer> peers = new ConcurrentHashMap<>();
    private final EventLog<Connection> connections = new EventLog<>();
    private final EventLog<Received> received = new EventLog<>();
    private final EventLog<SpclientRequest> spclientRequests = new EventLog<>();
    private final EventLog<RefusedUpgrade> refusedUpgrades = new EventLog<>();
    private volatile HttpHandler httpHandler = EMPTY_JSON;
    private volatile java.util.function.Predicate<String> accessTokenCheck = token -> true;
    private volatile boolean refuseWebSockets;
    private volatile Duration connectionIdDelay = DEFAULT_CONNECTION_ID_DELAY;

    public FakeDealer(FakeTls tls, Duration lifetime) {
        this.server = new ServerSupport("dealer", lifetime,
                () -> tls.serverContext().getServerSocketFactory().createServerSocket(), this::handle);
    }

    public FakeDealer start() throws IOException {
        server.listen();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** WebSocket connections opened, oldest first. */
    public EventLog<Connection> connections() {
        return connections;
    }

    /** Text messages clients sent (pings included). */
    public EventLog<Received> received() {
        return received;
    }

    public EventLog<SpclientRequest> spclientRequests() {
        return spclientRequests;
    }

    /** WebSocket upgrades answered with an error (refused access tokens, {@link #setRefuseWebSockets}). */
    public EventLog<RefusedUpgrade> refusedUpgrades() {
        return refusedUpgrades;
    }

    void setHttpHandler(HttpHandler handler) {
        this.httpHandler = Objects.requireNonNull(handler);
    }

    /** Which {@code access_token} query parameters a WebSocket upgrade may carry (others get 401). */
    public void setAccessTokenCheck(java.util.function.Predicate<String> check) {
        this.accessTokenCheck = Objects.requireNonNull(check);
    }

    /** When true, WebSocket upgrades are answered with 503 (spclient still works). */
    public void setRefuseWebSockets(boolean refuse) {
        this.refuseWebSockets = refuse;
    }

    /** How long after the WebSocket upgrade the connection-id message is sent. */
    public void setConnectionIdDelay(Duration delay) {
        this.connectionIdDelay = Objects.requireNonNull(delay);
    }

    /**
     * Sends the connection-id message again on every open WebSocket (what a test does, after
     * creating a {@code Player}, to not depend on {@link #setConnectionIdDelay timing}).
     *
     * @return how many connections got it
     */
    public int resendConnectionIds() {
        int sent = 0;
        for (Peer peer : peers.values()) {
            try {
                peer.send(OP_TEXT, connectionIdMessage(peer.connectionId).getBytes(StandardCharsets.UTF_8));
                sent++;
            } catch (IOException ex) {
                LOG.debug("fake dealer: resend to #{} failed", peer.id, ex);
            }
        }
        return sent;
    }

    /** Sends a text message to every open WebSocket; returns how many got it. */
    public int broadcast(String text) {
        int sent = 0;
        for (Peer peer : peers.values()) {
            try {
                peer.send(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
                sent++;
            } catch (IOException ex) {
                LOG.debug("fake dealer: broadcast to #{} failed", peer.id, ex);
            }
        }
        return sent;
    }

    /** Closes every open connection without a close frame (clients see a failure). */
    public void dropAllConnections() {
        server.dropAllConnections();
    }

    public void refuseConnections() {
        server.stopListening();
    }

    public void acceptConnections() throws IOException {
        server.listen();
    }

    @Override
    public void close() {
        server.close();
    }

    // ------------------------------------------------------------------ connection

    private void handle(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            // Spotify's HTTPS servers keep connections open between requests; so does the fake, for a
            // bounded number of requests and an idle time, so a client's connection pool is used as for real.
            for (int served = 0; served < MAX_REQUESTS_PER_CONNECTION; served++) {
                HttpHead head = HttpHead.read(in);
                if (head == null) return;
                String upgrade = head.header("Upgrade");
                if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).equals("websocket")) {
                    webSocket(head, in, out);
                    return;
                }
                byte[] body = head.readBody(in);
                HttpHandler handler = httpHandler;
                if (handler.isSpclient(head))
                    spclientRequests.add(new SpclientRequest(head.method(), head.target(), body.length, System.nanoTime()));
                String connection = head.header("Connection");
                boolean keepAlive = served + 1 < MAX_REQUESTS_PER_CONNECTION
                        && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"));
                handler.handle(head, body).write(out, keepAlive);
                if (!keepAlive) return;
                int lifetimeLeft = socket.getSoTimeout(); // ServerSupport bounds every read by the lifetime left
                socket.setSoTimeout(lifetimeLeft == 0 ? (int) KEEP_ALIVE_IDLE.toMillis()
                        : (int) Math.min(KEEP_ALIVE_IDLE.toMillis(), lifetimeLeft));
            }
        } catch (EOFException | SocketTimeoutException ex) {
            LOG.debug("fake dealer: {}", ex.toString());
        } catch (IOException ex) {
            if (!server.isClosed()) LOG.debug("fake dealer: connection ended", ex);
        }
    }

    private void webSocket(HttpHead head, DataInputStream in, OutputStream out) throws IOException {
        String key = head.header("Sec-WebSocket-Key");
        String accessToken = queryParameter(head.target(), "access_token");
        if (refuseWebSockets || key == null) {
            refusedUpgrades.add(new RefusedUpgrade(accessToken, refuseWebSockets ? 503 : 400, System.nanoTime()));
            HttpHead.respond(out, refuseWebSockets ? 503 : 400, refuseWebSockets ? "Service Unavailable" : "Bad Request",
                    "text/plain", new byte[0]);
            return;
        }
        if (!accessTokenCheck.test(accessToken)) {
            refusedUpgrades.add(new RefusedUpgrade(accessToken, 401, System.nanoTime()));
            HttpHead.respond(out, 401, "Unauthorized", "text/plain", "invalid access token\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        int id = ids.incrementAndGet();
        String connectionId = "fake-connection-" + id;
        Peer peer = new Peer(id, connectionId, out);
        peers.put(id, peer);
        try {
            connections.add(new Connection(id, connectionId, accessToken, System.nanoTime()));
            server.schedule(() -> {
                try {
                    if (peers.containsKey(id))
                        peer.send(OP_TEXT, connectionIdMessage(connectionId).getBytes(StandardCharsets.UTF_8));
                } catch (IOException ex) {
                    LOG.debug("fake dealer: connection id to #{} failed", id, ex);
                }
            }, connectionIdDelay);
            readFrames(peer, in);
        } finally {
            peers.remove(id);
        }
    }

    private void readFrames(Peer peer, DataInputStream in) throws IOException {
        ByteArrayOutputStream fragments = null;
        for (int i = 0; i < MAX_FRAMES_PER_CONNECTION; i++) {
            int b0 = in.read();
            if (b0 == -1) return;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0f;
            int b1 = in.readUnsignedByte();
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7f;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = in.readLong();
            if (!masked || length < 0 || length > MAX_FRAME) {
                peer.close(1002);
                return;
            }
            byte[] mask = new byte[4];
            in.readFully(mask);
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int j = 0; j < payload.length; j++) payload[j] ^= mask[j & 3];

            switch (opcode) {
                case OP_TEXT, OP_CONTINUATION -> {
                    if (opcode == OP_TEXT) fragments = new ByteArrayOutputStream();
                    if (fragments == null || fragments.size() + payload.length > MAX_FRAME) {
                        peer.close(1002);
                        return;
                    }
                    fragments.writeBytes(payload);
                    if (fin) {
                        onText(peer, fragments.toString(StandardCharsets.UTF_8));
                        fragments = null;
                    }
                }
                case OP_PING -> peer.send(OP_PONG, payload);
                case OP_PONG -> { /* nothing */ }
                case OP_CLOSE -> {
                    peer.send(OP_CLOSE, payload.length >= 2 ? new byte[]{payload[0], payload[1]} : new byte[0]);
                    return;
                }
                default -> {
                    peer.close(1003);
                    return;
                }
            }
        }
    }

    private void onText(Peer peer, String text) throws IOException {
        received.add(new Received(peer.id, text, System.nanoTime()));
        try {
            JsonElement json = JsonParser.parseString(text);
            if (json.isJsonObject() && json.getAsJsonObject().has("type")
                    && "ping".equals(json.getAsJsonObject().get("type").getAsString())) {
                peer.send(OP_TEXT, "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException ex) {
            LOG.debug("fake dealer: not JSON: {}", text);
        }
    }

    /** What Spotify's dealer sends first: the id that spclient calls need as a header. */
    static String connectionIdMessage(String connectionId) {
        JsonObject headers = new JsonObject();
        headers.addProperty("Spotify-Connection-Id", connectionId);
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("uri", "hm://pusher/v1/connections/" + connectionId);
        message.add("headers", headers);
        message.add("payloads", new JsonArray());
        return message.toString();
    }

    private static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.trim() + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String queryParameter(String target, String name) {
        try {
            String query = new URI(target).getRawQuery();
            if (query == null) return null;
            for (String param : query.split("&")) {
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).equals(name))
                    return URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            }
        } catch (URISyntaxException ignored) {
            // no such parameter
        }
        return null;
    }

    /** The writing side of one WebSocket. */
    private static final class Peer {
        private final int id;
        private final String connectionId;
        private final OutputStream out;

        Peer(int id, String connectionId, OutputStream out) {
            this.id = id;
            this.connectionId = connectionId;
            this.out = out;
        }

        synchronized void send(int opcode, byte[] payload) throws IOException {
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length <= 0xffff) {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xff);
            } else {
                out.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) payload.length >>> shift) & 0xff);
            }
            out.write(payload);
            out.flush();
        }

        void close(int status) throws IOException {
            send(OP_CLOSE, new byte[]{(byte) (status >>> 8), (byte) status});
        }
    }
}
