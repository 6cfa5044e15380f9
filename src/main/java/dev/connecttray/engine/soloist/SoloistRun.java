package dev.connecttray.engine.soloist;

import dev.connecttray.core.DurationText;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.Threads;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import dev.connecttray.os.Platform;
import dev.connecttray.supervisor.ChildLauncher;
import dev.connecttray.supervisor.EngineUnusable;
import dev.connecttray.supervisor.ProcessChildLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of Soloist: prepares and starts the process on its own thread, reads its log, talks to its
 * WebSocket, reports states and heartbeats, stops its whole session, and reports its exit last and
 * once. Everything that reports an event runs on the run's one executor thread, so events keep their
 * order; the exit is reported after that thread is done.
 */
final class SoloistRun implements ChildLauncher.Child {
    private static final Logger LOG = LoggerFactory.getLogger(SoloistRun.class);
    /** Log lines kept for classifying the exit. */
    static final int KEPT_LINES = 20;
    /** The longest log line kept; the rest of a longer line is skipped. */
    static final int MAX_LINE_CHARS = 8192;
    /** How long Soloist may take to write {@code ws.addr}/{@code ws.port} after it started. */
    static final Duration ENDPOINT_WAIT = Duration.ofSeconds(30);
    /** How often its data folder is looked at for the endpoint files. */
    private static final long ENDPOINT_POLL_MS = 50;
    /** Lost WebSocket connections in a row reconnected before leaving a silent engine to the watchdog. */
    static final int MAX_WS_RECONNECTS = 3;
    private static final Duration WS_RECONNECT_DELAY = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    /** How long a new run waits for the one before it to end before killing it. */
    static final Duration PREVIOUS_GRACE = Duration.ofSeconds(5);
    private static final String STALE_LOCKS = "crashpad/pending";
    private static final Pattern LOOKS_BAD = Pattern.compile("\\b(error|warn|warning|fail|failed|fatal|expire[sd]?|"
            + "unrecognized|invalid|denied|unauthori[sz]ed)\\b", Pattern.CASE_INSENSITIVE);
    private static final Path SETSID = findSetsid();

    private final int number;
    private final SoloistBinary binary;
    private final SoloistEngine.Options options;
    private final AtomicBoolean expiredPending;
    private final HttpClient http;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ChildLauncher.Listener listener;
    private final ScheduledExecutorService exec;
    private final SoloistSession session;
    private final Deque<String> lines = new ArrayDeque<>();
    private final Object lock = new Object();
    private final AtomicBoolean exitReported = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    /** The run before this one, which may still be ending (one that asked for its own restart). */
    private SoloistRun previous;

    private Thread thread;
    // Guarded by lock.
    private Process process;
    private ProcessGroup group;
    /** null while no stop was asked; else the status reported if the process never started. */
    private Integer stopAsked;
    private volatile long pid = -1;
    private volatile Redaction redaction = new Redaction(null);
    // On the executor thread.
    private WebSocket ws;
    private int wsLosses;
    private long lastAuthQuery = Long.MIN_VALUE;
    private boolean restarting;

    SoloistRun(int number, SoloistBinary binary, SoloistEngine.Options options, AtomicBoolean expiredPending,
               HttpClient http, Clock clock, LongSupplier nanoTime, ChildLauncher.Listener listener,
               SoloistRun previous) {
        this.number = number;
        this.previous = previous;
        this.binary = binary;
        this.options = options;
        this.expiredPending = expiredPending;
        this.http = http;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.listener = listener;
        this.session = new SoloistSession(options.deviceName(), options.stallLimit());
        this.exec = Executors.newSingleThreadScheduledExecutor(Threads.factory("soloist-" + number + "-events"));
    }

    void begin() {
        thread = Threads.named("soloist-" + number, this::run);
        thread.start();
    }

    // --- the run's own thread ---

    private void run() {
        int status;
        try {
            status = prepareAndRun();
        } catch (EngineUnusable e) {
            LOG.debug("Spotify Soloist cannot start: {}", e.getMessage());
            event(new Event.StateChanged(clock.instant(), new ConnectionState.Failed(e.failure(), e.status())));
            status = e.status().code();
        } catch (InterruptedException e) {
            status = stoppedStatus();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Spotify Soloist could not be started", e);
            Failure f = new Failure(FailureKind.CONFIG, "Could not start Spotify Soloist: " + redaction.apply(
                    String.valueOf(e.getMessage())) + " (is engine.binary a Soloist build for this computer?)",
                    e.getClass().getName());
            event(new Event.StateChanged(clock.instant(), new ConnectionState.Failed(f, ExitStatus.CONFIG)));
            status = ExitStatus.CONFIG.code();
        }
        finish(status);
    }

