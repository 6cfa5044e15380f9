package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

    @Test
    void oneDurationFormatEverywhere() {
        assertThat(DurationText.duration(Duration.ZERO)).isEqualTo("0 s");
        assertThat(DurationText.duration(Duration.ofMillis(250))).isEqualTo("250 ms");
        assertThat(DurationText.duration(Duration.ofMillis(1000))).isEqualTo("1 s");
        assertThat(DurationText.duration(Duration.ofMillis(1001))).isEqualTo("2 s");
        assertThat(DurationText.duration(Duration.ofSeconds(59))).isEqualTo("59 s");
        assertThat(DurationText.duration(Duration.ofMillis(59_500))).isEqualTo("1 min");
        assertThat(DurationText.duration(Duration.ofSeconds(72))).isEqualTo("1 min 12 s");
        assertThat(DurationText.duration(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(DurationText.duration(Duration.ofMinutes(65))).isEqualTo("1 h 5 min");
        assertThat(DurationText.duration(Duration.ofHours(76))).isEqualTo("3 d 4 h");
        assertThat(DurationText.duration(Duration.ofSeconds(-3))).isEqualTo("0 s");
        // Countdowns round up (never less than is left), elapsed times down; both read the same way.
        assertThat(DurationText.countdown(NOW, NOW.plusMillis(950))).isEqualTo("1 s");
        assertThat(DurationText.countdown(NOW, NOW.plusMillis(72_001))).isEqualTo("1 min 13 s");
        assertThat(DurationText.duration(NOW.minusMillis(72_999), NOW)).isEqualTo("1 min 12 s");
        // No decimals, no config-file spelling: nothing like "1.0 s" or "30s".
        for (long ms : new long[]{1, 999, 1000, 1500, 9_999, 61_000, 3_600_000, 90_000_000}) {
            assertThat(DurationText.duration(Duration.ofMillis(ms))).as("%d ms", ms)
                    .matches("\\d+ (ms|s|min|h|d)( \\d+ (s|min|h))?");
        }
    }
}
