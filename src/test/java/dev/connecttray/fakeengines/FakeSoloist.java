package dev.connecttray.fakeengines;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake {@code soloist}, run as a real process through a shell script ({@link FakeSoloistScript}),
 * faithful to what is known of Spotify Soloist (the shared engines.md, section 1): its flags, its
 * {@code --version} line with a build date, exit 10 once the build is 90 days old, its log on
 * stdout (argument complaints on stderr), {@code soloist.pid} and {@code ws.addr}/{@code ws.port}
 * in its data folder while it runs, its WebSocket (events on connect, answers to commands), and
 * {@code --pair}. A session file in the data folder means logged in.
 *
 * <p>What the test chooses before a start is in the properties file the script names
 * ({@code fakesoloist.config}): {@code buildDate} (yyyyMMdd), {@code validKey} (another key is
 * rejected: exit 1), {@code ws} ({@code off}: no WebSocket, a silent engine), {@code helper}
 * ({@code true}: a helper process that re-parents to PID 1, as Soloist's crash handler can),
 * {@code lifetime} (seconds; it ends by itself after). While it runs the test steers it over HTTP
 * on 127.0.0.1, the port in {@code fake-control.port} in its data folder: {@code /pick} (a Spotify
 * app picks the device), {@code /play}, {@code /pause}, {@code /stall}, {@code /unstall},
 * {@code /drop} (drops WebSocket clients), {@code /crash} (ends at once with the WebSocket files
 * left behind), {@code /exit?code=N}, {@code /pair} (ends a {@code --pair} run), {@code /info}.
 */
public final class FakeSoloist {
    public static final String VERSION = "1.3.8.9";
    public static final String SESSION_FILE = "session";
    public static final String CONTROL_PORT_FILE = "fake-control.port";
    public static final String HELPER_PID_FILE = "helper.pid";
    /** The line it logs when Spotify refuses its key (the real words are unknown; these are plausible). */
    public static final String KEY_REJECTED_LINE = "[E] auth: Spotify rejected the API key (401 Unauthorized): "
            + "the key is invalid or has been revoked";
    private static final DateTimeFormatter YMD = DateTimeFormatter.BASIC_ISO_DATE;

    private final PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private final Properties config;
    private final AtomicInteger exitCode = new AtomicInteger(0);
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger commands = new AtomicInteger();
    private Path dataDir;
    private String deviceName;
    private LoopbackWebServer ws;
    private LoopbackWebServer control;
    private volatile boolean cleanExit = true;
    // playback
    private volatile String status = "idle";
    private final AtomicLong positionBase = new AtomicLong();
    private volatile long playingSinceNanos;
    private volatile boolean stalled;
    private volatile long helperPid = -1;

    private FakeSoloist(Properties config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        String file = System.getProperty("fakesoloist.config");
        if (file != null && Files.exists(Path.of(file))) {
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                config.load(r);
            }
        }
        System.exit(new FakeSoloist(config).run(args));
    }

    private int run(String[] args) throws Exception {
        String key = null;
        String ws = null;
        boolean pair = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--version" -> {
                    out.println("soloist " + VERSION + " build 1787077868 (" + buildDate().format(YMD)
                            + ") (gfa4e5ca5e1) (linux/x86_64)");
                    return expired() ? 10 : 0;
                }
                case "-n", "--device-name" -> deviceName = value(args, ++i, a);
                case "-k", "--api-key" -> key = value(args, ++i, a);
                case "-D", "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "-C", "--cache-dir", "-d", "--pipewire-device", "-s", "--single-track" -> value(args, ++i, a);
                case "-z", "--cache-size", "-i", "--initial-volume" -> value(args, ++i, a);
                case "--ws" -> ws = value(args, ++i, a);
                case "-p", "--pair" -> pair = true;
                default -> System.err.println("soloist: unrecognized option '" + a + "'"); // and keeps running
            }
        }
        if (deviceName == null || key == null) {
            System.err.println("soloist: the option '" + (deviceName == null ? "--device-name" : "--api-key")
                    + "' is required");
            System.err.println("Usage: soloist -n NAME -k KEY [options]");
            return 1;
        }
        if (dataDir == null) dataDir = Path.of(System.getProperty("user.home"), ".local/share/soloist");
        out.println("[I] soloist " + VERSION + " starting as \"" + deviceName + "\"");
        // Echoes its whole command line, key included, as a careless build might: the adapter must redact it.
        out.println("[D] command line: " + String.join(" ", args));
        if (expired()) {
            out.println("[E] This build of soloist has expired; download a new one");
            return 10;
        }
        long days = ChronoUnit.DAYS.between(LocalDate.now(), buildDate().plusDays(90));
        out.println("[I] This build expires in " + days + " days");
        String validKey = config.getProperty("validKey");
        if (validKey != null && !validKey.equals(key)) {
            out.println("[I] authenticating the API key");
            out.println(KEY_REJECTED_LINE);
            return 1;
        }
        Files.createDirectories(dataDir);
        startControl();
        startLifetime();
        if (pair) return pair();

        Files.writeString(dataDir.resolve("soloist.pid"), ProcessHandle.current().pid() + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "fake-soloist-shutdown"));
        if ("true".equals(config.getProperty("helper"))) startHelper();
        if (ws != null && !"off".equals(config.getProperty("ws"))) startWebSocket(ws);
        out.println(loggedIn() ? "[I] restored the stored session" : "[I] no session stored; waiting for a Spotify "
                + "app to select \"" + deviceName + "\"");
        done.await();
        return exitCode.get();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println("soloist: the option '" + flag + "' requires an argument");
            System.exit(1);
        }
        return args[i];
    }

    private LocalDate buildDate() {
        String d = config.getProperty("buildDate");
        return d == null ? LocalDate.now().minusDays(10) : LocalDate.parse(d, YMD);
    }

    private boolean expired() {
        return !LocalDate.now().isBefore(buildDate().plusDays(90));
    }

    private boolean loggedIn() {
        return Files.exists(dataDir.resolve(SESSION_FILE));
    }

    /** {@code --pair}: blocks until the device is selected (the test's {@code /pair}), stores the session, exits 0. */
    private int pair() throws Exception {
        out.println("[I] pairing: select \"" + deviceName + "\" in a Spotify app");
        done.await();
        return exitCode.get();
    }

    private void startLifetime() {
        long seconds = Long.parseLong(config.getProperty("lifetime", "120"));
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // ends by itself, whatever the test did
            } catch (InterruptedException e) {
                return;
            }
            out.println("[W] fake lifetime over; exiting");
            finish(0);
        }, "fake-soloist-lifetime");
        t.setDaemon(true);
        t.start();
    }

    private void finish(int code) {
        exitCode.set(code);
        done.countDown();
    }

    /** Ends as on SIGTERM or a normal exit: the run files are removed. */
    private void shutdown() {
        if (!cleanExit) return;
        out.println("[I] shutting down");
        try {
            Files.deleteIfExists(dataDir.resolve("ws.addr"));
            Files.deleteIfExists(dataDir.resolve("ws.port"));
            Files.deleteIfExists(dataDir.resolve("soloist.pid"));
        } catch (IOException ignored) {
            // best effort, as the real one
        }
        if (ws != null) ws.close();
        if (control != null) control.close();
        // SIGTERM is a normal shutdown for Soloist: status 0, not the JVM's 143.
        if (done.getCount() > 0) Runtime.getRuntime().halt(0);
    }

    /** A helper that outlives its parent shell (re-parented to PID 1) but stays in Soloist's process group. */
    private void startHelper() throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("sh", "-c", "sleep 120 </dev/null >/dev/null 2>&1 & echo $!")
                .redirectErrorStream(true).start();
        String pid = new String(sh.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        sh.waitFor(5, TimeUnit.SECONDS);
        helperPid = Long.parseLong(pid);
        Files.writeString(dataDir.resolve(HELPER_PID_FILE), pid + "\n");
        out.println("[I] crash handler started as pid " + pid);
    }

    private void startWebSocket(String addr) throws IOException {
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, colon);
        int port = Integer.parseInt(addr.substring(colon + 1));
        if (!host.equals("127.0.0.1")) throw new IllegalArgumentException("the fake listens on 127.0.0.1 only");
        ws = LoopbackWebServer.builder().port(port).idleTimeout(Duration.ofMinutes(5)).lifetime(Duration.ofMinutes(10))
                .webSocket("/", new LoopbackWebServer.SocketHandler() {
                    @Override
                    public void opened(LoopbackWebServer.WebSocket socket, LoopbackWebServer.Request upgrade)
                            throws IOException {
                        // Built and sent under the fake's lock, as every broadcast: no snapshot of the
                        // playback is sent after a newer one.
                        synchronized (FakeSoloist.this) {
                            socket.sendText(authState());
                            if (loggedIn()) socket.sendText(playbackState("playback_state"));
                        }
                    }

                    @Override
                    public void text(LoopbackWebServer.WebSocket socket, String text) throws IOException {
                        synchronized (FakeSoloist.this) {
                            socket.sendText(answer(text));
                        }
                    }
                }).start();
        Files.writeString(dataDir.resolve("ws.addr"), "127.0.0.1\n");
        Files.writeString(dataDir.resolve("ws.port"), ws.port() + "\n");
        out.println("[I] WebSocket API listening on 127.0.0.1:" + ws.port());
    }

    private String answer(String text) {
        commands.incrementAndGet();
        JsonObject o;
        try {
            o = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            return error("malformed message");
        }
        if (!"command".equals(str(o, "type"))) return error("messages must have \"type\":\"command\"");
        String command = str(o, "command");
        if (command == null) return error("missing command");
        switch (command) {
            case "get_auth_state":
                return authState();
            case "get_state":
                return loggedIn() ? playbackState("playback_state") : error("not logged in");
            case "get_queue":
                return loggedIn() ? "{\"type\":\"queue_changed\",\"previous\":[],\"upcoming\":[]}" : error("not logged in");
            case "play", "pause", "skip_next", "skip_prev", "seek", "set_volume", "set_shuffle", "set_repeat_context",
                    "set_repeat_track", "add_to_queue", "activate", "deactivate":
                if (!loggedIn()) return error("not logged in");
                if (command.equals("play")) play();
                if (command.equals("pause")) pause();
                JsonObject r = new JsonObject();
                r.addProperty("type", "command_result");
                r.addProperty("command", command);
                return r.toString();
            default:
                return error("unknown command: " + command);
        }
    }

    private static String str(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static String error(String message) {
        JsonObject r = new JsonObject();
        r.addProperty("type", "error");
        r.addProperty("message", message);
        return r.toString();
    }

    private String authState() {
        JsonObject r = new JsonObject();
        r.addProperty("type", "auth_state");
        r.addProperty("logged_in", loggedIn());
        r.addProperty("is_active", loggedIn() && !"idle".equals(status));
        if (loggedIn()) r.addProperty("device_name", deviceName);
        return r.toString();
    }

    private synchronized long position() {
        if (!"playing".equals(status) || stalled) return positionBase.get();
        return positionBase.get() + (System.nanoTime() - playingSinceNanos) / 1_000_000;
    }

    private String playbackState(String type) {
        JsonObject r = new JsonObject();
        r.addProperty("type", type);
        r.addProperty("status", status);
        JsonObject pos = new JsonObject();
        pos.addProperty("position_ms", position());
        pos.addProperty("timestamp_ms", System.currentTimeMillis());
        pos.addProperty("speed", "playing".equals(status) ? 1.0 : 0.0);
        r.add("position", pos);
        r.addProperty("volume", 100);
        r.addProperty("is_active", !"idle".equals(status));
        JsonObject item = new JsonObject();
        item.addProperty("uri", "spotify:track:4uLU6hMCjMI75M1A2tKUQC");
        item.addProperty("entity_type", "track");
        r.add("item", item);
        return r.toString();
    }

    private synchronized void play() {
        if ("playing".equals(status)) return;
        playingSinceNanos = System.nanoTime();
        status = "playing";
        stalled = false;
        if (ws != null) ws.broadcast(playbackState("playback_changed"));
    }

    private synchronized void pause() {
        positionBase.set(position());
        status = "paused";
        stalled = false;
        if (ws != null) ws.broadcast(playbackState("playback_changed"));
    }

    private synchronized void stall() {
        positionBase.set(position());
        stalled = true; // still says playing
    }

    private synchronized void unstall() {
        playingSinceNanos = System.nanoTime();
        stalled = false;
        if (ws != null) ws.broadcast(playbackState("position_sync"));
    }

    private void startControl() throws IOException {
        control = LoopbackWebServer.builder().lifetime(Duration.ofMinutes(10)).idleTimeout(Duration.ofSeconds(30))
                .route("GET", "/pick", r -> {
                    synchronized (this) {
                        storeSession();
                        if (ws != null) {
                            ws.broadcast(authState());
                            ws.broadcast(playbackState("playback_state"));
                        }
                    }
                    return ok();
                })
                .route("GET", "/play", r -> {
                    play();
                    return ok();
                })
                .route("GET", "/pause", r -> {
                    pause();
                    return ok();
                })
                .route("GET", "/stall", r -> {
                    stall();
                    return ok();
                })
                .route("GET", "/unstall", r -> {
                    unstall();
                    return ok();
                })
                .route("GET", "/drop", r -> {
                    if (ws != null) ws.dropConnections();
                    return ok();
                })
                .route("GET", "/crash", r -> {
                    cleanExit = false;
                    out.println("[E] Segmentation fault (fake)");
                    Runtime.getRuntime().halt(128 + 11); // no shutdown hook: ws.* and soloist.pid stay behind
                    return ok();
                })
                .route("GET", "/exit", r -> {
                    int code = Integer.parseInt(r.query().replace("code=", ""));
                    if (code == 1) out.println("[E] network: could not reach Spotify (apresolve: timed out)");
                    finish(code);
                    return ok();
                })
                .route("GET", "/pair", r -> {
                    storeSession();
                    out.println("[I] paired; session stored");
                    finish(0);
                    return ok();
                })
                .route("GET", "/info", r -> {
                    JsonObject o = new JsonObject();
                    o.addProperty("pid", ProcessHandle.current().pid());
                    o.addProperty("helperPid", helperPid);
                    o.addProperty("webSockets", ws == null ? 0 : ws.openWebSockets());
                    o.addProperty("commands", commands.get());
                    o.addProperty("status", status);
                    o.addProperty("position_ms", position());
                    return LoopbackWebServer.Response.json(200, o.toString());
                })
                .start();
        // Whole or not at all: the test reads it as soon as it exists.
        Path tmp = dataDir.resolve(CONTROL_PORT_FILE + ".tmp");
        Files.writeString(tmp, control.port() + "\n");
        Files.move(tmp, dataDir.resolve(CONTROL_PORT_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void storeSession() throws IOException {
        Files.writeString(dataDir.resolve(SESSION_FILE), "opaque session\n");
    }

    private static LoopbackWebServer.Response ok() {
        return LoopbackWebServer.Response.noContent();
    }
}
