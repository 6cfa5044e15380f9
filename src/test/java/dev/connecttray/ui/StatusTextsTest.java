package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusTextsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "");

    @Test
    void retryingSaysWhenAndWhy() {
        var r = new ConnectionState.Retrying(3, 10, Instant.parse("2026-11-24T20:01:11Z"), REFUSED);
        assertThat(StatusTexts.detail(r, UTC)).isEqualTo("Attempt 3 of 10 at 20:01:11 \u00b7 connection refused");
        assertThat(StatusTexts.detail(r, ZoneId.of("Europe/Berlin"))).startsWith("Attempt 3 of 10 at 21:01:11");
    }

    @Test
    void cooldownSaysWhenTheNextRoundStarts() {
        var c = new ConnectionState.Cooldown(NOW.plusSeconds(300), Failure.transientFailure("Spotify is down", ""));
        assertThat(StatusTexts.detail(c, UTC)).isEqualTo("New round of attempts at 20:05:00 \u00b7 Spotify is down");
    }

    @Test
    void failedSaysTheStatusAndWhatToDo() {
        assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, ExitStatus.NOPERM), UTC)).isEqualTo(
                "Exit status 77 (login rejected) \u00b7 Spotify rejected the login: pick this device again in a "
                        + "Spotify app or replace the credentials file");
        assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, ExitStatus.CONFIG), UTC))
                .isEqualTo("Exit status 78 (invalid configuration) \u00b7 Fix the configuration file");
        assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE), UTC))
                .endsWith("\u00b7 Reconnect to try again");
        assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, ExitStatus.SOFTWARE), UTC))
                .endsWith("\u00b7 Reconnect to try again");
    }

    @Test
    void degradedSaysSinceWhenAndWhatMayHelp() {
        var d = new ConnectionState.Degraded("alice", Instant.parse("2026-11-24T18:01:36Z"), "Audio output failed");
        assertThat(StatusTexts.detail(d, UTC)).isEqualTo("Connected since 18:01:36 \u00b7 Reconnect may help");
    }

    @Test
    void pastStatesKeepTheirCauseApart() {
        var r = new ConnectionState.Retrying(2, 10, NOW, REFUSED);
        assertThat(StatusTexts.pastState(r)).isEqualTo("Retrying (attempt 2 of 10)");
        assertThat(StatusTexts.cause(r)).isEqualTo("Connection refused");
        var d = new ConnectionState.Degraded("alice", NOW, "Audio output failed");
        assertThat(StatusTexts.pastState(d)).isEqualTo("Degraded, as alice");
        assertThat(StatusTexts.cause(d)).isEqualTo("Audio output failed");
        assertThat(StatusTexts.pastState(new ConnectionState.Failed(REFUSED, ExitStatus.NOPERM))).isEqualTo("Failed (exit 77)");
        assertThat(StatusTexts.cause(new ConnectionState.Connected("alice", NOW))).isEmpty();
    }
}
