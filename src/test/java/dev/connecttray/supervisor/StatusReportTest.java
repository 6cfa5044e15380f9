package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Path STATE = Path.of("/home/alice/.local/state/connect-tray");

    private final List<StateHistory.Entry> history = List.of(
            new StateHistory.Entry(T0, new ConnectionState.Connecting(1, 10)),
            new StateHistory.Entry(T0.plusSeconds(1), new ConnectionState.Retrying(2, 10, T0.plusSeconds(9),
                    Failure.transientFailure("Connection refused", "ConnectException"))),
            new StateHistory.Entry(T0.plusSeconds(10), new ConnectionState.Connected("alice", T0.plusSeconds(10))));

    @Test
    void aRunningInstanceShowsItsStateNowAndItsLastChanges() {
        String out = StatusReport.render(OptionalLong.of(4242), STATE, history, T0.plusSeconds(10 + 7980),
                ZoneOffset.UTC);
        assertThat(out).startsWith("Connect Tray is running (pid 4242, state folder " + STATE + ").\n"
                + "Now: Connected as alice \u00b7 2 h 13 min\n");
        assertThat(out).contains("2026-11-24 10:00:01  Retrying              Retrying in 8 s (attempt 2 of 10): "
                + "connection refused");
        assertThat(out.lines().filter(l -> l.startsWith("  2026-"))).hasSize(3);
    }

    @Test
    void noInstanceSaysSoAndTheLastKnownState() {
        String out = StatusReport.render(OptionalLong.empty(), STATE, history, T0.plusSeconds(99999), ZoneOffset.UTC);
        assertThat(out).startsWith("No Connect Tray is running with the state folder " + STATE + ".\n"
                + "Last known state, at 2026-11-24 10:00:10: Connected as alice\n");
    }

    @Test
    void noInstanceAndNoHistoryIsOneLine() {
        assertThat(StatusReport.render(OptionalLong.empty(), STATE, List.of(), T0, ZoneOffset.UTC))
                .isEqualTo("No Connect Tray is running with the state folder " + STATE + ".\n");
    }
}
