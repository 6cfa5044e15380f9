package dev.connecttray.receiver.zeroconf;

import com.spotify.Authentication;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import xyz.gianlu.librespot.core.Session;

/**
 * Opens what a Spotify app hands over in {@code addUser}: the device's own Diffie-Hellman key pair
 * (RFC 2409 Oakley group 1, generator 2; a fresh pair per instance), the transport layer around
 * the blob (iv ‖ AES-128-CTR ciphertext ‖ HMAC-SHA1, keys derived from the shared secret) and,
 * through librespot's {@link Session.Builder#blob}, the device blob inside it.
 *
 * <p>Nothing here logs or keeps the blob, the shared secret or the credentials.
 */
final class HandOverDecoder {
    static final BigInteger PRIME = new BigInteger(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
                    + "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
                    + "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF", 16);
    static final BigInteger GENERATOR = BigInteger.TWO;

    private static final int IV_LENGTH = 16;
    private static final int MAC_LENGTH = 20;

    /** Why a hand-over was refused; the message is safe to log (it holds no secret). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final String deviceId;
    private final BigInteger privateKey;
    private final byte[] publicKey;
    private final Session.Configuration configuration;

    HandOverDecoder(String deviceId, SecureRandom random) {
        this.deviceId = deviceId;
        byte[] secret = new byte[95];
        random.nextBytes(secret);
        this.privateKey = new BigInteger(1, secret);
        this.publicKey = unsigned(GENERATOR.modPow(privateKey, PRIME));
        this.configuration = new Session.Configuration.Builder()
                .setCacheEnabled(false).setStoreCredentials(false).build();
    }

    /** The device's public key, big-endian without a sign byte. */
    byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The credentials in an {@code addUser} request's fields.
     *
     * @throws Refused when a field is missing or malformed, the checksum does not match, or the
     *                 device blob does not decode
     */
    Authentication.LoginCredentials open(String userName, String blobText, String clientKeyText) throws Refused {
        if (userName == null || userName.isEmpty()) throw new Refused("no userName");
        if (blobText == null || blobText.isEmpty()) throw new Refused("no blob");
        if (clientKeyText == null || clientKeyText.isEmpty()) throw new Refused("no clientKey");
        byte[] clientKey = base64(clientKeyText, "clientKey");
        byte[] blob = base64(blobText, "blob");
        if (blob.length <= IV_LENGTH + MAC_LENGTH) {
            throw new Refused("blob of " + blob.length + " bytes is too short");
        }
        BigInteger peer = new BigInteger(1, clientKey);
        if (peer.compareTo(BigInteger.ONE) <= 0 || peer.compareTo(PRIME.subtract(BigInteger.ONE)) >= 0) {
            throw new Refused("clientKey is not a usable public key");
        }
        byte[] inner = openTransport(unsigned(peer.modPow(privateKey, PRIME)), blob);
        return openDeviceBlob(userName, inner);
    }

    private static byte[] openTransport(byte[] sharedSecret, byte[] blob) throws Refused {
        try {
            byte[] baseKey = Arrays.copyOf(MessageDigest.getInstance("SHA-1").digest(sharedSecret), 16);
            byte[] checksumKey = hmacSha1(baseKey, "checksum".getBytes(StandardCharsets.US_ASCII));
            byte[] encryptionKey = Arrays.copyOf(hmacSha1(baseKey, "encryption".getBytes(StandardCharsets.US_ASCII)), 16);

            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(checksumKey, "HmacSHA1"));
            mac.update(blob, IV_LENGTH, blob.length - IV_LENGTH - MAC_LENGTH);
            byte[] expected = mac.doFinal();
            byte[] given = Arrays.copyOfRange(blob, blob.length - MAC_LENGTH, blob.length);
            if (!MessageDigest.isEqual(expected, given)) throw new Refused("blob checksum does not match");

            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryptionKey, "AES"),
                    new IvParameterSpec(blob, 0, IV_LENGTH));
            return ctr.doFinal(blob, IV_LENGTH, blob.length - IV_LENGTH - MAC_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-1, HmacSHA1 or AES/CTR", e);
        }
    }

    /** The device blob, decrypted by librespot itself; whatever it throws on garbage is a refusal. */
    private Authentication.LoginCredentials openDeviceBlob(String userName, byte[] inner) throws Refused {
        Authentication.LoginCredentials credentials;
        try {
            Session.Builder builder = new Session.Builder(configuration).setDeviceId(deviceId);
            builder.blob(userName, inner);
            credentials = builder.getCredentials();
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError vm) throw vm;
            throw new Refused("device blob does not decode (" + e.getClass().getSimpleName() + ")");
        }
        if (credentials == null || credentials.getAuthData().isEmpty()) {
            throw new Refused("device blob holds no credentials");
        }
        return credentials;
    }

    private static byte[] base64(String text, String field) throws Refused {
        try {
            // a '+' the phone left unescaped arrives as a space after form decoding
            return Base64.getDecoder().decode(text.trim().replace(' ', '+'));
        } catch (IllegalArgumentException e) {
            throw new Refused(field + " is not base64");
        }
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
}
