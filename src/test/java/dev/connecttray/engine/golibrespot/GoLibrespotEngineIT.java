package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.DeviceType;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.view.StateText;
import dev.connecttray.fakeengines.FakeGoLibrespotScript;
import dev.connecttray.supervisor.ReceiverProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The go-librespot engine with the fake go-librespot as a real process, supervised by the real
 * {@link ReceiverProcess}: the states a user sees, restarts, give-ups and what is left behind.
 */
class GoLibrespotEngineIT {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DEVICE = "Connect Tray (engine test)";

    @TempDir
    Path tmp;
    private Path script;
    private Path folder;
    private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    private final List<ConnectionState> seen = new ArrayList<>();
    private final CompletableFuture<ExitStatus> finished = new CompletableFuture<>();
    private ExecutorScheduler scheduler;
    private ReceiverProcess supervisor;
    private GoLibrespotEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        script = FakeGoLibrespotScript.write(tmp.resolve("bin"));
        folder = tmp.resolve("state").resolve("go-librespot");
        FakeGoLibrespotScript.lifetime(folder, Duration.ofSeconds(120));
        scheduler = new ExecutorScheduler("test-supervisor");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (supervisor != null && !finished.isDone()) {
            supervisor.quit();
            finished.get(20, TimeUnit.SECONDS);
        }
        scheduler.close();
        List<ProcessHandle> left = fakes();
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("fake go-librespot processes left behind").isEmpty();
    }

    private void start(int zeroconfPort, Path binary) {
        var config = new GoLibrespotConfig(DEVICE, DeviceType.COMPUTER, zeroconfPort, null, "pipe", tmp.resolve("audio.pcm"),
                "info");
        engine = new GoLibrespotEngine(config, folder, binary, HEARTBEAT, 10);
        RetrySettings retry = new RetrySettings(Duration.ofMillis(300), Duration.ofSeconds(1), 2.0, 0.0, 10,
                Duration.ofSeconds(10), Duration.ofSeconds(30), AfterGiveUp.EXIT);
        supervisor = new ReceiverProcess(retry, engine, scheduler, Clock.systemUTC(), HEARTBEAT, states::add,
                finished::complete, true);
        supervisor.start();
    }

    private void start() {
        start(0, script);
    }

    /** The next state that matches, skipping others; fails with all seen after {@code WAIT}. */
    private <T extends ConnectionState> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ConnectionState s = left > 0 ? states.poll(left, TimeUnit.NANOSECONDS) : null;
            if (s == null) throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT + "; seen: " + seen);
            seen.add(s);
            if (type.isInstance(s) && match.test(type.cast(s))) return type.cast(s);
        }
    }

    private <T extends ConnectionState> T await(Class<T> type) throws InterruptedException {
        return await(type, s -> true);
    }

    /** The fake go-librespot processes running on this test's folder. */
    private List<ProcessHandle> fakes() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> GoLibrespotEngine.runsOn(p.info().arguments().orElse(new String[0]), folder)).toList();
    }

    private ProcessHandle onlyFake() {
        List<ProcessHandle> f = fakes();
        assertThat(f).as("one go-librespot running").hasSize(1);
        return f.get(0);
    }

    private void quitAndExpectNothingLeft() throws Exception {
        ProcessHandle fake = onlyFake();
        supervisor.quit();
        assertThat(finished.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
        assertThat(await(ConnectionState.Stopped.class)).isNotNull();
        assertThat(fake.isAlive()).isFalse();
        assertThat(fakes()).isEmpty();
    }

    @Test
    void withoutASessionItWaitsForAnAppAndAPhonePickConnectsIt() throws Exception {
        start();

        WaitingForCredentials waiting = await(WaitingForCredentials.class);
        assertThat(StateText.describe(waiting, Instant.now()))
                .isEqualTo("Waiting for a Spotify app to pick \u201c" + DEVICE + "\u201d");
        assertThat(Files.readString(folder.resolve("config.yml"))).contains("device_name: \"" + DEVICE + "\"")
                .contains("persist_credentials: true").contains("address: 127.0.0.1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");

        FakeGoLibrespotScript.pick(folder, "alice");
        Connected connected = await(Connected.class);
        assertThat(connected.user()).isEqualTo("alice");
        assertThat(engine.describe()).isEqualTo("go-librespot v0.9.0");

        quitAndExpectNothingLeft();
        assertThat(Files.exists(folder.resolve("state.json"))).as("the credentials kept for the next start").isTrue();
    }

    @Test
    void aKilledEngineIsReplacedAfterTheBackoffAndConnectsAgain() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class, c -> c.user().equals("alice"));
        ProcessHandle first = onlyFake();

        Instant killedAt = Instant.now();
        first.destroyForcibly();
        Retrying retrying = await(Retrying.class);
        assertThat(retrying.cause().message()).as("killed from outside: restarted, not counted as a crash")
                .isEqualTo("go-librespot was killed by SIGKILL");
        assertThat(retrying.cause().detail()).isEqualTo("go-librespot exit 137");
        assertThat(retrying.nextAttemptAt()).as("after the backoff's initial delay (300 ms, no jitter)")
                .isAfterOrEqualTo(killedAt.plusMillis(300));
        assertThat(await(Connected.class).user()).isEqualTo("alice");
        assertThat(onlyFake().pid()).isNotEqualTo(first.pid());

        quitAndExpectNothingLeft();
    }

    @Test
    void aSilentEngineIsKilledAndReplaced() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class);
        ProcessHandle silent = onlyFake();

        FakeGoLibrespotScript.put(folder, "silent", "");
        Retrying retrying = await(Retrying.class);
        assertThat(retrying.cause().message()).startsWith("go-librespot stopped responding (nothing from it for");
        assertThat(await(Connected.class).user()).isEqualTo("alice");
        assertThat(silent.isAlive()).isFalse();
        assertThat(onlyFake().pid()).isNotEqualTo(silent.pid());

        quitAndExpectNothingLeft();
    }

    @Test
    void theNetworkDownAtStartIsRetriedAndItConnectsWhenTheNetworkIsBack() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        FakeGoLibrespotScript.put(folder, "network-down", "");
        start();

        Retrying retrying = await(Retrying.class);
        assertThat(retrying.cause().kind()).isEqualTo(FailureKind.TRANSIENT);
        // The fake's resolver fails as a dead network's does (the DNS lookup): "No network".
        assertThat(StateText.reason(retrying.cause())).isEqualTo("No network");
        assertThat(retrying.cause().detail()).contains("failed getting endpoints from resolver");
        await(Retrying.class); // a second round of the same: it keeps trying

        FakeGoLibrespotScript.put(folder, "network-down", null);
        assertThat(await(Connected.class).user()).isEqualTo("alice");
        quitAndExpectNothingLeft();
    }

    @Test
    void anotherGoLibrespotHoldingTheLockStopsWithExit78AndIsLeftAlone() throws Exception {
        Files.createDirectories(folder);
        try (FileChannel channel = FileChannel.open(folder.resolve("lockfile"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            start();
            assertThat(finished.get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
            Failed failed = await(Failed.class);
            assertThat(failed.exitStatus()).isEqualTo(ExitStatus.CONFIG);
            assertThat(failed.cause().message()).isEqualTo("Another go-librespot is already running with Connect Tray's "
                    + "go-librespot folder (" + folder + "); stop that one, then Reconnect (or restart Connect Tray)");
            assertThat(lock.isValid()).isTrue();
        }
    }

    @Test
    void aTakenZeroconfPortStopsWithExit78NamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            start(taken.getLocalPort(), script);
            assertThat(finished.get(30, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
            Failed failed = await(Failed.class);
            assertThat(failed.cause().message()).isEqualTo("The Zeroconf port " + taken.getLocalPort()
                    + " is taken by another program; set zeroconf.port to a free port (or 0 for any), then Reconnect (or restart Connect Tray)");
            assertThat(StateText.headline(failed, Instant.now())).isEqualTo("Configuration invalid");
        }
    }

    @Test
    void aMissingBinaryStopsWithExit78SayingWhereItWasLookedFor() throws Exception {
        Path missing = tmp.resolve("nowhere").resolve("go-librespot");
        start(0, missing);

        assertThat(finished.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
        Failed failed = await(Failed.class);
        assertThat(failed.cause().message()).isEqualTo("go-librespot was not found at " + missing
                + " (engine.binary); install it there or correct engine.binary, then Reconnect (or restart Connect Tray)");
    }

    @Test
    void reconnectNowRestartsIt() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        Connected before = await(Connected.class);
        ProcessHandle first = onlyFake();

        supervisor.reconnectNow();
        Connected after = await(Connected.class);
        assertThat(after.since()).isAfter(before.since());
        assertThat(first.isAlive()).isFalse();
        assertThat(onlyFake().pid()).isNotEqualTo(first.pid());
        assertThat(seen).noneMatch(s -> s instanceof Retrying || s instanceof Failed);

        quitAndExpectNothingLeft();
    }

    @Test
    void aLostSessionIsConnectingUntilGoLibrespotBuildsANewOne() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class);
        ProcessHandle fake = onlyFake();

        FakeGoLibrespotScript.put(folder, "lose-session", "");
        await(Connecting.class);
        assertThat(await(Connected.class).user()).isEqualTo("alice");
        assertThat(onlyFake().pid()).as("the same process").isEqualTo(fake.pid());

        quitAndExpectNothingLeft();
    }

    @Test
    void aDroppedAccessPointIsDegradedUntilGoLibrespotIsBackByItself() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class);
        ProcessHandle fake = onlyFake();

        FakeGoLibrespotScript.put(folder, "drop-ap", "");
        ConnectionState.Degraded degraded = await(ConnectionState.Degraded.class);
        assertThat(StateText.headline(degraded, Instant.now())).isEqualTo("Connected as alice \u00b7 apps may not see it");
        assertThat(await(Connected.class).user()).isEqualTo("alice");
        assertThat(onlyFake().pid()).as("the same process").isEqualTo(fake.pid());

        quitAndExpectNothingLeft();
    }

    @Test
    void aPanicIsACrashRestartedWithItsReason() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class);

        FakeGoLibrespotScript.put(folder, "crash", "");
        Retrying retrying = await(Retrying.class);
        assertThat(retrying.cause().message()).isEqualTo("go-librespot crashed (go-librespot exited with status 2: "
                + "panic: runtime error: invalid memory address or nil pointer dereference); restarting it");
        await(Connected.class);

        quitAndExpectNothingLeft();
    }

    @Test
    void anOlderGoLibrespotWithoutTheApiStopsAtOnceWithExit78SayingWhichVersionIsNeeded() throws Exception {
        FakeGoLibrespotScript.put(folder, "old-version", "");
        start();

        Failed failed = await(Failed.class);
        assertThat(failed.exitStatus()).isEqualTo(ExitStatus.CONFIG);
        assertThat(failed.cause().message()).contains("go-librespot v0.1.3 is too old", "0.9 and newer",
                script + " (engine.binary)");
        assertThat(seen).as("not taken for a silent engine and retried").noneMatch(s -> s instanceof Retrying);
        assertThat(finished.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
        assertThat(fakes()).as("the old go-librespot was ended").isEmpty();
    }

    @Test
    void versionsBeforeTheLocalApiAreTooOldAndUnreadableOnesAreGivenTheBenefitOfTheDoubt() {
        assertThat(GoLibrespotEngine.tooOld("v0.1.3")).isTrue();
        assertThat(GoLibrespotEngine.tooOld("v0.8.12")).isTrue();
        assertThat(GoLibrespotEngine.tooOld("v0.9.0")).isFalse();
        assertThat(GoLibrespotEngine.tooOld("0.10.1")).isFalse();
        assertThat(GoLibrespotEngine.tooOld("v1.0.0")).isFalse();
        assertThat(GoLibrespotEngine.tooOld("dev")).isFalse();
    }

    @Test
    void oneLeftRunningByAnEarlierConnectTrayIsStoppedBeforeTheStart() throws Exception {
        FakeGoLibrespotScript.storedUser(folder, "alice");
        start();
        await(Connected.class);
        ProcessHandle leftover = onlyFake();
        // The supervisor dies without stopping its child (SIGKILL): a new one finds the child running.
        scheduler.close();
        scheduler = new ExecutorScheduler("test-supervisor-2");
        CompletableFuture<ExitStatus> secondFinished = new CompletableFuture<>();
        BlockingQueue<ConnectionState> second = new LinkedBlockingQueue<>();
        var config = new GoLibrespotConfig(DEVICE, DeviceType.COMPUTER, 0, null, "pipe", tmp.resolve("audio.pcm"), "info");
        ReceiverProcess again = new ReceiverProcess(new RetrySettings(Duration.ofMillis(300), Duration.ofSeconds(1),
                2.0, 0.0, 10, Duration.ofSeconds(10), Duration.ofSeconds(30), AfterGiveUp.EXIT),
                new GoLibrespotEngine(config, folder, script, HEARTBEAT, 10), scheduler, Clock.systemUTC(), HEARTBEAT,
                second::add, secondFinished::complete, true);
        supervisor = null;
        again.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        ConnectionState s;
        do {
            s = second.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(s).as("Connected within " + WAIT).isNotNull();
            assertThat(s).isNotInstanceOf(Failed.class);
        } while (!(s instanceof Connected));
        assertThat(leftover.isAlive()).isFalse();
        assertThat(fakes()).hasSize(1).noneMatch(p -> p.pid() == leftover.pid());
        again.quit();
        assertThat(secondFinished.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
    }
}
