package dev.connecttray.engine.golibrespot;

import dev.connecttray.config.AtomicFiles;
import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.Threads;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import dev.connecttray.os.Platform;
import dev.connecttray.supervisor.Engine;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.EngineUnusable;
import dev.connecttray.supervisor.ProcessChildLauncher;
import dev.connecttray.supervisor.ExitVerdict;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * go-librespot (a binary the user supplies) as the supervisor's child.
 *
 * <ul>
 *   <li>Start: writes its {@code config.yml} ({@link GoLibrespotConfig}) into its own owner-only
 *       folder and runs {@code go-librespot --config_dir FOLDER}. Its credentials and state stay in
 *       that folder. go-librespot's {@code lockfile} is an advisory lock the system drops with the
 *       process, so a crashed run leaves nothing to clean up; a go-librespot that still holds it is
 *       left alone (its exit says so, exit 78), unless it is the one an earlier Connect Tray of this
 *       state folder started and left behind, which is stopped first.</li>
 *   <li>State: its log (stderr) is read on a thread of its own; the API port comes from its line
 *       "api server listening on …"; then {@link ApiWatch} asks {@code /status} every heartbeat interval
 *       and reads {@code /events}, and {@link SessionStates} says what that means.</li>
 *   <li>Exit: {@link GoLibrespotExits}, from the status and the last fatal log line.</li>
 *   <li>Stop: SIGTERM (it exits 0), SIGKILL when it does not.</li>
 * </ul>
 */
