package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import java.util.List;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusTextsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "");

    @Test
    void retryingSaysTheTechnicalCauseAndWhenNeverTheHeadlineAgain() {
        var r = new ConnectionState.Retrying(3, 10, Instant.parse("2026-11-24T20:01:11Z"), REFUSED);
        assertThat(StatusTexts.detail(r, UTC, false)).isEqualTo("Connection refused. Attempt 3 of 10 at 20:01:11.");
        assertThat(StatusTexts.detail(r, ZoneId.of("Europe/Berlin"), false)).endsWith("at 21:01:11.");
        String headline = StateText.headline(r, NOW);
        assertThat(StatusTexts.detail(r, UTC, false)).doesNotContain(headline).doesNotContain("retrying in");
    }

    @Test
    void cooldownSaysWhenTheNextRoundStarts() {
        var c = new ConnectionState.Cooldown(NOW.plusSeconds(300), Failure.transientFailure("Spotify is down", ""));
        assertThat(StatusTexts.detail(c, UTC, false)).isEqualTo("Spotify is down. A new round of attempts starts at 20:05:00.");
    }

    @Test
    void failedSaysTheCauseAndWhatToDoWithoutExitCodes() {
        var rejected = Failure.permanent("Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS)", "");
        assertThat(StatusTexts.detail(new ConnectionState.Failed(rejected, ExitStatus.NOPERM), UTC, false)).isEqualTo(
                "Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS). Pick this device again "
                        + "in a Spotify app on the same network to log in again, then Reconnect.");
        // auth.mode "stored": the device is not advertised, so no app can pick it; said once.
        String stored = StatusTexts.detail(new ConnectionState.Failed(rejected, ExitStatus.NOPERM), UTC, true);
        assertThat(stored).isEqualTo("Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS). "
                + "Replace the credentials file (auth.credentialsFile), or set auth.mode to \"zeroconf\" and pick this "
                + "device in a Spotify app on the same network; then Reconnect.");
        assertThat(stored.split("Spotify app", -1)).hasSize(2);
        assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, ExitStatus.CONFIG), UTC, false))
                .isEqualTo("Connection refused. Fix the file, then Reconnect.");
        for (ExitStatus status : List.of(ExitStatus.UNAVAILABLE, ExitStatus.SOFTWARE, ExitStatus.TEMPFAIL)) {
            assertThat(StatusTexts.detail(new ConnectionState.Failed(REFUSED, status), UTC, false))
                    .endsWith(" Reconnect to try again.").doesNotContain("xit").doesNotContain(" " + status.code());
        }
    }

    @Test
    void degradedSaysWhyAndSinceWhen() {
        var d = new ConnectionState.Degraded("alice", Instant.parse("2026-11-24T18:01:36Z"), "Audio output failed");
        assertThat(StatusTexts.detail(d, UTC, false)).isEqualTo("Audio output failed. Connected since 18:01:36; Reconnect may help.");
    }

    @Test
    void waitingNamesTheDeviceToPick() {
        assertThat(StatusTexts.detail(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), UTC, false))
                .contains("pick \u201cConnect Tray (myhost)\u201d");
    }

    private static StateChange at(int second, ConnectionState s) {
        return new StateChange(NOW.plusSeconds(second), s);
    }

    @Test
    void anOutageIsOneRowHoweverManyAttemptsAndCountdownsItTook() {
        Failure dropped = Failure.transientFailure("The connection to Spotify dropped", "");
        List<StateChange> history = List.of(
                at(0, new ConnectionState.Starting()),
                at(1, new ConnectionState.Connecting(1, 10)),
                at(2, new ConnectionState.Connected("alice", NOW.plusSeconds(2))),
                at(100, new ConnectionState.Retrying(1, 10, NOW.plusSeconds(100), dropped)),
                at(100, new ConnectionState.Connecting(1, 10)),
                at(101, new ConnectionState.Retrying(2, 10, NOW.plusSeconds(102), REFUSED)),
                at(102, new ConnectionState.Connecting(2, 10)),
                at(103, new ConnectionState.Retrying(3, 10, NOW.plusSeconds(105), REFUSED)),
                at(105, new ConnectionState.Connecting(3, 10)),
                at(106, new ConnectionState.Connected("alice", NOW.plusSeconds(106))),
                at(200, new ConnectionState.Degraded("alice", NOW.plusSeconds(106), "no dealer")),
                at(210, new ConnectionState.Degraded("alice", NOW.plusSeconds(106), "Audio output failed")));

        List<StatusTexts.Row> rows = StatusTexts.rows(history);

        assertThat(rows).extracting(StatusTexts.Row::state).containsExactly(
                "Connected as alice, degraded", "Connected as alice", "Retrying, 3 attempts", "Connected as alice",
                "Connecting", "Starting");
        assertThat(rows.get(2).time()).isEqualTo(NOW.plusSeconds(100));
        assertThat(rows.get(2).cause()).as("the latest cause").isEqualTo("Connection refused");
        assertThat(rows.get(0).cause()).isEqualTo("Audio output failed");
        assertThat(rows.get(0).time()).isEqualTo(NOW.plusSeconds(200));
        assertThat(StatusTexts.rows(List.of())).isEmpty();
    }

    @Test
    void pastStatesSayTheKindOfProblemAndKeepTheCauseApart() {
        var r = new ConnectionState.Retrying(2, 10, NOW, REFUSED);
        assertThat(StatusTexts.pastState(r)).isEqualTo("Retrying: Spotify unreachable");
        assertThat(StatusTexts.cause(r)).isEqualTo("Connection refused");
        var d = new ConnectionState.Degraded("alice", NOW, "Audio output failed");
        assertThat(StatusTexts.pastState(d)).isEqualTo("Connected as alice, degraded");
        assertThat(StatusTexts.cause(d)).isEqualTo("Audio output failed");
        assertThat(StatusTexts.pastState(new ConnectionState.Failed(Failure.permanent("Spotify rejected the stored "
                + "credentials", ""), ExitStatus.NOPERM))).isEqualTo("Failed: Login refused");
        assertThat(StatusTexts.cause(new ConnectionState.Connected("alice", NOW))).isEmpty();
    }

    @Test
    void tableTimesAreShortTodayAndNameTheDayOtherwise() {
        assertThat(StatusTexts.tableTime(NOW.minusSeconds(3600), NOW, UTC)).isEqualTo("19:00:00");
        assertThat(StatusTexts.tableTime(NOW.minus(java.time.Duration.ofHours(21)), NOW, UTC)).isEqualTo("Nov 23 23:00:00");
        assertThat(StatusTexts.tableTime(Instant.parse("2026-12-31T23:59:59Z"), NOW, UTC))
                .hasSameSizeAs(StatusTexts.LONGEST_TABLE_TIME);
    }
}
