package dev.connecttray.fakespotify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * Spotify's hashcash proof of work (Login5 and clienttoken): a suffix is a solution for a prefix
 * and a length when SHA-1(prefix ‖ suffix), read as a big-endian number, ends in at least
 * {@code length} zero bits.
 */
public final class Hashcash {
    /** Tries per {@link #solve}: 2^24, far more than a length of 20 needs on average. */
    static final int MAX_TRIES = 1 << 24;

    private Hashcash() {
    }

    /** The number of trailing zero bits of SHA-1(prefix ‖ suffix). */
    public static int trailingZeroBits(byte[] prefix, byte[] suffix) {
        MessageDigest sha1 = sha1();
        sha1.update(prefix);
        sha1.update(suffix);
        return trailingZeroBits(sha1.digest());
    }

    static int trailingZeroBits(byte[] digest) {
        int bits = 0;
        for (int i = digest.length - 1; i >= 0; i--) {
            int b = digest[i] & 0xff;
            if (b == 0) {
                bits += 8;
                continue;
            }
            return bits + Integer.numberOfTrailingZeros(b);
        }
        return bits;
    }

    public static boolean verify(byte[] prefix, byte[] suffix, int length) {
        return trailingZeroBits(prefix, suffix) >= length;
    }

    /**
     * Finds a 16-byte suffix for {@code prefix} (what a client does); a brute-force search that
     * gives up after {@link #MAX_TRIES}.
     */
    public static byte[] solve(byte[] prefix, int length) {
        byte[] suffix = new byte[16];
        new Random(0x5eed).nextBytes(suffix);
        for (int i = 0; i < MAX_TRIES; i++) {
            if (verify(prefix, suffix, length)) return suffix;
            for (int j = suffix.length - 1; j >= 0 && ++suffix[j] == 0; j--) {
                // carry
            }
        }
        throw new IllegalStateException("no hashcash solution for length " + length + " in " + MAX_TRIES + " tries");
    }

    /** A 16-byte suffix that does NOT solve the challenge (for tests of rejected solutions). */
    public static byte[] wrongSuffix(byte[] prefix, int length) {
        byte[] suffix = new byte[16];
        for (int i = 0; i < MAX_TRIES; i++) {
            if (!verify(prefix, suffix, length)) return suffix;
            suffix[15]++;
        }
        throw new IllegalStateException("every suffix solves length " + length);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
