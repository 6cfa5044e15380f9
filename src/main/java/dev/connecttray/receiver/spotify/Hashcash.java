package dev.connecttray.receiver.spotify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Spotify's proof of work, asked for by Login5 and by the client-token service: a 16-byte suffix
 * such that SHA-1(prefix ‖ suffix) ends in at least {@code zeroBits} zero bits. Like Spotify's own
 * clients, the first half of the suffix is seeded from SHA-1 of a context; the second half counts up.
 */
public final class Hashcash {
    /** Real challenges ask for 10 to 20 bits; more than this would take too long to be a login step. */
    public static final int MAX_ZERO_BITS = 32;
    public static final int SUFFIX_LENGTH = 16;

    private Hashcash() {
    }

    /**
     * @param context  seeds the search (Login5: the login context; client token: empty)
     * @throws IllegalArgumentException when {@code zeroBits} is negative or above {@link #MAX_ZERO_BITS}
     */
    public static byte[] solve(byte[] context, byte[] prefix, int zeroBits) {
        if (zeroBits < 0 || zeroBits > MAX_ZERO_BITS) {
            throw new IllegalArgumentException("hashcash length " + zeroBits + " is outside 0.." + MAX_ZERO_BITS);
        }
        MessageDigest sha1 = sha1();
        byte[] suffix = new byte[SUFFIX_LENGTH];
        System.arraycopy(sha1.digest(context), 12, suffix, 0, 8);
        // 2^(zeroBits + 8) tries fail with odds of about e^-256: the bound only stops a broken digest from spinning.
        long bound = 1L << (zeroBits + 8);
        for (long counter = 0; counter < bound; counter++) {
            for (int i = 0; i < 8; i++) suffix[8 + i] = (byte) (counter >>> (56 - 8 * i));
            sha1.update(prefix);
            if (trailingZeroBits(sha1.digest(suffix)) >= zeroBits) return suffix;
        }
        throw new IllegalStateException("no hashcash solution within " + bound + " tries");
    }

    /** Whether {@code suffix} answers the challenge; what a server checks. */
    public static boolean verify(byte[] prefix, byte[] suffix, int zeroBits) {
        MessageDigest sha1 = sha1();
        sha1.update(prefix);
        return trailingZeroBits(sha1.digest(suffix)) >= zeroBits;
    }

    /** Zero bits at the end of {@code digest} read as one big-endian number. */
    static int trailingZeroBits(byte[] digest) {
        int bits = 0;
        for (int i = digest.length - 1; i >= 0; i--) {
            int b = digest[i] & 0xff;
            if (b == 0) {
                bits += 8;
            } else {
                return bits + Integer.numberOfTrailingZeros(b);
            }
        }
        return bits;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }
}
