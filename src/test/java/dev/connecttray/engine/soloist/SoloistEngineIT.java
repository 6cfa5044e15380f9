package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.view.StateText;
import dev.connecttray.fakeengines.FakeSoloist;
import dev.connecttray.fakeengines.FakeSoloistScript;
import dev.connecttray.supervisor.ReceiverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake soloist as a real process, run by {@link SoloistEngine} under the real
 * {@link ReceiverProcess}: the states it reaches, how its failures end, and what quit leaves behind.
 */
class SoloistEngineIT {
    private static final String KEY = "f00dfeedcafe0123456789abcdef4242";
    private static final String DEVICE = "Test Soloist";
    private static final Duration BEAT = Duration.ofMillis(300);
    private static final Duration STALL_LIMIT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Path state;
    private Path dataDir;
    private Path keyFile;
    private FakeSoloistScript fake;
    private TestBinary binary;
    private ExecutorScheduler scheduler;
    private ReceiverProcess supervisor;
    private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    private final List<ConnectionState> seen = new ArrayList<>();
    private final CompletableFuture<ExitStatus> finished = new CompletableFuture<>();
    private final List<Long> pids = new ArrayList<>();

    /** A binary at a fixed path; refreshable or not, counting what it was asked. */
    static final class TestBinary implements SoloistBinary {
        final Path path;
        final FakeSoloistScript fake;
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger expired = new AtomicInteger();
        volatile boolean refreshable;
        /** When set, prepare blocks until it is counted down (a download), or until interrupted. */
        volatile java.util.concurrent.CountDownLatch download;
        final CompletableFuture<Boolean> downloadInterrupted = new CompletableFuture<>();

        TestBinary(Path path, FakeSoloistScript fake) {
            this.path = path;
            this.fake = fake;
        }

        @Override
        public Path prepare() throws InterruptedException {
            prepared.incrementAndGet();
            if (download != null) {
                try {
                    download.await();
                } catch (InterruptedException e) {
                    downloadInterrupted.complete(true);
                    throw e;
                }
            }
            return path;
        }

