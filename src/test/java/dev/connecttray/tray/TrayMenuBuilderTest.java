package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.supervisor.ReceiverProcess;
import dev.connecttray.tray.TrayMenu.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrayMenuBuilderTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");
    private static final Failure REJECTED = Failure.permanent("Spotify rejected the stored credentials", "BadCredentials");

    private static TrayMenu.Entry entry(TrayMenu menu, Action action) {
        return menu.items().stream().filter(i -> i instanceof TrayMenu.Entry e && e.action() == action)
                .map(TrayMenu.Entry.class::cast).findFirst().orElseThrow();
    }

    private static String statusLine(TrayMenu menu) {
        assertThat(menu.items().get(0)).isInstanceOf(TrayMenu.Status.class);
        return ((TrayMenu.Status) menu.items().get(0)).text();
    }

    @Test
    void connectedShowsTheUserAndHowLongInTheTooltipAndStatusLine() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Connected("alice",
                NOW.minus(Duration.ofMinutes(133))), NOW, false);
        assertThat(m.icon()).isEqualTo(IconState.CONNECTED);
        assertThat(m.tooltip()).isEqualTo("Connected as alice \u00b7 2 h 13 min");
        assertThat(statusLine(m)).isEqualTo(m.tooltip());
        assertThat(entry(m, Action.RECONNECT).enabled()).isTrue();
        assertThat(entry(m, Action.QUIT).label()).isEqualTo("Quit");
    }

    @Test
    void retryingCountsDownAsTimePasses() {
        ConnectionState s = new ConnectionState.Retrying(3, 10, NOW.plusSeconds(8), REFUSED);
        TrayMenu now = TrayMenuBuilder.build(s, NOW, false);
        TrayMenu later = TrayMenuBuilder.build(s, NOW.plusSeconds(5), false);
        assertThat(now.icon()).isEqualTo(IconState.BUSY);
        assertThat(now.tooltip()).isEqualTo("Retrying in 8 s (attempt 3 of 10): connection refused");
        assertThat(later.tooltip()).startsWith("Retrying in 3 s");
    }

    @Test
    void waitingNamesTheDeviceAndCannotReconnect() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), NOW, true);
        assertThat(m.icon()).isEqualTo(IconState.WAITING);
        assertThat(m.tooltip()).isEqualTo("Waiting for a Spotify app to pick \u201cConnect Tray (myhost)\u201d");
        assertThat(entry(m, Action.RECONNECT).enabled()).isFalse();
    }

    @Test
    void failedIsRedSaysWhyAndQuitSaysItsExitStatus() {
        ConnectionState s = new ConnectionState.Failed(REJECTED, ExitStatus.NOPERM);
        TrayMenu m = TrayMenuBuilder.build(s, NOW, false);
        assertThat(m.icon()).isEqualTo(IconState.FAILED);
        assertThat(m.tooltip()).isEqualTo("Failed: Spotify rejected the stored credentials");
        assertThat(entry(m, Action.RECONNECT).enabled()).isTrue();
        assertThat(entry(m, Action.QUIT).label()).isEqualTo("Quit (exit 77)");
        // The label and the status quitting actually returns come from the same state.
        assertThat(ReceiverProcess.quitStatus(s)).isEqualTo(ExitStatus.NOPERM);
    }

    @Test
    void aLongCountdownMovesInStepsAndNeverSaysLessThanIsLeft() {
        ConnectionState s = new ConnectionState.Retrying(7, 10, NOW.plusSeconds(72), REFUSED);
        assertThat(TrayMenuBuilder.build(s, NOW, false).tooltip()).startsWith("Retrying in 2 min (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(11), false).tooltip()).startsWith("Retrying in 2 min (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(12), false).tooltip()).startsWith("Retrying in 1 min (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusMillis(28_500), false).tooltip()).startsWith("Retrying in 45 s (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(31), false).tooltip()).startsWith("Retrying in 45 s (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(32), false).tooltip()).startsWith("Retrying in 40 s (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(63), false).tooltip()).startsWith("Retrying in 9 s (");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(64), false).tooltip()).startsWith("Retrying in 8 s (");

        // Within a step the menu is the same, so the tray is not touched.
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(33), false))
                .isEqualTo(TrayMenuBuilder.build(s, NOW.plusSeconds(36), false));

        ConnectionState cooldown = new ConnectionState.Cooldown(NOW.plusSeconds(300), REFUSED);
        assertThat(TrayMenuBuilder.build(cooldown, NOW.plusSeconds(1), false).tooltip())
                .startsWith("Gave up for now; trying again in 5 min:");
        assertThat(TrayMenuBuilder.build(cooldown, NOW.plusSeconds(241), false).tooltip())
                .startsWith("Gave up for now; trying again in 1 min:");
    }

    @Test
    void everyStateHasAnIconAStatusLineAndTheFullMenu() {
        List<ConnectionState> all = List.of(new ConnectionState.Starting(),
                new ConnectionState.WaitingForCredentials("d"), new ConnectionState.Connecting(1, 10),
                new ConnectionState.Connected("alice", NOW), new ConnectionState.Degraded("alice", NOW, "no dealer"),
                new ConnectionState.Retrying(2, 10, NOW, REFUSED), new ConnectionState.Cooldown(NOW.plusSeconds(60), REFUSED),
                new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE), new ConnectionState.Stopped());
        for (ConnectionState s : all) {
            TrayMenu m = TrayMenuBuilder.build(s, NOW, false);
            assertThat(statusLine(m)).as(s.name()).isNotBlank();
            assertThat(m.items()).as(s.name()).extracting(i -> i.getClass().getSimpleName())
                    .containsExactly("Status", "Entry", "Entry", "Entry", "Check", "Separator", "Entry");
            assertThat(entry(m, Action.QUIT).label()).isEqualTo(
                    s instanceof ConnectionState.Failed ? "Quit (exit 69)" : "Quit");
        }
        assertThat(TrayMenuBuilder.build(all.get(4), NOW, false).icon()).isEqualTo(IconState.DEGRADED);
        assertThat(TrayMenuBuilder.build(all.get(6), NOW, false).icon()).isEqualTo(IconState.BUSY);
        assertThat(entry(TrayMenuBuilder.build(all.get(2), NOW, false), Action.RECONNECT).enabled())
                .as("an attempt is under way").isFalse();
    }

    @Test
    void withoutAutostartThereIsNoStartAtLoginEntry() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Starting(), NOW, null);
        assertThat(m.items()).noneMatch(i -> i instanceof TrayMenu.Check);
        TrayMenu on = TrayMenuBuilder.build(new ConnectionState.Starting(), NOW, true);
        assertThat(on.items()).filteredOn(i -> i instanceof TrayMenu.Check).singleElement()
                .isEqualTo(new TrayMenu.Check("Start at login", Action.TOGGLE_START_AT_LOGIN, true));
    }
}