    private int prepareAndRun() throws IOException, InterruptedException {
        // Preparing may download (minutes): the engine is busy, not wedged, so it beats meanwhile.
        ScheduledFuture<?> beating = exec.scheduleAtFixedRate(() -> event(new Event.Heartbeat(clock.instant(), -1)),
                0, options.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        Path exe;
        String key;
        try {
            if (previous != null) {
                previous.awaitEnded();
                previous = null; // no chain of every run ever made
            }
            if (expiredPending.get()) {
                LOG.info("The Spotify Soloist build expired; refreshing it before starting it again");
                binary.expired();
                expiredPending.set(false);
            }
            key = ApiKeyFile.read(options.apiKeyFile());
            redaction = new Redaction(key);
            exe = binary.prepare();
            stopLeftover();
            prepareFolders();
        } finally {
            beating.cancel(false);
        }
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            argv.add(SETSID.toString());
            argv.add("--wait");
        }
        argv.addAll(List.of(exe.toString(), "-n", options.deviceName(), "-k", key, "-D", options.dataDir().toString(),
                "-C", options.cacheDir().toString(), "--ws", "127.0.0.1:0"));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(options.dataDir().toFile());
        ProcessChildLauncher.withoutSupervisorsOwn(pb.environment());
        Process p;
        synchronized (lock) {
            if (stopAsked != null) return stopAsked;
            p = pb.start();
            process = p;
            pid = p.pid();
            group = new ProcessGroup(p.pid());
        }
        LOG.info("Spotify Soloist runs as pid {}{}: {}", p.pid(), ownSession(p.pid()) ? " in a session of its own" : "",
                redaction.commandLine(argv.subList(SETSID == null ? 0 : 2, argv.size())));
        Thread reader = Threads.start("soloist-" + number + "-log", () -> readLog(p.getInputStream()));
        exec.scheduleAtFixedRate(this::tick, 0, tickPeriod().toMillis(), TimeUnit.MILLISECONDS);

        Optional<URI> endpoint = awaitEndpoint(p);
        endpoint.ifPresent(uri -> exec.execute(() -> connect(uri)));
        int status = p.waitFor();
        // Helpers left behind in its session (re-parented to PID 1) go with it.
        group.kill();
        reader.join(1000);
        return status;
    }