public final class GoLibrespotEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(GoLibrespotEngine.class);
    /** The executable looked up on PATH when {@code engine.binary} is not set. */
    public static final String EXECUTABLE = "go-librespot";
    /** How many of its last log lines are kept for classifying its exit. */
    static final int KEPT_LINES = 20;
    /** How long a session lost while running may take to come back before the device counts as waiting. */
    static final Duration RESTORE_GRACE = Duration.ofSeconds(30);
    /** How long one left running by an earlier Connect Tray gets to end after SIGTERM. */
    static final Duration LEFTOVER_GRACE = Duration.ofSeconds(3);
    static final String PID_FILE = "connect-tray.pid";

    private final GoLibrespotConfig config;
    private final Path folder;
    private final Path binary;
    private final Duration heartbeat;
    private final int maxAttempts;
    private final Clock clock;
    private final Map<String, String> environment;
    private final GoLibrespotExits exits;
    private final java.net.http.HttpClient http;
    private volatile String version;

    /**
     * @param config      what its config.yml says
     * @param folder      its own folder ({@code go-librespot} in the state folder): config, credentials, lock
     * @param binary      the executable ({@code engine.binary}); null: {@value #EXECUTABLE} on PATH
     * @param heartbeat   how often {@code /status} is asked; the supervisor's watchdog allows three misses
     * @param maxAttempts the retry budget, shown while a lost session is being rebuilt
     */
    public GoLibrespotEngine(GoLibrespotConfig config, Path folder, Path binary, Duration heartbeat, int maxAttempts) {
        this(config, folder, binary, heartbeat, maxAttempts, Clock.systemUTC(), System.getenv());
    }

    GoLibrespotEngine(GoLibrespotConfig config, Path folder, Path binary, Duration heartbeat, int maxAttempts,
                      Clock clock, Map<String, String> environment) {
        this.config = Objects.requireNonNull(config, "config");
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath();
        this.binary = binary;
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.maxAttempts = maxAttempts;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.environment = Map.copyOf(environment);
        this.exits = new GoLibrespotExits(this.folder, config.zeroconfPort());
        this.http = java.net.http.HttpClient.newBuilder().connectTimeout(heartbeat)
                .proxy(java.net.ProxySelector.of(null)) // loopback only: never through a configured proxy
                .build();
    }

    @Override
    public EngineKind kind() {
        return EngineKind.GO_LIBRESPOT;
    }

    @Override
    public String describe() {
        String v = version;
        return v == null ? EngineKind.GO_LIBRESPOT.displayName() : EngineKind.GO_LIBRESPOT.displayName() + " " + v;
    }

    @Override
    public ExitVerdict classifyExit(EndedRun run) {
        return exits.classify(run);
    }

    /** The folder its config.yml, credentials and lock live in. */
    public Path folder() {
        return folder;
    }

    @Override
    public Child start(int attemptsUsed, Listener listener) throws IOException {
        Path executable = executable();
        prepareFolder();
        stopLeftover();
        List<String> cmd = List.of(executable.toString(), "--config_dir", folder.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(folder.toFile());
        ProcessChildLauncher.withoutSupervisorsOwn(pb.environment());
        Process process = pb.start();
        process.getOutputStream().close(); // it reads nothing from us; commands go through signals
        LOG.debug("Started {} as pid {}", cmd, process.pid());
        writePid(process.pid());
        Run run = new Run(process, listener);
        Threads.start("go-librespot-log-" + process.pid(), run::readUntilExit);
        java.util.concurrent.CompletableFuture.delayedExecutor(heartbeat.toMillis() * 2, TimeUnit.MILLISECONDS)
                .execute(run::checkApiFound);
        return run;
    }


    /** {@code engine.binary}, or go-librespot on PATH. */
    Path executable() throws EngineUnusable {
        if (binary != null) {
            if (!Files.isRegularFile(binary)) {
                throw unusable("go-librespot was not found at " + binary + " (engine.binary); install it there or "
                        + "correct engine.binary, then Reconnect (or restart Connect Tray)", "missing " + binary);
            }
            if (!Files.isExecutable(binary)) {
                throw unusable(binary + " (engine.binary) is not executable; make it executable (chmod +x), then "
                        + "Reconnect (or restart Connect Tray)", "not executable " + binary);
            }
            return binary;
        }
        return onPath(environment.get("PATH"), Platform.current())
                .orElseThrow(() -> unusable("go-librespot was not found on PATH; install it, or set engine.binary to "
                        + "its path, then Reconnect (or restart Connect Tray)", "PATH=" + environment.getOrDefault("PATH", "")));
    }

    static Optional<Path> onPath(String path, Platform platform) {
        if (path == null || path.isBlank()) return Optional.empty();
        String name = platform.isWindows() ? EXECUTABLE + ".exe"
                : EXECUTABLE;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static EngineUnusable unusable(String message, String detail) {
        return new EngineUnusable(new Failure(FailureKind.CONFIG, message, detail), ExitStatus.CONFIG);
    }

    /** Creates the owner-only folder and writes config.yml into it (replacing the one there). */
    void prepareFolder() throws EngineUnusable {
        try {
            AtomicFiles.createPrivateDirectories(folder);
            AtomicFiles.tighten(folder);
            Path target = folder.resolve("config.yml");
            AtomicFiles.refuseSymbolicLink(target);
            AtomicFiles.write(target, config.yaml().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineUnusable(new Failure(FailureKind.CONFIG, "Could not write go-librespot's configuration in "
                    + folder + ": " + e.getMessage(), e.toString()), ExitStatus.CONFIG, e);
        }
    }

    /**
     * A go-librespot that an earlier Connect Tray of this state folder started and left running (it
     * was killed before it could stop its child) holds the lock and the Zeroconf port: it is ended.
     * Only that one: the pid it wrote must still run go-librespot on this very folder.
     */
    private void stopLeftover() {
        Path pidFile = folder.resolve(PID_FILE);
        Optional<ProcessHandle> leftover;
        try {
            leftover = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return;
        }
        if (leftover.isEmpty() || !leftover.get().isAlive()) return;
        ProcessHandle p = leftover.get();
        if (!runsOn(p.info().arguments().orElse(new String[0]), folder)) return;
        LOG.warn("go-librespot (pid {}) started by an earlier Connect Tray is still running on {}; stopping it",
                p.pid(), folder);
        p.destroy();
        try {
            p.onExit().get(LEFTOVER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            try {
                p.onExit().get(LEFTOVER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // its exit says why the next start fails
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException ignored) {
            // gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether these arguments run go-librespot on {@code folder}. */
    static boolean runsOn(String[] args, Path folder) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config_dir") && i + 1 < args.length && args[i + 1].equals(folder.toString())) {
                return true;
            }
            if (args[i].equals("--config_dir=" + folder)) return true;
        }
        return false;
    }

    private void writePid(long pid) {
        try {
            AtomicFiles.write(folder.resolve(PID_FILE), (pid + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.debug("Could not write {}: {}", folder.resolve(PID_FILE), e.toString());
        }
    }

    private void removePid(long pid) {
        Path pidFile = folder.resolve(PID_FILE);
        try {
            if (Files.readString(pidFile).strip().equals(Long.toString(pid))) Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // gone already, or another run's
        }
    }

    /** The oldest go-librespot with the local API (/status, /events) this adapter reads. */
    static final String OLDEST = "0.9";

    /** Whether version {@code v} ("v0.8.2", "0.9.0") is older than {@link #OLDEST}; false when it cannot be read. */
    static boolean tooOld(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^v?(\\d+)\\.(\\d+)").matcher(v.strip());
        if (!m.find()) return false;
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            return major == 0 && minor < 9;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One run of go-librespot: its process, its log, its API watch, and what it reports. */
    private final class Run implements Child, ApiWatch.Sink {
        private final Process process;
        private final Listener listener;
        private final SessionStates states;
        private final Deque<String> lastLines = new ArrayDeque<>();
        private ApiWatch watch;
        private boolean ended;

        Run(Process process, Listener listener) {
            this.process = process;
            this.listener = listener;
            this.states = new SessionStates(config.deviceName(), maxAttempts, RESTORE_GRACE);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void send(Command command) {
            switch (command) {
                case STOP -> terminate();
                // It has no reconnect command (the supervisor restarts it instead), and its Zeroconf
                // announces on every interface by itself.
                case RECONNECT, NETWORK_CHANGED -> LOG.debug("go-librespot (pid {}) has no {} command", pid(),
                        command.wireName());
            }
        }

        @Override
        public void terminate() {
            ProcessChildLauncher.terminate(process);
        }

        @Override
        public void kill() {
            ProcessChildLauncher.killWithDescendants(process);
        }

        @Override
        public synchronized List<String> lastLines() {
            return new ArrayList<>(lastLines);
        }

        void readUntilExit() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.length() > 4096) line = line.substring(0, 4096) + "...";
                    onLine(line);
                }
            } catch (IOException e) {
                LOG.debug("Reading go-librespot's log failed: {}", e.toString());
            } catch (RuntimeException | Error e) {
                LOG.error("Reading go-librespot's log failed; its exit will still be handled", e);
            } finally {
                int status;
                while (true) {
                    try {
                        status = process.waitFor();
                        break;
                    } catch (InterruptedException e) {
                        // only the JVM's exit interrupts this daemon thread; the exit must be reported
                    }
                }
                removePid(process.pid());
                ended(status);
            }
        }

        private void onLine(String raw) {
            synchronized (this) {
                lastLines.addLast(raw);
                while (lastLines.size() > KEPT_LINES) lastLines.removeFirst();
            }
            LogLine line = LogLine.parse(raw);
            if (line.fatal()) {
                LOG.warn("go-librespot (pid {}): {}", pid(), line.text());
            } else if (line.warning()) {
                LOG.warn("go-librespot: {}", line.text());
            } else {
                LOG.debug("go-librespot: {}", raw);
            }
            line.version().ifPresent(v -> {
                version = v;
                LOG.info("Running go-librespot {} (pid {})", v, pid());
                if (tooOld(v)) {
                    // Without the local API (0.9) nothing can be followed: waiting for the watchdog to call
                    // it silent, round after round, would only hide the cause.
                    report(new ConnectionState.Failed(new Failure(FailureKind.CONFIG, "go-librespot " + v
                            + " is too old: Connect Tray follows go-librespot through the local API of version "
                            + OLDEST + " and newer. Install a newer go-librespot"
                            + (binary != null ? " at " + binary + " (engine.binary)" : " on PATH") + ".",
                            "go-librespot " + v), ExitStatus.CONFIG));
                    terminate();
                }
            });
            boolean watching;
            synchronized (this) {
                watching = watch != null;
            }
            if (!watching) {
                // Until its API is up, its log is all there is to hear it by.
                heard();
                Optional<Integer> port = line.apiPort();
                if (port.isPresent()) watch(port.get());
                return;
            }
            String msg = line.msg();
            if (msg.startsWith("failed receiving packet") || msg.startsWith("did not receive last pong ack")) {
                states.accessPointLost(clock.instant()).ifPresent(this::report);
            } else if (msg.startsWith("authenticated AP")) {
                states.accessPointBack(clock.instant()).ifPresent(this::report);
            } else if (msg.contains("lost session")) {
                states.sessionLost(System.nanoTime()).ifPresent(this::report);
                watchNow();
            } else if (msg.contains("failed restoring session")) {
                states.restoreFailed();
                watchNow();
            }
        }

        /**
         * Without its API Connect Tray cannot follow it, and the watchdog soon ends it as silent: the log
         * says why, once per run.
         */
        void checkApiFound() {
            synchronized (this) {
                if (watch != null || ended) return;
            }
            LOG.warn("go-librespot (pid {}) has not said where its API listens (no \"api server listening on\" "
                    + "line); Connect Tray cannot follow it without that. Is {} go-librespot 0.9 or newer?", pid(),
                    binary != null ? binary + " (engine.binary)" : "the go-librespot on PATH");
        }

        private void watch(int port) {
            LOG.debug("go-librespot (pid {}) serves its API on 127.0.0.1:{}", pid(), port);
            ApiWatch w = new ApiWatch(http, port, heartbeat, this, pid());
            synchronized (this) {
                if (ended) return;
                watch = w;
            }
            w.start();
        }

        private void watchNow() {
            ApiWatch w;
            synchronized (this) {
                w = watch;
            }
            if (w != null) w.checkNow();
        }

        @Override
        public void status(String username) {
            states.status(username == null ? null : username.isBlank() ? "a Spotify user" : username,
                    clock.instant(), System.nanoTime()).ifPresent(this::report);
        }

        @Override
        public void heard() {
            emit(new Event.Heartbeat(clock.instant(), pid()));
        }

        @Override
        public void event(String type) {
            LOG.debug("go-librespot event: {}", type);
            watchNow();
        }

        private void report(ConnectionState state) {
            emit(new Event.StateChanged(clock.instant(), state));
        }

        private synchronized void emit(Event event) {
            if (!ended) listener.event(event);
        }

        private void ended(int status) {
            ApiWatch w;
            synchronized (this) {
                ended = true;
                w = watch;
            }
            if (w != null) w.close();
            synchronized (this) {
                listener.exited(status);
            }
        }
    }
}
