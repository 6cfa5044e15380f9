package dev.connecttray.fakespotify;

import java.lang.reflect.Field;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;

/**
 * A test RSA key for the fake access point, installed into librespot-java.
 *
 * <p>librespot 1.6.3 checks the access point's {@code gs_signature} against the modulus in the
 * private static array {@code Session.serverKey} (exponent 65537). {@link #install()} generates a
 * key pair whose modulus has exactly that array's length and copies the modulus into the
 * existing array by reflection. The real key's bytes are kept for {@link #uninstall()}.
 */
public final class TestServerKey {
    private static final String SESSION_CLASS = "xyz.gianlu.librespot.core.Session";
    private static final int MAX_TRIES = 20;
    private static KeyPair installed;
    private static byte[] original;

    private TestServerKey() {
    }

    /** Installs the test key (once per JVM; later calls return the same key pair). */
    public static synchronized KeyPair install() {
        if (installed != null) return installed;
        byte[] target = serverKeyArray();
        KeyPair pair = generate(target.length);
        original = target.clone();
        System.arraycopy(modulus(pair, target.length), 0, target, 0, target.length);
        installed = pair;
        return pair;
    }

    /** The installed key pair, or null. */
    public static synchronized KeyPair installedKey() {
        return installed;
    }

    /** Puts Spotify's real key back (then the fake access point's signature no longer verifies). */
    public static synchronized void uninstall() {
        if (original == null) return;
        byte[] target = serverKeyArray();
        System.arraycopy(original, 0, target, 0, target.length);
        installed = null;
        original = null;
    }

    private static KeyPair generate(int modulusBytes) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(new RSAKeyGenParameterSpec(modulusBytes * 8, RSAKeyGenParameterSpec.F4));
            for (int i = 0; i < MAX_TRIES; i++) {
                KeyPair pair = gen.generateKeyPair();
                if (modulus(pair, modulusBytes) != null) return pair;
            }
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot generate the test RSA key", ex);
        }
        throw new IllegalStateException("no RSA key with a " + modulusBytes + "-byte modulus in " + MAX_TRIES + " tries");
    }

    /** The modulus as an unsigned big-endian array of exactly {@code length} bytes, or null. */
    private static byte[] modulus(KeyPair pair, int length) {
        BigInteger n = ((RSAPublicKey) pair.getPublic()).getModulus();
        if (!((RSAPublicKey) pair.getPublic()).getPublicExponent().equals(RSAKeyGenParameterSpec.F4)) return null;
        byte[] bytes = n.toByteArray();
        if (bytes.length == length + 1 && bytes[0] == 0) return Arrays.copyOfRange(bytes, 1, bytes.length);
        return bytes.length == length && bytes[0] != 0 ? bytes : null;
    }

    private static byte[] serverKeyArray() {
        try {
            Field field = Class.forName(SESSION_CLASS).getDeclaredField("serverKey");
            field.setAccessible(true);
            return (byte[]) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException ex) {
            throw new IllegalStateException("cannot reach " + SESSION_CLASS + ".serverKey (librespot-java changed?)", ex);
        }
    }
}
