package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakeAccessPoint;
import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.FakeSpotifyMain;
import dev.connecttray.supervisor.UnixDatagramReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher as a supervisor with a real receiver child, against the fake Spotify on
 * loopback: children replaced when killed or wedged, none left behind, one instance per state folder.
 */
class SupervisorProcessIT {
    private static final Path AGENT = Paths.get("target", "fake-spotify-agent.jar");
    private static final Path FIGURES = Paths.get("target", "supervisor-figures.txt");

    @TempDir
    Path home;
    private FakeSpotify fake;
    private final List<Launcher> started = new ArrayList<>();

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeSpotify.start();
    }

    @AfterEach
    void stopAll() {
        started.forEach(Launcher::close);
        if (fake != null) fake.close();
    }

    private Launcher supervisor(String name, List<String> extraJvmOptions, Map<String, String> env, String... args)
            throws IOException {
        List<String> options = new ArrayList<>(FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake")));
        options.addAll(extraJvmOptions);
        List<String> all = new ArrayList<>(List.of("--headless", "--config", config().toString()));
        all.addAll(List.of(args));
        Launcher app = Launcher.start(home, options, env, all.toArray(String[]::new));
        started.add(app);
        return app;
    }

    private Path config() throws IOException {
        Path file = home.resolve("test-config.json");
        if (!Files.exists(file)) {
            Files.writeString(home.resolve("credentials.json"), "{\"username\":\"fake-user\","
                    + "\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
            Launcher.writeConfig(home, """
                    {
                      "version": 1,
                      "deviceName": "Connect Tray (supervisor test)",
                      "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                      "retry": { "initialDelay": "200ms", "maxDelay": "1s", "multiplier": 2.0, "jitter": 0.0,
                                 "maxAttempts": 5, "attemptTimeout": "10s", "afterGiveUp": "exit" },
                      "audio": { "output": "pipe", "pipe": "audio.pcm" }
                    }
                    """);
        }
        return file;
    }

    /** The supervisor's one receiver child (its other child, the network monitor's shell, does not count). */
    private static ProcessHandle onlyChild(Launcher app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> children = app.process.children().filter(ProcessHandle::isAlive)
                    .filter(p -> !isNetworkMonitor(p)).toList();
            if (children.size() == 1) return children.get(0);
            Thread.sleep(50); // polling another process's children: there is nothing to wait on
        }
        throw new AssertionError("the supervisor has no single live child; stderr:\n" + app.stderr());
    }

    private static boolean isNetworkMonitor(ProcessHandle p) {
        return p.info().commandLine().orElse("").contains(dev.connecttray.supervisor.IpMonitor.MONITOR);
    }

    private static void figure(String line) {
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(line);
    }

    private static void signal(ProcessHandle p, String name) throws IOException, InterruptedException {
        // bash's builtin kill: a bare container may lack procps's /bin/kill.
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + name + " " + p.pid()).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @Test
    void aKilledReceiverIsReplacedAndTheSupervisorConnectsAgain() throws Exception {
        Launcher app = supervisor("killed-child", List.of(), Map.of());
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        ProcessHandle first = onlyChild(app);

        long killedAt = System.nanoTime();
        first.destroyForcibly(); // SIGKILL
        app.awaitLog("killed by SIGKILL", Duration.ofSeconds(20));
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        figure("killed child -> Connected again: " + tookMs + " ms (initialDelay 200ms)");

        ProcessHandle second = onlyChild(app);
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(app.process.isAlive()).isTrue();

        app.process.toHandle().destroy(); // SIGTERM
        assertThat(app.awaitExit(Duration.ofSeconds(15))).isZero();
        assertThat(second.isAlive()).isFalse();
        app.saveOutput("supervisor-killed-child");
    }

    @Test
    void aConfigWarningIsSaidOnceOnStderrNotAgainByTheReceiverChild() throws Exception {
        config();
        Path file = home.resolve("test-config.json");
        // One unknown key: the supervisor warns; its child, whose stderr it passes on, must not repeat it.
        Files.writeString(file, Files.readString(file).replace("\"version\": 1,", "\"version\": 1, \"colour\": \"red\","));
        Launcher app = supervisor("config-warning", List.of(), Map.of());
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        app.process.toHandle().destroy(); // SIGTERM
        assertThat(app.awaitExit(Duration.ofSeconds(15))).isZero();
        List<String> warnings = app.stderr().lines().filter(l -> l.contains("unknown key `colour`")).toList();
        assertThat(warnings).as(app.stderr()).hasSize(1);
        assertThat(warnings.get(0)).contains("WARN").contains("[main]");
        // The state change is logged as it begins, without an elapsed "· 0 s".
        assertThat(app.stderr()).contains("Connected as fake-user").doesNotContain("Connected as fake-user \u00b7");
        // The pipe output, never written to, is closed with the session without librespot's NullPointerException.
        assertThat(app.stderr()).doesNotContain("player-audio-sink").doesNotContain("NullPointerException");
        app.saveOutput("supervisor-config-warning");
    }

    @Test
    void sigtermToTheWholeProcessGroupAsSystemctlStopSendsIsNoNetworkMonitorWarning() throws Exception {
        // setsid (which execs: a child of this JVM leads no group) gives the supervisor a process group of its
        // own, holding its receiver and its network monitor, as a systemd service's cgroup does.
        List<String> options = FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake"));
        Launcher app = Launcher.start(List.of("setsid"), home, options, Map.of(),
                "--headless", "--config", config().toString());
        started.add(app);
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        assertThat(app.process.descendants().anyMatch(SupervisorProcessIT::isNetworkMonitor)).isTrue();

        Process kill = new ProcessBuilder("bash", "-c", "kill -TERM -- -" + app.process.pid()).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        assertThat(app.awaitExit(Duration.ofSeconds(15))).as(app.stderr()).isZero();
        assertThat(app.stderr()).contains("Received SIGTERM; shutting down");
        assertThat(app.stderr().lines().filter(l -> l.contains(" WARN ") && l.contains("network monitor")))
                .as(app.stderr()).isEmpty();
        app.saveOutput("supervisor-group-sigterm");
    }

    @Test
    void aReceiverThatStopsBeatingIsKilledAndReplaced() throws Exception {
        Launcher app = supervisor("wedged-child", List.of("-Dconnecttray.heartbeatInterval=500ms"), Map.of());
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        ProcessHandle wedged = onlyChild(app);

        signal(wedged, "STOP"); // alive but silent: no heartbeat, no reaction to SIGTERM
        app.awaitLog("it is wedged", Duration.ofSeconds(20));
        app.awaitLog("ignored SIGTERM", Duration.ofSeconds(20));
        assertThat(wedged.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        assertThat(onlyChild(app).pid()).isNotEqualTo(wedged.pid());

        app.process.toHandle().destroy();
        assertThat(app.awaitExit(Duration.ofSeconds(15))).isZero();
        app.saveOutput("supervisor-wedged-child");
    }

    @Test
    void aKilledSupervisorLeavesNoReceiverBehind() throws Exception {
        Launcher app = supervisor("killed-supervisor", List.of(), Map.of());
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        ProcessHandle child = onlyChild(app);
        List<ProcessHandle> monitor = app.process.descendants().filter(SupervisorProcessIT::isNetworkMonitor).toList();

        long killedAt = System.nanoTime();
        app.process.destroyForcibly();
        ProcessHandle gone = child.onExit().get(10, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        figure("supervisor SIGKILLed -> receiver gone: " + tookMs + " ms");
        assertThat(gone.isAlive()).isFalse();
        assertThat(tookMs).as("the child notices within a few seconds").isLessThan(5000);
        // Nor its network monitor (ip monitor under a shell), which ends when the supervisor's pipe closes.
        for (ProcessHandle p : monitor) assertThat(p.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void underSystemdItNotifiesReadyStatusWatchdogAndStoppingOnAnAbstractSocket() throws Exception {
        String name = "connect-tray-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (UnixDatagramReceiver systemd = UnixDatagramReceiver.bindAbstract(name)) {
            Launcher app = supervisor("sd-notify", List.of(), Map.of("NOTIFY_SOCKET", systemd.notifySocketValue(),
                    "WATCHDOG_USEC", "1000000"));
            List<String> upToReady = systemd.receiveUntil("READY=1"::equals, Duration.ofSeconds(60));
            assertThat(upToReady).contains("STATUS=Starting");
            systemd.receiveUntil(m -> m.startsWith("STATUS=Connected as fake-user"), Duration.ofSeconds(60));
            // Pinged at half of WATCHDOG_USEC: two pings within about a second once connected (a fast login
            // can reach Connected before the first ping, so none is required between READY and Connected).
            List<String> pings = systemd.receiveUntil("WATCHDOG=1"::equals, Duration.ofSeconds(5));
            pings.addAll(systemd.receiveUntil("WATCHDOG=1"::equals, Duration.ofSeconds(5)));

            app.process.toHandle().destroy();
            assertThat(systemd.receiveUntil("STOPPING=1"::equals, Duration.ofSeconds(10))).isNotEmpty();
            assertThat(app.awaitExit(Duration.ofSeconds(15))).isZero();
            app.saveOutput("supervisor-sd-notify");
        }
    }

    @Test
    void rejectedCredentialsEndTheSupervisorWith77WithoutRestarts() throws Exception {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.AuthFailure(
                com.spotify.Keyexchange.ErrorCode.BadCredentials));
        Launcher app = supervisor("rejected", List.of(), Map.of());
        assertThat(app.awaitExit(Duration.ofSeconds(60))).isEqualTo(77);
        assertThat(app.stderr()).contains("Started the receiver (pid").contains("Failed:");
        assertThat(app.stderr().split("Started the receiver \\(pid", -1)).as("one child only").hasSize(2);
        app.saveOutput("supervisor-rejected");
    }

    @Test
    void aSecondInstanceWithTheSameStateFolderSaysWhichPidRunsItAndExits75() throws Exception {
        fake.accessPoint().refuseConnections();
        Files.writeString(config(), Files.readString(config())
                .replace("\"initialDelay\": \"200ms\", \"maxDelay\": \"1s\"",
                        "\"initialDelay\": \"1m\", \"maxDelay\": \"5m\""));
        Launcher first = supervisor("first", List.of(), Map.of());
        first.awaitLog("Retrying in", Duration.ofSeconds(60));

        Launcher second = supervisor("second", List.of(), Map.of());
        assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(75);
        assertThat(second.stderr()).contains("already running").contains("pid " + first.process.pid());
        assertThat(first.process.isAlive()).isTrue();

        try (Launcher status = Launcher.start(home, closedPort(), "status")) {
            assertThat(status.awaitExit(Duration.ofSeconds(30))).isZero();
            String out = String.join("\n", status.stdoutLines());
            assertThat(out).contains("running (pid " + first.process.pid()).contains("Now: Retrying in")
                    .contains("Engine: Embedded (librespot-java)\n")
                    .contains("Recent changes:").contains("Connecting");
        }

        first.process.toHandle().destroy();
        assertThat(first.awaitExit(Duration.ofSeconds(15))).isZero();
        try (Launcher status = Launcher.start(home, closedPort(), "status")) {
            assertThat(status.awaitExit(Duration.ofSeconds(30))).isEqualTo(69);
            assertThat(String.join("\n", status.stdoutLines())).contains("No Connect Tray is running")
                    .contains("Last known state").contains("Stopped").doesNotContain("Engine:");
        }
        assertThat(home.resolve("state/connect-tray/" + dev.connecttray.supervisor.StatusNote.FILE_NAME))
                .as("the note goes with the instance").doesNotExist();
    }

    /** A supervisor that keeps retrying (the access point refuses) with minutes between attempts. */
    private Launcher retryingSlowly(String name) throws Exception {
        fake.accessPoint().refuseConnections();
        Files.writeString(config(), Files.readString(config())
                .replace("\"initialDelay\": \"200ms\", \"maxDelay\": \"1s\"",
                        "\"initialDelay\": \"1m\", \"maxDelay\": \"5m\""));
        return supervisor(name, List.of(), Map.of());
    }

    /** After a clean stop: the history ends with Stopped and no instance holds the state folder. */
    private void assertStoppedAndUnlocked() throws Exception {
        List<String> history = Files.readAllLines(home.resolve("state/connect-tray/history.jsonl"));
        assertThat(history).isNotEmpty();
        assertThat(history.get(history.size() - 1)).contains("\"Stopped\"");
        try (Launcher status = Launcher.start(home, closedPort(), "status")) {
            assertThat(status.awaitExit(Duration.ofSeconds(30))).isEqualTo(69);
            assertThat(String.join("\n", status.stdoutLines())).contains("No Connect Tray is running");
        }
    }

    @Test
    void sighupStopsCleanlyWithStoppedInTheHistoryAndTheLockReleased() throws Exception {
        Launcher app = retryingSlowly("sighup");
        app.awaitLog("Retrying in", Duration.ofSeconds(60));
        ProcessHandle child = onlyChild(app);

        signal(app.process.toHandle(), "HUP");
        assertThat(app.awaitExit(Duration.ofSeconds(15))).isZero();
        assertThat(app.stderr()).contains("Received SIGHUP; shutting down");
        assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertStoppedAndUnlocked();
        app.saveOutput("supervisor-sighup");
    }

    @Test
    void sigtermInTheFirstMomentsStopsCleanlyToo() throws Exception {
        fake.accessPoint().refuseConnections();
        // Without the test's agent, which loads the library before main as no user's launch does; the
        // fake stays the only server asked (the key the agent copies is needed only to log in to it).
        List<String> options = FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake")).stream()
                .filter(o -> !o.startsWith("-javaagent:")).toList();
        Launcher app = Launcher.start(home, options, Map.of(), "--headless", "--config", config().toString());
        started.add(app);
        // The launcher has taken over the signals by now (about 0.05 s in), but little else has started.
        Thread.sleep(300);
        app.process.toHandle().destroy(); // SIGTERM
        assertThat(app.awaitExit(Duration.ofSeconds(15))).as(app.stderr()).isZero();
        assertThat(app.stderr()).contains("Received SIGTERM; shutting down");
        assertStoppedAndUnlocked();
        app.saveOutput("supervisor-early-sigterm");
    }

    @Test
    void anExhaustedBudgetExits69AfterExactlyTheConfiguredAttempts() throws Exception {
        fake.accessPoint().refuseConnections();
        Launcher app = supervisor("budget", List.of(), Map.of());
        assertThat(app.awaitExit(Duration.ofSeconds(60))).isEqualTo(69);
        assertThat(app.stderr()).contains("5 attempts");
        app.saveOutput("supervisor-budget");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
