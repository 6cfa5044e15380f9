package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusReportTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Path STATE = Path.of("/home/alice/.local/state/connect-tray");

    private final List<StateChange> history = List.of(
            new StateChange(T0, new ConnectionState.Connecting(1, 10)),
            new StateChange(T0.plusSeconds(1), new ConnectionState.Retrying(2, 10, T0.plusSeconds(9),
                    Failure.transientFailure("Connection refused", "ConnectException"))),
            new StateChange(T0.plusSeconds(10), new ConnectionState.Connected("alice", T0.plusSeconds(10))));

    @Test
    void aRunningInstanceShowsItsStateNowAndItsLastChanges() {
        String out = StatusReport.render(OptionalLong.of(4242), STATE, history, T0.plusSeconds(10 + 7980),
                ZoneOffset.UTC);
        assertThat(out).startsWith("Connect Tray is running (pid 4242, state folder " + STATE + ").\n"
                + "Now: Connected as alice \u00b7 2 h 13 min\n");
        // The changes as the tray said them, the cause in brackets; no internal state names, no "· 0 s".
        assertThat(out).endsWith("Recent changes:\n"
                + "  2026-11-24 10:00:00  Connecting\n"
                + "  2026-11-24 10:00:01  Spotify unreachable \u00b7 retrying in 8 s (attempt 2 of 10: connection refused)\n"
                + "  2026-11-24 10:00:10  Connected as alice\n");
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

    @Test
    void everyStateReadsAsItsHeadlineNeverItsInternalName() {
        Failure refused = Failure.permanent("Spotify rejected the login (BadCredentials)", "BadCredentials");
        List<StateChange> all = List.of(
                new StateChange(T0, new ConnectionState.Starting()),
                new StateChange(T0, new ConnectionState.WaitingForCredentials("Connect Tray (vm)")),
                new StateChange(T0, new ConnectionState.Connecting(3, 10)),
                new StateChange(T0, new ConnectionState.Degraded("alice", T0, "The Connect channel is down")),
                new StateChange(T0, new ConnectionState.Cooldown(T0.plusSeconds(300),
                        Failure.transientFailure("Connection refused", "ConnectException"))),
                new StateChange(T0, new ConnectionState.Failed(refused, dev.connecttray.core.ExitStatus.NOPERM)),
                new StateChange(T0, new ConnectionState.Stopped()));
        String out = StatusReport.render(OptionalLong.empty(), STATE, all, T0, ZoneOffset.UTC);
        assertThat(out).contains(
                "  2026-11-24 10:00:00  Starting\n",
                "  2026-11-24 10:00:00  Waiting for a Spotify app (pick \u201cConnect Tray (vm)\u201d in a Spotify app)\n",
                "  2026-11-24 10:00:00  Connecting, attempt 3 of 10\n",
                "  2026-11-24 10:00:00  Connected as alice \u00b7 apps may not see it (The Connect channel is down)\n",
                "  2026-11-24 10:00:00  Spotify unreachable \u00b7 next try in 5 min (connection refused)\n",
                "  2026-11-24 10:00:00  Login refused (Spotify rejected the login (BadCredentials))\n",
                "  2026-11-24 10:00:00  Stopped\n");
        for (String internal : List.of("WaitingForCredentials", "Degraded", "Cooldown", "Failed")) {
            assertThat(out).doesNotContain(internal);
        }
    }

    @Test
    void forAConsoleThatCannotShowThemQuotesAndDotsBecomePlain() {
        String text = "Now: Waiting for a Spotify app to pick \u201cConnect Tray (vm)\u201d\n"
                + "  Connected as alice \u00b7 2 h \u2014 K\u00fcche\n";
        assertThat(StatusReport.forConsole(text, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Now: Waiting for a Spotify app to pick \"Connect Tray (vm)\"\n"
                        + "  Connected as alice - 2 h - K\u00fcche\n");
        assertThat(StatusReport.forConsole(text, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(StatusReport.forConsole(text, java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("Latin-1 has the middle dot but not the curly quotes")
                .contains("pick \"Connect Tray (vm)\"", "alice \u00b7 2 h");
    }

    @Test
    void theReadmesExampleIsWhatStatusPrints() throws Exception {
        Instant t = Instant.parse("2026-11-24T20:01:02Z");
        Failure refused = Failure.transientFailure("Connection refused", "ConnectException");
        List<StateChange> h = List.of(
                new StateChange(t, new ConnectionState.Connecting(1, 10)),
                new StateChange(t.plusSeconds(1), new ConnectionState.Retrying(2, 10, t.plusSeconds(2), refused)),
                new StateChange(t.plusSeconds(2), new ConnectionState.Connecting(2, 10)),
                new StateChange(t.plusSeconds(3), new ConnectionState.Retrying(3, 10, t.plusSeconds(11), refused)));
        String out = StatusReport.render(OptionalLong.of(4242), STATE, h, t.plusSeconds(3), ZoneOffset.UTC);
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        assertThat(readme).contains("  ```\n" + out.indent(2).replace("\n  \n", "\n\n") + "  ```\n");
    }

    @Test
    void aRunningInstancesEngineIsPrintedUnderItsState() {
        String out = StatusReport.render(OptionalLong.of(4242), STATE,
                java.util.Optional.of("Spotify Soloist 1.3.8.9 \u00b7 42 days left"), history, T0.plusSeconds(70),
                ZoneOffset.UTC);
        assertThat(out).startsWith("Connect Tray is running (pid 4242, state folder " + STATE + ").\n"
                + "Now: Connected as alice \u00b7 1 min\n"
                + "Engine: Spotify Soloist 1.3.8.9 \u00b7 42 days left\n");
        assertThat(StatusReport.forConsole(out, java.nio.charset.StandardCharsets.US_ASCII))
                .contains("Engine: Spotify Soloist 1.3.8.9 - 42 days left\n");

        String withoutNote = StatusReport.render(OptionalLong.of(4242), STATE, java.util.Optional.empty(), history,
                T0.plusSeconds(70), ZoneOffset.UTC);
        assertThat(withoutNote).doesNotContain("Engine:");
    }
}
