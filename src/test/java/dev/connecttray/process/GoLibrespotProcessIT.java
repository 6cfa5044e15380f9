package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakeengines.FakeGoLibrespotScript;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher, headless, with {@code engine.kind} go-librespot and the fake go-librespot as
 * {@code engine.binary}: a phone's pick, a killed engine replaced, a held lock stopping with 78, and
 * nothing left behind.
 */
class GoLibrespotProcessIT {
    private static final List<String> FAST_HEARTBEAT = List.of("-Dconnecttray.heartbeatInterval=1s");

    @TempDir
    Path home;
    private Path script;
    private Path folder;
    private final List<Launcher> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        script = FakeGoLibrespotScript.write(home.resolve("bin"));
        folder = home.resolve("state").resolve("connect-tray").resolve("go-librespot");
        FakeGoLibrespotScript.lifetime(folder, Duration.ofSeconds(120));
        Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "deviceName": "Connect Tray (go-librespot test)",
                  "retry": { "initialDelay": "300ms", "maxDelay": "1s", "multiplier": 2.0, "jitter": 0.0,
                             "maxAttempts": 5, "attemptTimeout": "10s", "afterGiveUp": "exit" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" },
                  "zeroconf": { "port": 0 },
                  "engine": { "kind": "go-librespot", "binary": "%s" }
                }
                """.formatted(script.toString().replace("\\", "\\\\")));
    }

    @AfterEach
    void stopAll() {
        started.forEach(Launcher::close);
        fakes().forEach(ProcessHandle::destroyForcibly);
    }

    private static void figure(String line) throws IOException {
        Path file = Path.of("target", "go-librespot-figures.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(line);
    }

    private Launcher supervisor() throws IOException {
        Launcher app = Launcher.start(home, FAST_HEARTBEAT, Map.of(), "--headless", "--config",
                home.resolve("test-config.json").toString());
        started.add(app);
        return app;
    }

    private List<ProcessHandle> fakes() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
            List<String> args = Arrays.asList(p.info().arguments().orElse(new String[0]));
            int i = args.indexOf("--config_dir");
            return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(folder.toAbsolutePath().toString());
        }).toList();
    }

    private ProcessHandle onlyFake(Launcher app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> f = fakes();
            if (f.size() == 1) return f.get(0);
            Thread.sleep(50); // another process's children: there is nothing to wait on
        }
        throw new AssertionError("not one go-librespot running: " + fakes() + "; stderr:\n" + app.stderr());
    }

    @Test
    void aPhonePicksItAKilledEngineIsReplacedAndSigtermLeavesNothingBehind() throws Exception {
        Launcher app = supervisor();
        app.awaitLog("Waiting for a Spotify app to pick \u201cConnect Tray (go-librespot test)\u201d",
                Duration.ofSeconds(60));
        assertThat(Files.readString(folder.resolve("config.yml")))
                .contains("device_name: \"Connect Tray (go-librespot test)\"");

        FakeGoLibrespotScript.pick(folder, "bob");
        app.awaitLog("Connected as bob", Duration.ofSeconds(30));
        ProcessHandle first = onlyFake(app);

        long killedAt = System.nanoTime();
        first.destroyForcibly();
        app.awaitLog("killed by SIGKILL", Duration.ofSeconds(20));
        // The credentials the phone handed over are go-librespot's to keep: the new one logs in with them.
        app.awaitLog("Connected as bob", Duration.ofSeconds(30));
        figure("killed go-librespot (fake) -> Connected again: "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms (initialDelay 300ms)");
        ProcessHandle second = onlyFake(app);
        assertThat(second.pid()).isNotEqualTo(first.pid());

        app.process.toHandle().destroy(); // SIGTERM
        assertThat(app.awaitExit(Duration.ofSeconds(20))).as(app.stderr()).isZero();
        assertThat(second.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(fakes()).isEmpty();
        assertThat(app.stderr()).contains("Running go-librespot v0.9.0");
        app.saveOutput("go-librespot-pick-kill");
    }

    @Test
    void aSilentEngineIsKilledAndReplaced() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        Launcher app = supervisor();
        app.awaitLog("Connected as alice", Duration.ofSeconds(60));
        ProcessHandle silent = onlyFake(app);

        FakeGoLibrespotScript.put(folder, "silent", "");
        app.awaitLog("it is wedged", Duration.ofSeconds(20));
        app.awaitLog("Connected as alice", Duration.ofSeconds(30));
        assertThat(silent.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(onlyFake(app).pid()).isNotEqualTo(silent.pid());

        app.process.toHandle().destroy();
        assertThat(app.awaitExit(Duration.ofSeconds(20))).as(app.stderr()).isZero();
        assertThat(fakes()).isEmpty();
        app.saveOutput("go-librespot-silent");
    }

    @Test
    void theNetworkDownAtStartIsRetriedUntilItIsBack() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        FakeGoLibrespotScript.put(folder, "network-down", "");
        Launcher app = supervisor();
        String retrying = app.awaitLog("Retrying in", Duration.ofSeconds(60));
        assertThat(retrying).contains("go-librespot cannot resolve or reach Spotify's servers (is the network down?)")
                .contains("failed getting endpoints from resolver");
        app.awaitLog("Retrying in", Duration.ofSeconds(20));

        FakeGoLibrespotScript.put(folder, "network-down", null);
        app.awaitLog("Connected as alice", Duration.ofSeconds(30));
        app.process.toHandle().destroy();
        assertThat(app.awaitExit(Duration.ofSeconds(20))).as(app.stderr()).isZero();
        assertThat(fakes()).isEmpty();
        app.saveOutput("go-librespot-network-down");
    }

    @Test
    void anotherGoLibrespotHoldingItsFolderEndsTheSupervisorWith78() throws Exception {
        Files.createDirectories(folder);
        try (FileChannel channel = FileChannel.open(folder.resolve("lockfile"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            Launcher app = supervisor();
            assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.stderr()).isEqualTo(78);
            assertThat(app.stderr()).contains("Another go-librespot is already running with Connect Tray's "
                    + "go-librespot folder (" + folder.toAbsolutePath() + "); stop that one, then Reconnect (or restart Connect Tray)");
            assertThat(lock.isValid()).isTrue();
            assertThat(fakes()).isEmpty();
            app.saveOutput("go-librespot-locked");
        }
    }
}
