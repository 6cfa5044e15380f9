package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StateTextTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

    @Test
    void connectedSaysWhoAndForHowLong() {
        assertThat(StateText.describe(new ConnectionState.Connected("alice", NOW.minusSeconds(2 * 3600 + 13 * 60)), NOW))
                .isEqualTo("Connected as alice \u00b7 2 h 13 min");
    }

    @Test
    void retryingCountsDownAndSaysWhy() {
        var r = new ConnectionState.Retrying(3, 10, NOW.plusMillis(7200),
                Failure.transientFailure("Connection refused", "x"));
        assertThat(StateText.describe(r, NOW)).isEqualTo("Retrying in 8 s (attempt 3 of 10): connection refused");
        assertThat(StateText.describe(r, NOW.plusSeconds(6))).startsWith("Retrying in 2 s");
        assertThat(StateText.describe(r, NOW.plusSeconds(7))).startsWith("Retrying in 0.2 s");
        assertThat(StateText.describe(r, NOW.plusSeconds(60))).startsWith("Retrying in 0 s");
    }

    @Test
    void waitingNamesTheDevice() {
        assertThat(StateText.describe(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), NOW))
                .isEqualTo("Waiting for a Spotify app to pick \u201cConnect Tray (myhost)\u201d");
    }

    @Test
    void failedSaysTheCause() {
        var f = new ConnectionState.Failed(Failure.permanent("Spotify rejected the stored credentials", ""),
                ExitStatus.NOPERM);
        assertThat(StateText.describe(f, NOW)).isEqualTo("Failed: Spotify rejected the stored credentials");
    }

    @Test
    void cooldownCountsDownInMinutes() {
        var c = new ConnectionState.Cooldown(NOW.plusSeconds(300), Failure.transientFailure("Spotify is down", ""));
        assertThat(StateText.describe(c, NOW)).isEqualTo("Gave up for now; trying again in 5 min: Spotify is down");
    }
}
