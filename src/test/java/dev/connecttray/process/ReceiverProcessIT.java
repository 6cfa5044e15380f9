package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built launcher, run as a user would: exit statuses, signals, nothing left behind. */
class ReceiverProcessIT {
    @TempDir
    Path home;

    /** A loopback port with nothing listening: every apresolve request is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String fastRetryConfig(String initialDelay, int maxAttempts, String afterGiveUp) {
        return """
                {
                  "version": 1,
                  "deviceName": "Connect Tray (process test)",
                  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                  "retry": { "initialDelay": "%s", "maxDelay": "2s", "multiplier": 2.0, "jitter": 0.0,
                             "maxAttempts": %d, "attemptTimeout": "10s", "afterGiveUp": "%s" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """.formatted(initialDelay, maxAttempts, afterGiveUp);
    }

    private void writeCredentials() throws IOException {
        Files.writeString(home.resolve("credentials.json"),
                "{\"username\":\"alice\",\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
    }

    @Test
    void aBadFlagExits64AndNamesTheFlag() throws Exception {
        try (Launcher app = Launcher.start(home, closedPort(), "--no-such-flag")) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(64);
            assertThat(app.stderr()).contains("--no-such-flag").contains("--help");
        }
    }

    @Test
    void aBadLogLevelExits64() throws Exception {
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--log-level", "loud")) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(64);
            assertThat(app.stderr()).contains("loud");
        }
    }

    @Test
    void versionAndHelpExit0() throws Exception {
        try (Launcher app = Launcher.start(home, closedPort(), "--version")) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(String.join("\n", app.stdoutLines())).startsWith("connect-tray ");
        }
        try (Launcher app = Launcher.start(home, closedPort(), "--help")) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(String.join("\n", app.stdoutLines())).contains("--config").contains("78");
        }
    }

    @Test
    void aBrokenConfigExits78AndSaysWhereWithoutTouchingTheFile() throws Exception {
        Path config = Launcher.writeConfig(home, "{\n  \"version\": 1,\n  \"retry\": { \"maxAttempts\": 3,, }\n}\n");
        byte[] before = Files.readAllBytes(config);
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--config", config.toString())) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
            assertThat(app.stderr()).contains(config.toString()).contains("line 3");
        }
        assertThat(Files.readAllBytes(config)).isEqualTo(before);
    }

    @Test
    void aValueOutOfRangeExits78AndNamesTheKey() throws Exception {
        Path config = Launcher.writeConfig(home, "{\"version\": 1, \"retry\": {\"jitter\": 3.5}}");
        try (Launcher app = Launcher.start(home, closedPort(), "--headless", "--config", config.toString())) {
            assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
            assertThat(app.stderr()).contains("jitter");
        }
    }

    @Test
    void anExhaustedRetryBudgetWithAfterGiveUpExitExits69() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("200ms", 4, "exit"));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--config", config.toString())) {
            JsonObject failed = app.awaitEvent(Launcher.state("Failed"), Duration.ofSeconds(60));
            assertThat(failed.get("exitStatus").getAsInt()).isEqualTo(69);
            assertThat(app.awaitExit(Duration.ofSeconds(10))).isEqualTo(69);

            List<String> lines = app.stdoutLines();
            assertThat(lines.stream().filter(l -> l.contains("\"state\":\"Connecting\""))).hasSize(4);
            assertThat(lines.stream().filter(l -> l.contains("\"state\":\"Retrying\""))).hasSize(3);
            assertThat(app.stderr()).contains("Exiting with status 69");
        }
    }

    @Test
    void sigtermWhileRetryingExits0WithinFiveSecondsAndLeavesNoProcess() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--config", config.toString())) {
            app.awaitEvent(Launcher.state("Retrying"), Duration.ofSeconds(60));
            List<ProcessHandle> family = app.process.descendants().toList();

            Instant sent = Instant.now();
            app.process.toHandle().destroy(); // SIGTERM, leaving our ends of its pipes open to read the rest
            int status = app.awaitExit(Duration.ofSeconds(10));
            Duration took = Duration.between(sent, Instant.now());

            assertThat(status).isZero();
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(app.process.isAlive()).isFalse();
            assertThat(family).noneMatch(ProcessHandle::isAlive);
            app.saveOutput("sigterm-while-retrying");
            assertThat(app.stdoutLines()).anyMatch(l -> l.contains("\"state\":\"Stopped\""));
        }
    }

    @Test
    void aStopCommandExits0AndAMalformedOneIsIgnored() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--config", config.toString())) {
            app.awaitEvent(Launcher.state("Retrying"), Duration.ofSeconds(60));
            app.send("this is not json");
            app.send("{\"command\":\"dance\"}");
            app.awaitEvent(o -> "heartbeat".equals(o.get("type").getAsString()), Duration.ofSeconds(15));
            assertThat(app.process.isAlive()).isTrue();

            app.send("{\"command\":\"stop\"}");
            assertThat(app.awaitExit(Duration.ofSeconds(10))).isZero();
            assertThat(app.stderr()).contains("Ignoring a malformed command");
        }
    }

    /** The options {@link Launcher#start(Path, int, String...)} gives, with 500 ms heartbeats. */
    private static List<String> loopbackOptions(int proxyPort) {
        return List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxyPort,
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxyPort, "-Dconnecttray.heartbeatInterval=500ms");
    }

    private static final java.util.function.Predicate<JsonObject> HEARTBEAT =
            o -> "heartbeat".equals(o.get("type").getAsString());

    @Test
    void aSupervisedReceiverExits0OnlyOnTheStopCommand() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--supervised", "--config",
                config.toString())) {
            app.awaitEvent(Launcher.state("Retrying"), Duration.ofSeconds(60));
            app.send("{\"command\":\"stop\"}");
            assertThat(app.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void aSupervisedReceiverEndedBySigtermWithoutAStopCommandDoesNotExit0() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--supervised", "--config",
                config.toString())) {
            app.awaitEvent(Launcher.state("Retrying"), Duration.ofSeconds(60));
            app.process.toHandle().destroy(); // SIGTERM
            assertThat(app.awaitExit(Duration.ofSeconds(10))).isEqualTo(75);
            assertThat(app.stderr()).contains("without a stop command");
        }
    }

    @Test
    void aSupervisedReceiverWhoseStdinClosesStopsWithout0() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--supervised", "--config",
                config.toString())) {
            app.awaitEvent(Launcher.state("Retrying"), Duration.ofSeconds(60));
            app.process.getOutputStream().close();
            assertThat(app.awaitExit(Duration.ofSeconds(10))).isEqualTo(75);
            assertThat(app.stderr()).contains("stdin closed");
        }
    }

    /**
     * The receiver's parent (a subshell that started it in the background) exits while the
     * receiver's stdin stays open: it keeps running, since only its stdin closing says the
     * supervisor is gone. (Asking /proc for its parent failed at the file descriptor limit and made
     * it exit 0.) An outer shell keeps the pipes, since Java closes its ends when its child exits.
     */
    @Test
    void aSupervisedReceiverDecidesThatItsSupervisorIsGoneOnlyByStdinClosing() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("1m", 10, "exit").replace("\"2s\"", "\"5m\""));
        Path parentMayGo = home.resolve("parent-may-go");
        ProcessHandle receiver = null;
        try (Launcher app = Launcher.start(List.of("bash", "-c", "exec 3<&0; ( \"$0\" \"$@\" <&3 3<&- & "
                        + "while [ ! -e \"$PARENT_MAY_GO\" ]; do sleep 0.1; done ); exec sleep 600"), home,
                loopbackOptions(closedPort()), java.util.Map.of("PARENT_MAY_GO", parentMayGo.toString()),
                "receiver", "--supervised", "--config", config.toString())) {
            long pid = app.awaitEvent(HEARTBEAT, Duration.ofSeconds(60)).get("pid").getAsLong();
            receiver = ProcessHandle.of(pid).orElseThrow();
            long parent = receiver.parent().map(ProcessHandle::pid).orElseThrow();
            assertThat(parent).isNotEqualTo(app.process.pid());
            Files.writeString(parentMayGo, "");
            assertThat(ProcessHandle.of(parent).map(p -> p.onExit().join().isAlive()).orElse(false)).isFalse();
            // Ten more heartbeats (5 s): more than twice the 2 s in which the /proc check gave up on the parent.
            for (int i = 0; i < 10; i++) app.awaitEvent(HEARTBEAT, Duration.ofSeconds(10));
            assertThat(receiver.isAlive()).isTrue();

            app.process.getOutputStream().close(); // the receiver's stdin reaches its end (the shells keep no writer)
            assertThat(receiver.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
            app.awaitLog("stdin closed", Duration.ofSeconds(10));
        } finally {
            if (receiver != null) receiver.destroyForcibly();
        }
    }

    @Test
    void theStoredCredentialsNeverAppearInTheLogs() throws Exception {
        writeCredentials();
        Path config = Launcher.writeConfig(home, fastRetryConfig("100ms", 2, "exit"));
        try (Launcher app = Launcher.start(home, closedPort(), "receiver", "--config", config.toString(),
                "--log-level", "trace")) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isEqualTo(69);
            assertThat(app.stderr()).doesNotContain("c2VjcmV0LWJsb2I=").doesNotContain("secret-blob");
            assertThat(String.join("\n", app.stdoutLines())).doesNotContain("c2VjcmV0LWJsb2I=");
        }
        Path log = home.resolve("state/connect-tray/logs/receiver.log");
        assertThat(log).exists();
        assertThat(Files.readString(log)).contains("Exiting with status 69").doesNotContain("c2VjcmV0LWJsb2I=");
    }
}