    /**
     * Waits until this run has ended: two Soloists must never share the data folder (one would delete
     * the other's endpoint files, and both would be the same device). A run that asked for its own
     * restart is still ending when its successor starts; the supervisor kills it after a grace, and
     * so does this wait if it must.
     */
    void awaitEnded() throws InterruptedException {
        if (ended.await(PREVIOUS_GRACE.toMillis(), TimeUnit.MILLISECONDS)) return;
        LOG.warn("The previous Spotify Soloist (pid {}) has not ended within {}; killing it", pid,
                dev.connecttray.core.DurationText.duration(PREVIOUS_GRACE));
        kill();
        ended.await(PREVIOUS_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finish(int status) {
        previous = null;
        exec.shutdown();
        try {
            exec.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exec.shutdownNow();
        WebSocket w = ws;
        if (w != null) w.abort();
        ended.countDown();
        if (exitReported.compareAndSet(false, true)) listener.exited(status);
    }

    private int stoppedStatus() {
        synchronized (lock) {
            return stopAsked != null ? stopAsked : 128 + 15;
        }
    }

    private boolean ownSession(long pid) {
        long[] ids = ProcessGroup.sessionAndGroup(Path.of("/proc", Long.toString(pid)));
        return ids != null && ids[0] == pid;
    }

    /**
     * A Soloist that an earlier Connect Tray started on this data folder and left running (that
     * supervisor was killed, so nothing stopped it): stopped with its whole session before a new one
     * starts, since two would be the same device and share the folder. A process that merely has the
     * pid in a stale {@code soloist.pid} is left alone unless it runs Soloist on this very folder.
     */
    private void stopLeftover() throws InterruptedException {
        String text = readSmall(options.dataDir().resolve("soloist.pid"));
        if (text == null || text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 18) return;
        long old = Long.parseLong(text);
        Optional<ProcessHandle> handle = ProcessHandle.of(old);
        if (handle.isEmpty() || old == ProcessHandle.current().pid() || !runsOn(old, options.dataDir())) return;
        LOG.warn("Spotify Soloist (pid {}) started by an earlier Connect Tray is still running on {}; stopping it",
                old, options.dataDir());
        ProcessGroup leftover = new ProcessGroup(old);
        leftover.terminate();
        try {
            handle.get().onExit().get(PREVIOUS_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("Spotify Soloist (pid {}) ignored SIGTERM for {}; killing it", old,
                    dev.connecttray.core.DurationText.duration(PREVIOUS_GRACE));
        }
        leftover.kill(); // and whatever of its session is left
    }

    /** Whether process {@code pid} was started with {@code -D dataDir} (or {@code --data-dir}). */
    static boolean runsOn(long pid, Path dataDir) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return runsOn(new String(raw, StandardCharsets.UTF_8).split("\0"), dataDir);
    }

    static boolean runsOn(String[] argv, Path dataDir) {
        java.util.Set<String> folder = new java.util.HashSet<>(List.of(dataDir.toString(),
                dataDir.toAbsolutePath().normalize().toString()));
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if ((a.equals("-D") || a.equals("--data-dir")) && i + 1 < argv.length && folder.contains(argv[i + 1])) {
                return true;
            }
            if (a.startsWith("--data-dir=") && folder.contains(a.substring("--data-dir=".length()))) return true;
        }
        return false;
    }

    /** Its data folder (owner-only) and cache; stale endpoint files and crash-handler locks removed. */
    private void prepareFolders() throws EngineUnusable {
        for (Path dir : List.of(options.dataDir(), options.cacheDir())) {
            try {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // no POSIX permissions on this file system
                }
            } catch (IOException e) {
                throw new EngineUnusable(new Failure(FailureKind.CONFIG, "Cannot prepare Spotify Soloist's folder "
                        + dir + ": " + e.getMessage(), e.getClass().getName()), ExitStatus.CONFIG, e);
            }
        }
        try {
            // After a crash these are stale: a new run must not be taken for one that already listens.
            Files.deleteIfExists(options.dataDir().resolve("ws.addr"));
            Files.deleteIfExists(options.dataDir().resolve("ws.port"));
            Path pending = options.dataDir().resolve(STALE_LOCKS);
            if (Files.isDirectory(pending)) {
                try (DirectoryStream<Path> locks = Files.newDirectoryStream(pending, "*.lock")) {
                    for (Path l : locks) {
                        Files.deleteIfExists(l);
                        LOG.debug("Removed the stale crash-handler lock {}", l);
                    }
                }
            }
        } catch (IOException e) {
            throw new EngineUnusable(new Failure(FailureKind.CONFIG, "Cannot clean Spotify Soloist's data folder "
                    + options.dataDir() + ": " + e.getMessage(), e.getClass().getName()), ExitStatus.CONFIG, e);
        }
    }


    /**
     * Waits for {@code ws.port} (and {@code ws.addr}) in the data folder, while the process lives.
     * Empty when it ended, did not write them in time, or offered a non-loopback address.
     */
    private Optional<URI> awaitEndpoint(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + ENDPOINT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Endpoint> found = readEndpoint(options.dataDir());
            if (found.isPresent()) {
                Endpoint e = found.get();
                if (!e.loopback()) {
                    LOG.error("Spotify Soloist offers its WebSocket on {}, which is not this computer's loopback "
                            + "address; not connecting to it", e.host());
                    return Optional.empty();
                }
                return Optional.of(URI.create("ws://" + (e.host().contains(":") ? "[" + e.host() + "]" : e.host())
                        + ":" + e.port() + "/"));
            }
            if (p.waitFor(ENDPOINT_POLL_MS, TimeUnit.MILLISECONDS)) return Optional.empty();
            synchronized (lock) {
                if (stopAsked != null) return Optional.empty();
            }
        }
        LOG.warn("Spotify Soloist (pid {}) wrote no ws.port within {}; it cannot be watched", pid,
                dev.connecttray.core.DurationText.duration(ENDPOINT_WAIT));
        return Optional.empty();
    }

