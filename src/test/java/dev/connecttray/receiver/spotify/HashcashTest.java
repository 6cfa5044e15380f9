package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class HashcashTest {
    private static final byte[] PREFIX = "0123456789abcdef".getBytes();

    @Test
    void solutionEndsInTheAskedZeroBits() throws Exception {
        for (int bits : new int[] {0, 1, 8, 10, 14}) {
            byte[] suffix = Hashcash.solve("context".getBytes(), PREFIX, bits);
            assertThat(suffix).hasSize(16);
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(PREFIX);
            byte[] digest = sha1.digest(suffix);
            assertThat(Hashcash.trailingZeroBits(digest)).as("bits for %d", bits).isGreaterThanOrEqualTo(bits);
            assertThat(Hashcash.verify(PREFIX, suffix, bits)).isTrue();
        }
    }

    @Test
    void suffixStartsWithTheSeedFromTheContext() throws Exception {
        byte[] context = "login-context".getBytes();
        byte[] seed = MessageDigest.getInstance("SHA-1").digest(context);
        byte[] suffix = Hashcash.solve(context, PREFIX, 4);
        for (int i = 0; i < 8; i++) assertThat(suffix[i]).isEqualTo(seed[12 + i]);
    }

    @Test
    void aWrongSuffixFailsVerification() {
        byte[] suffix = Hashcash.solve(new byte[0], PREFIX, 12);
        suffix[15] ^= 1;
        // Flipping the counter's lowest bit changes the digest: odds of still passing are 1 in 4096.
        assertThat(Hashcash.verify(PREFIX, suffix, 12)).isFalse();
    }

    @Test
    void trailingZeroBitsCountsAcrossBytes() {
        assertThat(Hashcash.trailingZeroBits(new byte[] {1, 0, 0})).isEqualTo(16);
        assertThat(Hashcash.trailingZeroBits(new byte[] {0, 0, 8})).isEqualTo(3);
        assertThat(Hashcash.trailingZeroBits(new byte[] {0, 0})).isEqualTo(16);
    }

    @Test
    void refusesAnUnreasonableChallenge() {
        assertThatThrownBy(() -> Hashcash.solve(new byte[0], PREFIX, 33)).isInstanceOf(IllegalArgumentException.class);
    }
}