        @Override
        public void expired() throws dev.connecttray.supervisor.EngineUnusable, InterruptedException {
            expired.incrementAndGet();
            if (!refreshable) new GivenSoloist(path, Clock.systemUTC()).expired();
            try {
                fake.set("buildDate", LocalDate.now().minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Optional<SoloistBuild> build() {
            return Optional.of(new SoloistBuild(FakeSoloist.VERSION, LocalDate.now().minusDays(48)));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        dataDir = state.resolve("soloist");
        Files.createDirectories(state);
        keyFile = state.resolve(SoloistEngine.DEFAULT_KEY_FILE);
        Files.writeString(keyFile, KEY + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        fake = FakeSoloistScript.create(tmp.resolve("bin")).set("validKey", KEY).set("lifetime", "90");
        binary = new TestBinary(fake.executable(), fake);
    }

    private void start() {
        SoloistEngine engine = new SoloistEngine(binary, SoloistEngine.Options.inStateFolder(DEVICE, null, state,
                STALL_LIMIT, BEAT), Clock.systemUTC());
        RetrySettings retry = new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0, 0.0, 5,
                Duration.ofSeconds(10), Duration.ofMinutes(1), AfterGiveUp.EXIT);
        scheduler = new ExecutorScheduler("test-supervisor");
        supervisor = new ReceiverProcess(retry, engine, scheduler, Clock.systemUTC(), BEAT, states::add,
                finished::complete, true);
        supervisor.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (supervisor != null) {
            supervisor.quit();
            finished.get(15, TimeUnit.SECONDS);
        }
        if (scheduler != null) scheduler.close();
        for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private ConnectionState await(Predicate<ConnectionState> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ConnectionState s = left > 0 ? states.poll(left, TimeUnit.NANOSECONDS) : null;
            if (s == null) throw new AssertionError("no " + what + " within " + WAIT + "; states: " + seen);
            seen.add(s);
            if (match.test(s)) return s;
        }
    }

    private ConnectionState await(Class<? extends ConnectionState> type) throws InterruptedException {
        return await(type::isInstance, type.getSimpleName());
    }

    private void storeSession() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(FakeSoloist.SESSION_FILE), "opaque session\n");
    }

    /** The pid of the soloist running now (from the pid file it writes), remembered for the clean-up. */
    private long runningPid() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Path f = dataDir.resolve("soloist.pid");
            if (Files.exists(f)) {
                String s = Files.readString(f).strip();
                if (!s.isEmpty()) {
                    long pid = Long.parseLong(s);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        if (!pids.contains(pid)) pids.add(pid);
                        return pid;
                    }
                }
            }
            Thread.sleep(20); // another process writes it: nothing to wait on
        }
        throw new AssertionError("no running soloist; states: " + seen);
    }

    private static void awaitGone(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) return;
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("pid " + pid + " still runs");
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private String control(String path) throws Exception {
        return FakeSoloistScript.control(dataDir, path);
    }

    @Test
    void withAStoredSessionItConnectsAfterStaleFilesOfACrashAreRemoved() throws Exception {
        storeSession();
        Files.writeString(dataDir.resolve("ws.addr"), "127.0.0.1\n");
        Files.writeString(dataDir.resolve("ws.port"), "1\n"); // a stale port nobody listens on
        Path lock = dataDir.resolve("crashpad/pending/0b1c.lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "");
        start();
        ConnectionState connected = await(ConnectionState.Connected.class);
        assertThat(StateText.headline(connected, java.time.Instant.now())).isEqualTo("Connected as the paired account");
        assertThat(lock).doesNotExist();
        assertThat(Files.readString(dataDir.resolve("ws.port")).strip()).isNotEqualTo("1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        long pid = runningPid();
        // in a session (and process group) of its own, so its helpers can be reached
        long[] ids = ProcessGroup.sessionAndGroup(Path.of("/proc", Long.toString(pid)));
        assertThat(ids).containsExactly(pid, pid);
        // heard from all along: still connected after many heartbeat intervals
        Thread.sleep(BEAT.toMillis() * 6); // the watchdog would have struck within three
        assertThat(runningPid()).isEqualTo(pid);
        assertThat(supervisor.state()).isInstanceOf(ConnectionState.Connected.class);
    }

    @Test
    void firstPairingWaitsForASpotifyAppToPickTheDevice() throws Exception {
        start();
        ConnectionState waiting = await(ConnectionState.WaitingForCredentials.class);
        assertThat(StateText.describe(waiting, java.time.Instant.now()))
                .isEqualTo("Waiting for a Spotify app to pick \u201c" + DEVICE + "\u201d");
        runningPid();
        control("/pick");
        await(ConnectionState.Connected.class);
        assertThat(dataDir.resolve(FakeSoloist.SESSION_FILE)).exists();
    }

    @Test
    void aCrashThatLeavesItsFilesBehindIsReplacedAfterTheBackoff() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long first = runningPid();
        try {
            control("/crash");
        } catch (IOException expected) {
            // it died before answering
        }
        awaitGone(first);
        ConnectionState retrying = await(ConnectionState.Retrying.class);
        assertThat(((ConnectionState.Retrying) retrying).cause().message()).contains("SIGSEGV");
        assertThat(((ConnectionState.Retrying) retrying).nextAttemptAt()).isAfter(java.time.Instant.now()
                .minusSeconds(1));
        await(ConnectionState.Connected.class);
        assertThat(runningPid()).isNotEqualTo(first);
    }

    @Test
    void aStoppedEngineIsKilledAndReplaced() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long first = runningPid();
        new ProcessBuilder("kill", "-STOP", Long.toString(first)).start().waitFor(5, TimeUnit.SECONDS);
        ConnectionState retrying = await(ConnectionState.Retrying.class);
        assertThat(((ConnectionState.Retrying) retrying).cause().message()).contains("stopped responding");
        awaitGone(first);
        await(ConnectionState.Connected.class);
        assertThat(runningPid()).isNotEqualTo(first);
    }

    @Test
    void anEngineWithoutItsWebSocketIsKilledAndReplaced() throws Exception {
        fake.set("ws", "off");
        start();
        long first = runningPid();
        ConnectionState retrying = await(ConnectionState.Retrying.class);
        assertThat(((ConnectionState.Retrying) retrying).cause().message()).contains("stopped responding");
        awaitGone(first);
        fake.set("ws", null);
        await(ConnectionState.WaitingForCredentials.class);
        assertThat(runningPid()).isNotEqualTo(first);
    }

    @Test
    void aLostWebSocketIsReconnectedWhileTheProcessLives() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long pid = runningPid();
        control("/drop");
        // Reconnected: the fake sees a client again, and the watchdog (three beats) never strikes.
        long deadline = System.nanoTime() + WAIT.toNanos();
        int commandsBefore = -1;
        boolean reconnected = false;
        while (!reconnected && System.nanoTime() < deadline) {
            com.google.gson.JsonObject info = com.google.gson.JsonParser.parseString(control("/info")).getAsJsonObject();
            if (commandsBefore < 0) commandsBefore = info.get("commands").getAsInt();
            reconnected = info.get("webSockets").getAsInt() == 1 && info.get("commands").getAsInt() > commandsBefore + 2;
            if (!reconnected) Thread.sleep(50); // the fake's own view, asked over HTTP
        }
        assertThat(reconnected).as("a client on the fake's WebSocket again, asking").isTrue();
        Thread.sleep(BEAT.toMillis() * 4);
        assertThat(runningPid()).isEqualTo(pid);
        assertThat(supervisor.state()).isInstanceOf(ConnectionState.Connected.class);
        assertThat(seen).noneMatch(s -> s instanceof ConnectionState.Retrying);
        assertThat(states).noneMatch(s -> s instanceof ConnectionState.Retrying);
    }

    @Test
    void aStallIsDegradedThenRestarted() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long first = runningPid();
        control("/play");
        Thread.sleep(STALL_LIMIT.toMillis() + 500); // playing normally past the limit: no stall
        assertThat(supervisor.state()).isInstanceOf(ConnectionState.Connected.class);
        control("/stall");
        ConnectionState degraded = await(ConnectionState.Degraded.class);
        assertThat(((ConnectionState.Degraded) degraded).reason()).startsWith("Playback stalled");
        assertThat(StateText.headline(degraded, java.time.Instant.now())).contains("playback stalled");
        ConnectionState retrying = await(ConnectionState.Retrying.class);
        assertThat(((ConnectionState.Retrying) retrying).cause().message()).startsWith("Playback stalled");
        awaitGone(first);
        await(ConnectionState.Connected.class);
        assertThat(runningPid()).isNotEqualTo(first);
    }

    @Test
    void aStallThatEndsIsConnectedAgain() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long pid = runningPid();
        control("/play");
        control("/stall");
        await(ConnectionState.Degraded.class);
        control("/unstall");
        await(ConnectionState.Connected.class);
        assertThat(runningPid()).isEqualTo(pid);
    }

    @Test
    void aRejectedKeyFailsWithNopermAndWordsAboutTheKey() throws Exception {
        fake.set("validKey", "another-key");
        start();
        ConnectionState failed = await(ConnectionState.Failed.class);
        assertThat(finished.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.NOPERM);
        assertThat(((ConnectionState.Failed) failed).exitStatus()).isEqualTo(ExitStatus.NOPERM);
        String words = StateText.describe(failed, java.time.Instant.now());
        assertThat(words).contains("refused the Soloist API key").contains(keyFile.toString())
                .contains("developer.spotify.com/dashboard").doesNotContain(KEY);
        assertThat(binary.prepared).hasValue(1); // not retried
        supervisor = null;
    }

    @Test
    void aMissingKeyFileFailsWithConfigBeforeAnythingRuns() throws Exception {
        Files.delete(keyFile);
        start();
        ConnectionState failed = await(ConnectionState.Failed.class);
        assertThat(finished.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
        assertThat(((ConnectionState.Failed) failed).cause().message()).contains(keyFile.toString())
                .contains("does not exist").contains("developer.spotify.com/dashboard");
        assertThat(binary.prepared).hasValue(0);
        supervisor = null;
    }

    @Test
    void anExpiredBuildThatCannotBeRefreshedFailsOnceWithConfig() throws Exception {
        fake.set("buildDate", LocalDate.now().minusDays(100).format(DateTimeFormatter.BASIC_ISO_DATE));
        start();
        ConnectionState retrying = await(ConnectionState.Retrying.class);
        assertThat(((ConnectionState.Retrying) retrying).cause().message()).contains("expired");
        ConnectionState failed = await(ConnectionState.Failed.class);
        assertThat(finished.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
        assertThat(((ConnectionState.Failed) failed).cause().message()).contains("expired on")
                .contains("Download a new build");
        assertThat(binary.prepared).as("started once, never again").hasValue(1);
        assertThat(binary.expired).hasValue(1);
        supervisor = null;
    }

    @Test
    void anExpiredBuildThatIsRefreshedRunsAgain() throws Exception {
        binary.refreshable = true;
        storeSession();
        fake.set("buildDate", LocalDate.now().minusDays(100).format(DateTimeFormatter.BASIC_ISO_DATE));
        start();
        await(ConnectionState.Retrying.class);
        await(ConnectionState.Connected.class);
        assertThat(binary.expired).hasValue(1);
        assertThat(binary.prepared).hasValue(2);
    }

    @Test
    void aBinaryForAnotherComputerFailsWithConfigInsteadOfALoop() throws Exception {
        Path foreign = tmp.resolve("bin/soloist-arm32");
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 1; // 32-bit
        elf[5] = 1; // little-endian
        elf[6] = 1; // ELF version 1
        elf[16] = 2; // an executable
        elf[18] = 40; // ARM
        Files.write(foreign, elf);
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
        SoloistEngine engine = new SoloistEngine(new GivenSoloist(foreign, Clock.systemUTC()), SoloistEngine.Options.inStateFolder(
                DEVICE, null, state, STALL_LIMIT, BEAT), Clock.systemUTC());
        scheduler = new ExecutorScheduler("test-supervisor");
        supervisor = new ReceiverProcess(new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0, 0.0, 5,
                Duration.ofSeconds(10), Duration.ofMinutes(1), AfterGiveUp.EXIT), engine, scheduler, Clock.systemUTC(),
                BEAT, states::add, finished::complete, true);
        supervisor.start();
        ConnectionState failed = await(ConnectionState.Failed.class);
        assertThat(finished.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.CONFIG);
        assertThat(((ConnectionState.Failed) failed).cause().message()).contains(foreign.toString())
                .contains("it is an executable for").contains("engine.binary");
        assertThat(seen).noneMatch(s -> s instanceof ConnectionState.Retrying);
        supervisor = null;
    }

    @Test
    void aLongPreparationKeepsTheWatchdogQuietAndQuitCallsItOff() throws Exception {
        binary.download = new java.util.concurrent.CountDownLatch(1);
        storeSession();
        start();
        Thread.sleep(BEAT.toMillis() * 6); // a download twice as long as the watchdog's limit
        assertThat(states).noneMatch(s -> s instanceof ConnectionState.Retrying || s instanceof ConnectionState.Failed);
        assertThat(binary.prepared).hasValue(1);
        assertThat(dataDir.resolve("soloist.pid")).doesNotExist();
        supervisor.quit();
        assertThat(finished.get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
        assertThat(binary.downloadInterrupted.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(dataDir.resolve("soloist.pid")).as("never started").doesNotExist();
        supervisor = null;
    }

    @Test
    void aPreparationThatEndsStartsIt() throws Exception {
        binary.download = new java.util.concurrent.CountDownLatch(1);
        storeSession();
        start();
        Thread.sleep(BEAT.toMillis() * 4); // longer than the watchdog's limit
        binary.download.countDown();
        await(ConnectionState.Connected.class);
        assertThat(seen).noneMatch(s -> s instanceof ConnectionState.Retrying);
    }

    @Test
    void reconnectNowRestartsIt() throws Exception {
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long first = runningPid();
        supervisor.reconnectNow();
        awaitGone(first);
        await(ConnectionState.Connected.class);
        assertThat(runningPid()).isNotEqualTo(first);
    }

    @Test
    void quitLeavesNoProcessBehindNotEvenAHelperReparentedToInit() throws Exception {
        fake.set("helper", "true");
        storeSession();
        start();
        await(ConnectionState.Connected.class);
        long pid = runningPid();
        long helper = Long.parseLong(Files.readString(dataDir.resolve(FakeSoloist.HELPER_PID_FILE)).strip());
        pids.add(helper);
        assertThat(alive(helper)).isTrue();
        // the helper is not soloist's descendant any more: only its process group still ties it
        assertThat(ProcessHandle.of(pid).orElseThrow().descendants().map(ProcessHandle::pid)).doesNotContain(helper);
        supervisor.quit();
        assertThat(finished.get(15, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
        awaitGone(pid);
        awaitGone(helper);
        assertThat(dataDir.resolve("ws.port")).as("a clean shutdown").doesNotExist();
        supervisor = null;
    }

    @Test
    void describeSaysTheVersionAndTheDaysLeft() {
        SoloistEngine engine = new SoloistEngine(binary, SoloistEngine.Options.inStateFolder(DEVICE, null, state,
                STALL_LIMIT, BEAT), Clock.systemUTC());
        assertThat(engine.describe()).isEqualTo("Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        assertThat(new SoloistEngine(new GivenSoloist(fake.executable(), Clock.systemUTC()), SoloistEngine.Options.inStateFolder(
                DEVICE, null, state, STALL_LIMIT, BEAT), Clock.systemUTC()).describe()).isEqualTo("Spotify Soloist");
    }
}