    /** Where Soloist's WebSocket listens, from its files. */
    record Endpoint(String host, int port) {
        boolean loopback() {
            // Literal addresses only: a name would need a lookup that could say anything.
            if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) return false;
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** {@code ws.port} holds the port; {@code ws.addr} the address, with or without the port. */
    static Optional<Endpoint> readEndpoint(Path dataDir) {
        String portText = readSmall(dataDir.resolve("ws.port"));
        String addrText = readSmall(dataDir.resolve("ws.addr"));
        String host = "127.0.0.1";
        Integer port = parsePort(portText);
        if (addrText != null && !addrText.isEmpty()) {
            String a = addrText;
            int colon = a.lastIndexOf(':');
            if (a.startsWith("[")) {
                int end = a.indexOf(']');
                if (end < 0) return Optional.empty();
                if (port == null && end + 1 < a.length() && a.charAt(end + 1) == ':') port = parsePort(a.substring(end + 2));
                host = a.substring(1, end);
            } else if (colon > 0 && a.indexOf(':') == colon) {
                if (port == null) port = parsePort(a.substring(colon + 1));
                host = a.substring(0, colon);
            } else {
                host = a;
            }
        }
        if (port == null || port == 0) return Optional.empty();
        return Optional.of(new Endpoint(host, port));
    }

    private static Integer parsePort(String s) {
        if (s == null || !s.matches("[0-9]{1,5}")) return null;
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : null;
    }

