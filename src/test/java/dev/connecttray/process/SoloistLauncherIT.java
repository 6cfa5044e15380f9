package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakeengines.FakeSoloist;
import dev.connecttray.fakeengines.FakeSoloistScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher, headless, with {@code engine.kind} soloist and the fake soloist as
 * {@code engine.binary}: it connects, replaces a killed Soloist, exits with the documented statuses
 * when the key or the build is unusable, and leaves nothing behind on SIGTERM.
 */
class SoloistLauncherIT {
    private static final String KEY = "5ec2e7a91b0c4d6f8e2a7c3b1d9f0e4a";
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path home;
    private Path dataDir;
    private Path keyFile;
    private FakeSoloistScript fake;
    private final List<Launcher> started = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dataDir = home.resolve("state/connect-tray/soloist");
        keyFile = home.resolve("soloist-key");
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        fake = FakeSoloistScript.create(home.resolve("bin")).set("validKey", KEY).set("lifetime", "90");
    }

    @AfterEach
    void tearDown() {
        started.forEach(Launcher::close);
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private Launcher launch(String name) throws IOException {
        Path config = Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "deviceName": "Soloist launcher test",
                  "retry": { "initialDelay": "200ms", "maxDelay": "1s", "multiplier": 2.0, "jitter": 0.0,
                             "maxAttempts": 5, "attemptTimeout": "10s", "afterGiveUp": "exit" },
                  "engine": { "kind": "soloist", "binary": "%s", "apiKeyFile": "%s" }
                }
                """.formatted(fake.executable(), keyFile));
        Launcher app = Launcher.start(home, List.of("-Dconnecttray.heartbeatInterval=400ms"), Map.of(),
                "--headless", "--log-level", "debug", "--config", config.toString());
        started.add(app);
        return app;
    }

    private void storeSession() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(FakeSoloist.SESSION_FILE), "opaque session\n");
    }

    /** The running soloist's pid, from the pid file it writes, once it is not {@code other}. */
    private long soloistPid(long other) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                long pid = Long.parseLong(Files.readString(dataDir.resolve("soloist.pid")).strip());
                if (pid != other && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    pids.add(pid);
                    return pid;
                }
            } catch (IOException | NumberFormatException e) {
                // not written yet
            }
            Thread.sleep(20); // another process writes it: nothing to wait on
        }
        throw new AssertionError("no soloist running");
    }

    private long helperPid() throws IOException {
        long pid = Long.parseLong(Files.readString(dataDir.resolve(FakeSoloist.HELPER_PID_FILE)).strip());
        pids.add(pid);
        return pid;
    }

    private static void assertGone(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) return;
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("pid " + pid + " (" + h.get().info().commandLine().orElse("?") + ") still runs");
        }
    }

    @Test
    void connectsReplacesAKilledSoloistAndLeavesNothingBehindOnSigterm() throws Exception {
        fake.set("helper", "true");
        storeSession();
        Launcher app = launch("soloist-connect");
        try {
            app.awaitLog("Connected as the paired account", WAIT);
            long first = soloistPid(-1);
            long firstHelper = helperPid();
            long killedAt = System.nanoTime();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            app.awaitLog("Retrying", WAIT);
            app.awaitLog("Connected as the paired account", WAIT);
            long second = soloistPid(first);
            System.out.println("soloist killed -> Connected again: "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms");
            assertGone(firstHelper); // the killed one's helper went with its session
            long secondHelper = helperPid();
            assertThat(secondHelper).isNotEqualTo(firstHelper);

            app.process.destroy(); // SIGTERM: quit
            assertThat(app.awaitExit(Duration.ofSeconds(20))).isZero();
            assertGone(second);
            assertGone(secondHelper);
            assertThat(app.stderr()).contains("soloist[").contains("command line:").contains("[API key]")
                    .doesNotContain(KEY);
        } finally {
            app.saveOutput("soloist-connect");
        }
    }

    @Test
    void aSoloistLeftRunningByAKilledSupervisorIsStoppedByTheNextStart() throws Exception {
        fake.set("helper", "true");
        storeSession();
        Launcher first = launch("soloist-orphaned");
        long orphan;
        long orphanHelper;
        try {
            first.awaitLog("Connected as the paired account", WAIT);
            orphan = soloistPid(-1);
            orphanHelper = helperPid();
            first.process.destroyForcibly(); // SIGKILL: nothing stops its Soloist, in a session of its own
            first.process.waitFor(10, TimeUnit.SECONDS);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("left running").contains(true);
        } finally {
            first.saveOutput("soloist-orphaned");
        }
        Launcher next = launch("soloist-after-orphan");
        try {
            next.awaitLog("started by an earlier Connect Tray is still running", WAIT);
            next.awaitLog("Connected as the paired account", WAIT);
            assertGone(orphan);
            assertGone(orphanHelper);
            long current = soloistPid(orphan);
            next.process.destroy();
            assertThat(next.awaitExit(Duration.ofSeconds(20))).isZero();
            assertGone(current);
        } finally {
            next.saveOutput("soloist-after-orphan");
        }
    }

    @Test
    void aRejectedKeyExitsWithNoperm() throws Exception {
        fake.set("validKey", "some-other-key");
        Launcher app = launch("soloist-rejected");
        try {
            assertThat(app.awaitExit(WAIT)).isEqualTo(77);
            assertThat(app.stderr()).contains("Spotify refused the Soloist API key in " + keyFile)
                    .contains("developer.spotify.com/dashboard").doesNotContain(KEY);
        } finally {
            app.saveOutput("soloist-rejected");
        }
    }

    @Test
    void aMissingKeyFileExitsWithConfig() throws Exception {
        Files.delete(keyFile);
        Launcher app = launch("soloist-no-key");
        try {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(app.stderr()).contains("No Soloist API key: " + keyFile + " does not exist")
                    .contains("chmod 600");
        } finally {
            app.saveOutput("soloist-no-key");
        }
    }

    @Test
    void anExpiredGivenBuildIsNeverRunAndExitsWithConfig() throws Exception {
        fake.set("buildDate", LocalDate.now().minusDays(95).format(DateTimeFormatter.BASIC_ISO_DATE));
        Launcher app = launch("soloist-expired");
        try {
            assertThat(app.awaitExit(WAIT)).as("78: the systemd unit's RestartPreventExitStatus").isEqualTo(78);
            assertThat(app.stderr()).contains("expired on").contains("Download a new build");
            assertThat(app.stderr().lines().filter(l -> l.contains("Spotify Soloist runs as pid")).count())
                    .as("its --version said it expired: never run, let alone in a loop").isZero();
        } finally {
            app.saveOutput("soloist-expired");
        }
    }
}
