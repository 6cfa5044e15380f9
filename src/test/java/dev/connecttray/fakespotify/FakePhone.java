package dev.connecttray.fakespotify;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.spotify.Authentication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Spotify app handing its login to a Connect device over the Zeroconf HTTP protocol (the device
 * found by mDNS; here its host and port are given): {@code GET /?action=getInfo} for the device's
 * Diffie-Hellman public key and id, then {@code POST /} with {@code action=addUser}, the user name,
 * the encrypted credentials blob and the phone's own public key.
 *
 * <p>The blob has two layers. The inner one is the "device blob" Spotify's servers hand a phone
 * for one device: AES-192-ECB under a key derived from the device id and the user name, over the
 * credentials record with each 16-byte block first XORed with the previous (already chained) one.
 * The outer one protects it in transit: AES-128-CTR and an HMAC-SHA1 under keys derived from the
 * Diffie-Hellman shared secret. {@link #deviceBlob} and {@link #transportBlob} build them.
 *
 * <p>Every request is on its own connection with a read timeout: a device that never answers
 * costs at most that long.
 */
public final class FakePhone {
    /** RFC 2409 Oakley group 1 (768 bit), generator 2: the group Spotify Connect devices use. */
    static final BigInteger DH_PRIME = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
                    + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
                    + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF", 16);
    static final BigInteger DH_GENERATOR = BigInteger.TWO;

    /** The record tags of the device blob: user name, credentials type, credentials data. */
    static final int TAG_USERNAME = 0x49;
    static final int TAG_TYPE = 0x50;
    static final int TAG_AUTH_DATA = 0x51;
    /** The device blob key is derived with this many PBKDF2 rounds. */
    static final int DEVICE_KEY_ROUNDS = 256;

    private static final int MAX_ANSWER = 64 * 1024;

    /** What {@code getInfo} told about the device. */
    public record DeviceInfo(String deviceId, String remoteName, byte[] publicKey, JsonObject json) {
    }

    /**
     * How the device answered a request.
     *
     * @param httpStatus the HTTP status, -1 when no status line came before the timeout or the end
     * @param statusLine the status line as sent (empty when none)
     * @param body       the body (by Content-Length when there is one, else up to the end)
     * @param trailing   anything the device wrote after the body before it closed the connection
     * @param closed     whether the device closed the connection before the timeout
     */
    public record Answer(int httpStatus, String statusLine, String body, String trailing, boolean closed) {
        /** The {@code status} field of a JSON body (101 is OK), or -1 when there is none. */
        public int status() {
            JsonObject o = json();
            return o != null && o.has("status") ? o.get("status").getAsInt() : -1;
        }

        /** The body as a JSON object, or null when it is not one. */
        public JsonObject json() {
            try {
                JsonElement e = JsonParser.parseString(body);
                return e.isJsonObject() ? e.getAsJsonObject() : null;
            } catch (JsonParseException | IllegalStateException e) {
                return null;
            }
        }
    }

    private final String host;
    private final int port;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();
    private final BigInteger privateKey;
    private final BigInteger publicKey;

    public FakePhone(String host, int port, Duration timeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        byte[] secret = new byte[95];
        random.nextBytes(secret);
        this.privateKey = new BigInteger(1, secret);
        this.publicKey = DH_GENERATOR.modPow(privateKey, DH_PRIME);
    }

    /** The phone's Diffie-Hellman public key, big-endian without a sign byte. */
    public byte[] publicKey() {
        return unsigned(publicKey);
    }

    /** {@code GET /?action=getInfo}. */
    public DeviceInfo getInfo() throws IOException {
        Answer a = exchange("GET /?action=getInfo HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nConnection: close\r\n\r\n", new byte[0]);
        JsonObject o = a.json();
        if (a.httpStatus() != 200 || o == null) {
            throw new IOException("getInfo answered " + a.statusLine() + " with \"" + a.body() + "\"");
        }
        return new DeviceInfo(o.get("deviceID").getAsString(), o.get("remoteName").getAsString(),
                Base64.getDecoder().decode(o.get("publicKey").getAsString()), o);
    }

    /** {@code POST /} with {@code action=addUser} and the given fields, as they are. */
    public Answer addUser(String userName, String blob, String clientKey) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("action", "addUser");
        form.put("userName", userName);
        form.put("blob", blob);
        form.put("clientKey", clientKey);
        form.put("tokenType", "default");
        form.put("deviceName", "Fake Phone");
        form.put("deviceId", "fake-phone-0001");
        form.put("version", "2.7.1");
        byte[] body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.US_ASCII);
        return exchange("POST / HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n", body);
    }

    /** Asks the device for its key, then hands it these credentials, as a Spotify app does. */
    public Answer handOver(String userName, Authentication.AuthenticationType type, byte[] authData)
            throws IOException, GeneralSecurityException {
        DeviceInfo info = getInfo();
        byte[] inner = Base64.getEncoder().encode(deviceBlob(info.deviceId(), userName, type.getNumber(), authData));
        return handOverPayload(info, userName, inner);
    }

    /** As {@link #handOver}, with the inner payload (normally base64 text of a device blob) as given. */
    public Answer handOverPayload(DeviceInfo info, String userName, byte[] inner)
            throws IOException, GeneralSecurityException {
        byte[] shared = sharedSecret(info.publicKey());
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        String blob = Base64.getEncoder().encodeToString(transportBlob(shared, iv, inner));
        return addUser(userName, blob, Base64.getEncoder().encodeToString(publicKey()));
    }

    /** The Diffie-Hellman shared secret with a device whose public key is given, big-endian without a sign byte. */
    public byte[] sharedSecret(byte[] devicePublicKey) {
        return unsigned(new BigInteger(1, devicePublicKey).modPow(privateKey, DH_PRIME));
    }

    /**
     * The outer layer: {@code iv ‖ AES-128-CTR(iv, inner) ‖ HMAC-SHA1(ciphertext)}, with base key
     * = SHA-1(shared secret)[0..16), checksum key = HMAC-SHA1(base key, "checksum") and encryption
     * key = HMAC-SHA1(base key, "encryption")[0..16).
     */
    public static byte[] transportBlob(byte[] sharedSecret, byte[] iv, byte[] inner) throws GeneralSecurityException {
        if (iv.length != 16) throw new IllegalArgumentException("iv must be 16 bytes");
        byte[] baseKey = Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(sharedSecret), 16);
        byte[] checksumKey = hmacSha1(baseKey, "checksum".getBytes(StandardCharsets.US_ASCII));
        byte[] encryptionKey = Arrays.copyOf(hmacSha1(baseKey, "encryption".getBytes(StandardCharsets.US_ASCII)), 16);

        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"), new IvParameterSpec(iv));
        byte[] ciphertext = ctr.doFinal(inner);
        byte[] mac = hmacSha1(checksumKey, ciphertext);

        return ByteBuffer.allocate(16 + ciphertext.length + mac.length).put(iv).put(ciphertext).put(mac).array();
    }

    /**
     * The inner layer, the device blob (raw bytes; the phone sends its base64 text): the record
     * {@code 0x49 len user 0x50 type 0x51 len authData}, zero-padded to whole 16-byte blocks, each
     * block XORed with the previous chained block, then AES-192-ECB under
     * SHA-1(PBKDF2-HMAC-SHA1(SHA-1(deviceId), userName, 256 rounds, 20 bytes)) ‖ int32 20.
     */
    public static byte[] deviceBlob(String deviceId, String userName, int type, byte[] authData)
            throws GeneralSecurityException {
        byte[] user = userName.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(TAG_USERNAME);
        writeLength(record, user.length);
        record.writeBytes(user);
        record.write(TAG_TYPE);
        writeLength(record, type);
        record.write(TAG_AUTH_DATA);
        writeLength(record, authData.length);
        record.writeBytes(authData);

        byte[] plain = record.toByteArray();
        byte[] chained = Arrays.copyOf(plain, (plain.length + 15) / 16 * 16);
        for (int i = 16; i < chained.length; i++) chained[i] ^= chained[i - 16];

        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(deviceBlobKey(deviceId, userName), "AES"));
        return ecb.doFinal(chained);
    }

    /** The 24-byte AES-192 key of a device blob. */
    static byte[] deviceBlobKey(String deviceId, String userName) throws GeneralSecurityException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] secret = sha1.digest(deviceId.getBytes(StandardCharsets.US_ASCII));
        byte[] baseKey = pbkdf2HmacSha1(secret, userName.getBytes(StandardCharsets.UTF_8), DEVICE_KEY_ROUNDS, 20);
        return ByteBuffer.allocate(24).put(sha1.digest(baseKey)).putInt(20).array();
    }

    /**
     * A length or number in the blob's own encoding: one byte below 128, else the low 7 bits with
     * the top bit set followed by the rest (two bytes at most, so below 16384).
     */
    static void writeLength(ByteArrayOutputStream out, int value) {
        if (value < 0 || value >= 1 << 14) throw new IllegalArgumentException("cannot encode " + value);
        if (value < 0x80) {
            out.write(value);
        } else {
            out.write(0x80 | (value & 0x7f));
            out.write(value >>> 7);
        }
    }

    /** PBKDF2 (RFC 8018) with HMAC-SHA1, over a password of raw bytes (the JDK's takes only characters). */
    static byte[] pbkdf2HmacSha1(byte[] password, byte[] salt, int rounds, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password, "HmacSHA1"));
        byte[] out = new byte[length];
        int blocks = (length + 19) / 20;
        for (int block = 1; block <= blocks; block++) {
            mac.update(salt);
            byte[] u = mac.doFinal(ByteBuffer.allocate(4).putInt(block).array());
            byte[] t = u.clone();
            for (int r = 1; r < rounds; r++) {
                u = mac.doFinal(u);
                for (int i = 0; i < t.length; i++) t[i] ^= u[i];
            }
            int offset = (block - 1) * 20;
            System.arraycopy(t, 0, out, offset, Math.min(20, length - offset));
        }
        return out;
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data);
    }

    /** Big-endian bytes of a non-negative number, without the sign byte BigInteger may add. */
    static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private Answer exchange(String head, byte[] body) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(socket, deadline);
        }
    }

    /** Reads the status line, headers, the body and whatever follows, until the device closes or the deadline. */
    private static Answer read(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        boolean closed = false;
        while (all.size() < MAX_ANSWER) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) break;
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                closed = true;
                break;
            }
            all.write(buffer, 0, n);
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        if (eol < 0) return new Answer(-1, "", "", text, closed);
        String statusLine = text.substring(0, eol);
        int status;
        try {
            String[] parts = statusLine.split(" ", 3);
            status = parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        int headEnd = text.indexOf("\r\n\r\n", eol);
        if (headEnd < 0) return new Answer(status, statusLine, "", text.substring(eol + 2), closed);
        int contentLength = -1;
        for (String line : text.substring(eol, headEnd).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                contentLength = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        String rest = text.substring(headEnd + 4);
        if (contentLength < 0 || contentLength > rest.length()) return new Answer(status, statusLine, rest, "", closed);
        return new Answer(status, statusLine, rest.substring(0, contentLength), rest.substring(contentLength), closed);
    }
}