    private static String readSmall(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 256) return null;
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Soloist's stdout (stderr merged): its log, redacted, kept, and logged. */
    private void readLog(InputStream in) {
        try (in) {
            StringBuilder line = new StringBuilder();
            byte[] buf = new byte[8192];
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
            int n;
            boolean skipping = false;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        line.append(pending.toString(StandardCharsets.UTF_8));
                        pending.reset();
                        logLine(line.toString());
                        line.setLength(0);
                        skipping = false;
                    } else if (!skipping) {
                        pending.write(b);
                        if (pending.size() >= MAX_LINE_CHARS) {
                            skipping = true; // the rest of this line is dropped
                        }
                    }
                }
            }
            if (pending.size() > 0) logLine(pending.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("Reading Spotify Soloist's log ended: {}", e.getMessage());
        }
    }

    private void logLine(String raw) {
        String line = redaction.apply(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
        if (line.isBlank()) return;
        synchronized (lines) {
            if (lines.size() == KEPT_LINES) lines.removeFirst();
            lines.addLast(line.length() <= 500 ? line : line.substring(0, 497) + "...");
        }
        if (LOOKS_BAD.matcher(line).find()) {
            LOG.info("soloist[{}]: {}", pid, line);
        } else {
            LOG.debug("soloist[{}]: {}", pid, line);
        }
    }

    // --- the executor thread ---

    private Duration tickPeriod() {
        Duration quarter = options.stallLimit().dividedBy(4);
        Duration p = quarter.compareTo(options.heartbeatInterval()) < 0 ? quarter : options.heartbeatInterval();
        return p.toMillis() < 50 ? Duration.ofMillis(50) : p;
    }

    private void tick() {
        try {
            long now = nanoTime.getAsLong();
            if (ws != null) {
                if (lastAuthQuery == Long.MIN_VALUE || now - lastAuthQuery >= options.heartbeatInterval().toNanos()) {
                    lastAuthQuery = now;
                    sendCommand("get_auth_state");
                }
                if (session.playing()) sendCommand("get_state");
            }
            report(session.onTick(clock.instant(), now));
            checkStall(now);
        } catch (RuntimeException e) {
            LOG.warn("Watching Spotify Soloist failed", e);
        }
    }

    private void connect(URI uri) {
        if (stopping() || !alive()) return;
        LOG.debug("Connecting to Spotify Soloist's WebSocket at {}", uri);
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Messages(uri))
                .whenComplete((socket, error) -> {
                    if (exec.isShutdown()) {
                        if (socket != null) socket.abort();
                        return;
                    }
                    exec.execute(() -> {
                        if (error != null) {
                            lost(null, "could not connect: " + rootMessage(error), uri);
                        } else {
                            ws = socket;
                            lastAuthQuery = Long.MIN_VALUE;
                        }
                    });
                });
    }

    /** The WebSocket closed or failed; reconnected a few times while the process lives, then left to the watchdog. */
    private void lost(WebSocket which, String why, URI uri) {
        if (which != null && ws != which) return; // an earlier connection's late news
        ws = null;
        if (stopping() || !alive()) return;
        wsLosses++;
        if (wsLosses > MAX_WS_RECONNECTS) {
            LOG.warn("Spotify Soloist's WebSocket is gone ({}) after {} reconnects; if it stays silent it is "
                    + "restarted", why, MAX_WS_RECONNECTS);
            return;
        }
        LOG.info("Spotify Soloist's WebSocket is gone ({}); reconnecting", why);
        exec.schedule(() -> connect(uri), WS_RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onMessage(String text) {
        JsonObject message;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new JsonParseException("not an object");
            message = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            LOG.debug("Ignoring a WebSocket message from Spotify Soloist that is not a JSON object: {}",
                    shorten(redaction.apply(text)));
            return;
        }
        wsLosses = 0;
        event(new Event.Heartbeat(clock.instant(), pid));
        JsonElement type = message.get("type");
        if (type != null && type.isJsonPrimitive() && "error".equals(type.getAsString())) {
            LOG.debug("Spotify Soloist answered with an error: {}", shorten(redaction.apply(String.valueOf(
                    message.get("message")))));
        }
        long now = nanoTime.getAsLong();
        report(session.onMessage(message, clock.instant(), now));
        checkStall(now);
    }

    private void report(Optional<ConnectionState> state) {
        if (restarting) return;
        state.ifPresent(s -> event(new Event.StateChanged(clock.instant(), s)));
    }

    /** A stall through twice the limit: report the restart (Failed, 75) and end the run. */
    private void checkStall(long now) {
        if (restarting) return;
        Optional<Failure> due = session.restartDue(now);
        if (due.isEmpty()) return;
        restarting = true;
        LOG.warn("{}; ending pid {}", due.get().message(), pid);
        event(new Event.StateChanged(clock.instant(), new ConnectionState.Failed(due.get(), ExitStatus.TEMPFAIL)));
        ProcessGroup g;
        synchronized (lock) {
            g = group;
        }
        if (g != null) g.terminate();
    }

    private void sendCommand(String command) {
        WebSocket w = ws;
        if (w == null) return;
        JsonObject o = new JsonObject();
        o.addProperty("type", "command");
        o.addProperty("command", command);
        try {
            w.sendText(o.toString(), true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Could not send {} to Spotify Soloist: {}", command, rootMessage(e));
        }
    }

    private void event(Event e) {
        if (!exitReported.get()) listener.event(e);
    }

    private boolean alive() {
        synchronized (lock) {
            return process != null && process.isAlive();
        }
    }

    private boolean stopping() {
        synchronized (lock) {
            return stopAsked != null;
        }
    }

    /** The JDK's WebSocket listener: whole text messages go to the executor, in order. */
    private final class Messages implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();
        private final URI uri;

        Messages(URI uri) {
            this.uri = uri;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (parts.length() > 4 * 1024 * 1024) {
                LOG.warn("Spotify Soloist sent a WebSocket message longer than 4 MiB; dropping the connection");
                webSocket.abort();
                return null;
            }
            if (last) {
                String text = parts.toString();
                parts.setLength(0);
                execute(() -> onMessage(text));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            execute(() -> lost(webSocket, "closed with " + statusCode, uri));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            execute(() -> lost(webSocket, rootMessage(error), uri));
        }
    }

    private void execute(Runnable r) {
        try {
            exec.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the run is over
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    // --- the Child, from any thread ---

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void send(Command command) {
        if (command == Command.STOP) {
            stop(false, 0);
        } else {
            // Soloist has no reconnect command and announces itself on the network by itself.
            LOG.debug("Spotify Soloist has no {} command; ignored", command.wireName());
        }
    }

    @Override
    public void terminate() {
        stop(false, 128 + 15);
    }

    @Override
    public void kill() {
        stop(true, 128 + 9);
    }

    /** SIGTERM (or SIGKILL) to its whole session; before it started, the start is called off. */
    private void stop(boolean force, int statusIfNotStarted) {
        ProcessGroup g;
        synchronized (lock) {
            if (stopAsked == null || force) stopAsked = statusIfNotStarted;
            g = group;
        }
        if (g == null) {
            thread.interrupt(); // preparing (maybe downloading): called off
            return;
        }
        if (force) g.kill();
        else g.terminate();
    }

    @Override
    public List<String> lastLines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) return p;
        }
        if (!Platform.current().isLinux()) return null;
        LOG.warn("No setsid found: Spotify Soloist's helpers may outlive it");
        return null;
    }
}
