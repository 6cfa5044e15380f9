package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher answering questions as a user asks them: the answer and nothing else, on the
 * stream it belongs to, through the real exit path (no "Exiting with status" log line).
 */
class CommandLineIT {
    @TempDir
    Path home;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** stderr without the JVM's own note that the test's JAVA_TOOL_OPTIONS (the loopback proxy) were used. */
    private static String stderr(Launcher app) {
        return app.stderr().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private Launcher ask(String... args) throws Exception {
        Launcher app = Launcher.start(home, closedPort(), args);
        app.awaitExit(Duration.ofSeconds(30));
        return app;
    }

    @Test
    void helpAndVersionPrintTheirAnswerOnStdoutAndNothingOnStderr() throws Exception {
        try (Launcher help = ask("--help")) {
            assertThat(help.process.exitValue()).isZero();
            assertThat(help.stdoutLines()).contains("Exit status:")
                    .contains("  " + home.resolve("config/connect-tray/config.json"));
            assertThat(stderr(help)).isEmpty();
        }
        try (Launcher version = ask("--version")) {
            assertThat(version.process.exitValue()).isZero();
            assertThat(String.join("\n", version.stdoutLines())).startsWith("connect-tray ");
            assertThat(stderr(version)).isEmpty();
        }
    }

    @Test
    void statusWithNothingRunningSaysSoAndExits69WithoutALogLine() throws Exception {
        try (Launcher status = ask("status")) {
            assertThat(status.process.exitValue()).isEqualTo(69);
            assertThat(String.join("\n", status.stdoutLines())).startsWith("No Connect Tray is running");
            assertThat(stderr(status)).isEmpty();
        }
    }

    @Test
    void aBadFlagOrLineCountSaysWhatIsWrongAndNothingElse() throws Exception {
        try (Launcher bad = ask("--no-such-flag")) {
            assertThat(bad.process.exitValue()).isEqualTo(64);
            assertThat(stderr(bad).lines()).containsExactly("connect-tray: Unknown option: '--no-such-flag'",
                    "Try 'connect-tray --help' for the options.");
            assertThat(bad.stdoutLines()).isEmpty();
        }
        try (Launcher zero = ask("status", "-n", "0")) {
            assertThat(zero.process.exitValue()).isEqualTo(64);
            assertThat(stderr(zero)).contains("-n/--lines must be a whole number from 1 to 5000")
                    .doesNotContain("Exiting with status").doesNotContain("INFO");
            assertThat(zero.stdoutLines()).isEmpty();
        }
    }

    @Test
    void aJsonSyntaxErrorNamesTheFileLineColumnAndWhatWasExpected() throws Exception {
        Path config = Launcher.writeConfig(home, "{\n  \"version\": 1\n  \"deviceName\": \"Kitchen\"\n}\n");
        try (Launcher app = ask("--headless", "--config", config.toString())) {
            assertThat(app.process.exitValue()).isEqualTo(78);
            assertThat(app.stderr()).contains(config + " line 3 column 4: not valid JSON: expected , or } after "
                    + "the value before it (a missing comma?)");
        }
    }

    @Test
    void aReceiverRunAloneWarnsAboutTheConfigButASupervisedOneLeavesThatToItsSupervisor() throws Exception {
        Path config = Launcher.writeConfig(home, "{ \"version\": 1, \"colour\": \"red\" }\n");
        // A retry budget out of range: the receiver stops right after reading the configuration.
        String overspent = "--retry-budget={\"initialDelayMs\":1000,\"maxDelayMs\":60000,\"multiplier\":2.0,"
                + "\"jitter\":0.2,\"maxAttempts\":10,\"attemptTimeoutMs\":30000,\"cooldownMs\":300000,"
                + "\"afterGiveUp\":\"exit\",\"attemptsUsed\":99}";
        try (Launcher alone = ask("receiver", "--config", config.toString(), overspent)) {
            assertThat(alone.process.exitValue()).isEqualTo(64);
            assertThat(stderr(alone)).contains("WARN").contains("unknown key `colour`");
        }
        try (Launcher child = ask("receiver", "--supervised", "--config", config.toString(), overspent)) {
            assertThat(child.process.exitValue()).isEqualTo(64);
            assertThat(stderr(child)).contains("--retry-budget is").contains("attemptsUsed must be from 0 to 9")
                    .doesNotContain("colour");
        }
    }

    @Test
    void statusUnderACLocaleShowsPlainQuotesAndTheTraysWordsNotQuestionMarksOrStateNames() throws Exception {
        java.time.Instant t = java.time.Instant.now().minusSeconds(60);
        Path stateDir = java.nio.file.Files.createDirectories(home.resolve("state/connect-tray"));
        dev.connecttray.supervisor.StateHistory history = dev.connecttray.supervisor.StateHistory.open(
                stateDir, 100, 1 << 20);
        history.record(t, new dev.connecttray.core.ConnectionState.Starting());
        history.record(t.plusSeconds(1), new dev.connecttray.core.ConnectionState.WaitingForCredentials("Connect Tray (vm)"));
        history.close();
        // No LANG, no LC_*: the C locale, whose charset (ASCII) has no curly quotes or middle dots.
        Launcher status = Launcher.start(home, java.util.List.of(), java.util.Map.of("LANG", "", "LC_ALL", "",
                "LC_CTYPE", ""), "status");
        try (status) {
            assertThat(status.awaitExit(Duration.ofSeconds(30))).isEqualTo(69);
            String out = String.join("\n", status.stdoutLines());
            assertThat(out).contains("Last known state, at ")
                    .contains("Waiting for a Spotify app to pick \"Connect Tray (vm)\"")
                    .contains("  Waiting for a Spotify app (pick \"Connect Tray (vm)\" in a Spotify app)")
                    .doesNotContain("?").doesNotContain("WaitingForCredentials");
        }
    }

    @Test
    void aDisplayThatDoesNotOpenIsNamedAndTheAppSaysItRunsHeadless() throws Exception {
        Path config = Launcher.writeConfig(home, "{ \"version\": 99 }\n"); // stops right after the display check
        // :269 is set aside for this test's author and never started.
        Launcher app = Launcher.start(home, java.util.List.of(), java.util.Map.of("DISPLAY", ":269"),
                "--config", config.toString());
        try (app) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
            assertThat(stderr(app)).contains("WARN").contains("Cannot open the X display :269 named by DISPLAY "
                    + "(no X server there, or no access to it); running headless").doesNotContain("No display;");
        }
    }
}
