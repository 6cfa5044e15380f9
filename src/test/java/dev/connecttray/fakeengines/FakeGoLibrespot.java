package dev.connecttray.fakeengines;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fake {@code go-librespot} (v0.9.0 as {@code reference/engines.md} describes it), run as a real
 * process through a shell script ({@link FakeGoLibrespotScript}).
 *
 * <p>What it does as the real one does: {@code --config_dir DIR} (anything else: exit 1 with
 * "failed loading config"); the {@code lockfile} in DIR, locked while it runs (a second one prints
 * "could not start: go-librespot is already running (lockfile: …)" and exits 1); {@code config.yml}
 * read as YAML (a malformed one: "failed loading config", exit 1); logrus's text format on stderr,
 * "running go-librespot v0.9.0" and "api server listening on 127.0.0.1:PORT" when
 * {@code server.enabled}; {@code GET /}, {@code GET /status} (200 with the session's user, 204
 * without one) and the {@code /events} WebSocket with {@code {"type","data"}} frames; apresolve
 * fetched at start in Zeroconf mode, the network down there being fatal ("failed getting endpoints
 * from resolver: failed fetching apresolve URL…", exit 1); the Zeroconf port bound (on loopback, so
 * a test exposes nothing), a taken one fatal; credentials a phone hands over kept in
 * {@code state.json} when {@code persist_credentials}; exit 0 after SIGTERM or SIGINT.
 *
 * <p>What a test scripts, with files in {@code DIR/fake-control/} read every 50 ms:
 * {@code network-down} (while it exists, apresolve fails at start), {@code pick} (a phone picks the
 * device; the file holds the user name; consumed), {@code silent} (the API stops answering and
 * events stop; consumed), {@code crash} (a Go panic, exit 2; consumed), {@code lose-session} (the
 * session is lost and rebuilt from the stored credentials; consumed), {@code drop-ap} (its access
 * point connection breaks and is made again by itself; consumed), {@code old-version} (it
 * behaves as go-librespot before 0.9, whose API port came from {@code server_port}: no API), {@code lifetime} (seconds;
 * default 120: it exits by itself after that, so nothing outlives a failed test).
 */
public final class FakeGoLibrespot {
    static final String VERSION = "v0.9.0";
    static final String CONTROL = "fake-control";
    private static final Gson GSON = new Gson();
    private static final PrintStream LOG = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
            true, StandardCharsets.UTF_8);

    private final Path dir;
    private final Path control;
    private final Map<String, String> config;
    private final Instant deadline;
    private final CountDownLatch silence = new CountDownLatch(1);
    private volatile boolean silent;
    private static volatile boolean debug;
    private volatile String user;
    private LoopbackWebServer api;

    private FakeGoLibrespot(Path dir, Map<String, String> config, Duration lifetime) {
        this.dir = dir;
        this.control = dir.resolve(CONTROL);
        this.config = config;
        this.deadline = Instant.now().plus(lifetime);
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config_dir") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (a.startsWith("--config_dir=")) {
                dir = Path.of(a.substring("--config_dir=".length()));
            } else {
                fatal("failed loading config", "unknown flag: " + a);
            }
        }
        if (dir == null) dir = Path.of(System.getProperty("user.home"), ".config", "go-librespot");
        Files.createDirectories(dir);
        Path lockfile = dir.resolve("lockfile");
        FileChannel lockChannel = FileChannel.open(lockfile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock();
        if (lock == null) {
            LOG.println("could not start: go-librespot is already running (lockfile: " + lockfile + ")");
            System.exit(1);
        }
        Path file = Files.exists(dir.resolve("config.yaml")) ? dir.resolve("config.yaml") : dir.resolve("config.yml");
        Map<String, String> config = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                config = FakeGoLibrespotYaml.parse(Files.readString(file));
            } catch (FakeGoLibrespotYaml.YamlException e) {
                fatal("failed loading config", "failed reading configuration file: " + e.getMessage());
            }
        }
        Duration lifetime = Duration.ofSeconds(120);
        Path lifetimeFile = dir.resolve(CONTROL).resolve("lifetime");
        if (Files.exists(lifetimeFile)) lifetime = Duration.ofSeconds(Long.parseLong(Files.readString(lifetimeFile).strip()));
        new FakeGoLibrespot(dir, config, lifetime).run();
    }

    private void run() throws Exception {
        installSignals();
        String level = config.getOrDefault("log_level", "info");
        debug = level.equals("debug") || level.equals("trace");
        if (!Files.exists(control.resolve("old-version"))) info("running go-librespot " + VERSION);
        user = storedUser();
        // go-librespot before 0.9 took its API port from server_port, and logged no address.
        boolean old = Files.exists(control.resolve("old-version"));
        if (old) info("running go-librespot v0.1.3");
        if (!old && bool("server.enabled")) {
            String address = config.getOrDefault("server.address", "localhost");
            int port = Integer.parseInt(config.getOrDefault("server.port", "0"));
            try {
                api = LoopbackWebServer.builder().port(port).lifetime(Duration.between(Instant.now(), deadline))
                        .idleTimeout(Duration.between(Instant.now(), deadline))
                        .route("GET", "/", r -> {
                            quiet();
                            return LoopbackWebServer.Response.json(200, "{\"playback_ready\":" + (user != null) + "}");
                        })
                        .route("GET", "/status", r -> {
                            quiet();
                            return user == null ? LoopbackWebServer.Response.noContent()
                                    : LoopbackWebServer.Response.json(200, status());
                        })
                        .webSocket("/events", (socket, text) -> { })
                        .start();
            } catch (IOException e) {
                fatal("failed creating api server", "failed starting api listener: listen tcp " + address + ":" + port
                        + ": bind: address already in use");
                return;
            }
            info("api server listening on " + address + ":" + api.port());
        }
        boolean zeroconf = "zeroconf".equals(config.getOrDefault("credentials.type", "zeroconf"));
        if (zeroconf) {
            if (Files.exists(control.resolve("network-down"))) {
                fatal("failed running zeroconf", "failed getting endpoints from resolver: failed fetching apresolve "
                        + "URL: Get \"https://apresolve.spotify.com/?type=accesspoint&type=dealer&type=spclient\": "
                        + "dial tcp: lookup apresolve.spotify.com on 127.0.0.53:53: server misbehaving");
            }
            int zeroconfPort = Integer.parseInt(config.getOrDefault("zeroconf_port", "0"));
            ServerSocket listener = new ServerSocket();
            try {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), zeroconfPort));
            } catch (IOException e) {
                fatal("failed running zeroconf", "failed initializing zeroconf: failed starting zeroconf listener: "
                        + "listen tcp :" + zeroconfPort + ": bind: address already in use");
            }
            info("zeroconf server listening on port " + listener.getLocalPort());
            if (user != null && bool("credentials.zeroconf.persist_credentials")) {
                log("info", "loading previously persisted zeroconf credentials", Map.of("username", obfuscated(user)));
                info("authenticated AP as " + user);
            } else {
                user = null;
            }
        }
        loop();
    }

    private void loop() throws Exception {
        while (Instant.now().isBefore(deadline)) {
            Path pick = control.resolve("pick");
            if (Files.exists(pick)) {
                String name = Files.readString(pick).strip();
                Files.delete(pick);
                picked(name);
            }
            if (consume("silent")) {
                silent = true;
                info("(fake) going silent");
            }
            if (consume("crash")) {
                LOG.println("panic: runtime error: invalid memory address or nil pointer dereference");
                LOG.println("[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x8a1f2c]");
                LOG.println();
                LOG.println("goroutine 42 [running]:");
                LOG.println("main.(*AppPlayer).handlePlayerEvent(0xc0001a2000, 0xc0003b4f00)");
                Runtime.getRuntime().halt(2);
            }
            if (consume("drop-ap") && user != null) {
                log("error", "failed receiving packet", Map.of("error", "read tcp 192.168.1.20:50412->"
                        + "104.199.65.124:4070: read: connection reset by peer"));
                Thread.sleep(300);
                info("authenticated AP as " + user);
            }
            if (consume("lose-session") && user != null) {
                String was = user;
                user = null;
                event("inactive", null);
                log("error", "lost session, tearing down player to start a new one", Map.of());
                Thread.sleep(300);
                user = was;
                log("debug", "restored session after logout", Map.of("username", obfuscated(was)));
                event("active", null);
            }
            Thread.sleep(50);
        }
        info("(fake) lifetime over, exiting");
        Runtime.getRuntime().halt(0);
    }

    private void picked(String name) throws IOException {
        log("info", "accepted zeroconf user", Map.of("username", obfuscated(name)));
        user = name;
        if (bool("credentials.zeroconf.persist_credentials")) {
            JsonObject state = new JsonObject();
            state.addProperty("device_id", "0123456789abcdef0123456789abcdef01234567");
            JsonObject creds = new JsonObject();
            creds.addProperty("username", name);
            creds.addProperty("data", "c3RvcmVkLWJsb2I=");
            state.add("credentials", creds);
            Files.writeString(dir.resolve("state.json"), GSON.toJson(state));
            log("debug", "persisted zeroconf credentials", Map.of("username", obfuscated(name)));
        }
        info("authenticated AP as " + name);
        event("active", null);
        JsonObject meta = new JsonObject();
        meta.addProperty("uri", "spotify:track:4uLU6hMCjMI75M1A2tKUQC");
        meta.addProperty("name", "Test Track");
        event("metadata", meta);
        JsonObject playing = new JsonObject();
        playing.addProperty("uri", "spotify:track:4uLU6hMCjMI75M1A2tKUQC");
        playing.addProperty("play_origin", "go-librespot");
        event("will_play", playing);
        event("playing", playing);
    }

    private String storedUser() {
        try {
            Path state = dir.resolve("state.json");
            if (!Files.exists(state)) return null;
            JsonObject o = GSON.fromJson(Files.readString(state), JsonObject.class);
            if (o == null || !o.has("credentials")) return null;
            JsonObject c = o.getAsJsonObject("credentials");
            return c.has("username") && !c.get("username").getAsString().isEmpty() ? c.get("username").getAsString() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private String status() {
        JsonObject o = new JsonObject();
        o.addProperty("username", user);
        o.addProperty("device_id", "0123456789abcdef0123456789abcdef01234567");
        o.addProperty("device_type", config.getOrDefault("device_type", "computer").toUpperCase(java.util.Locale.ROOT));
        o.addProperty("device_name", config.getOrDefault("device_name", "go-librespot"));
        o.addProperty("play_origin", "go-librespot");
        o.addProperty("stopped", false);
        o.addProperty("paused", false);
        o.addProperty("buffering", false);
        o.addProperty("volume", 100);
        o.addProperty("volume_steps", 100);
        o.addProperty("repeat_context", false);
        o.addProperty("repeat_track", false);
        o.addProperty("shuffle_context", false);
        o.add("track", null);
        return GSON.toJson(o);
    }

    /** A silent engine's API hangs: the request waits until the fake's end. */
    private void quiet() {
        if (!silent) return;
        try {
            silence.await(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void event(String type, JsonObject data) {
        if (api == null || silent) return;
        JsonObject frame = new JsonObject();
        frame.addProperty("type", type);
        frame.add("data", data);
        api.broadcast(GSON.toJson(frame));
    }

    private boolean consume(String name) throws IOException {
        return Files.deleteIfExists(control.resolve(name));
    }

    private boolean bool(String key) {
        return "true".equalsIgnoreCase(config.get(key));
    }

    private static String obfuscated(String user) {
        return user.length() <= 2 ? "**" : user.charAt(0) + "*".repeat(user.length() - 2) + user.charAt(user.length() - 1);
    }

    private static void installSignals() {
        sun.misc.SignalHandler stop = signal -> {
            log("info", "received signal, exiting", Map.of("signal", signal.getName().equals("TERM") ? "terminated"
                    : "interrupt"));
            Runtime.getRuntime().halt(0);
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), stop);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), stop);
    }

    static void info(String msg) {
        log("info", msg, Map.of());
    }

    /** Logs as logrus does and exits 1. */
    static void fatal(String msg, String error) {
        log("fatal", msg, Map.of("error", error));
        Runtime.getRuntime().halt(1);
    }

    /** One line of logrus's text format: {@code time="…" level=… msg="…" key=value…}. */
    static synchronized void log(String level, String msg, Map<String, String> fields) {
        if (level.equals("debug") && !debug) return;
        List<String> keys = new ArrayList<>(fields.keySet());
        java.util.Collections.sort(keys);
        StringBuilder line = new StringBuilder("time=\"")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\" level=").append(level)
                .append(" msg=").append(quote(msg));
        for (String k : keys) line.append(' ').append(k).append('=').append(quote(fields.get(k)));
        LOG.println(line);
    }

    /** logrus quotes a value that holds anything but letters, digits and {@code -._/@^+}. */
    private static String quote(String v) {
        boolean plain = !v.isEmpty() && v.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-._/@^+".indexOf(c) >= 0);
        if (plain) return v;
        StringBuilder q = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') q.append('\\');
            q.append(c == '\n' ? "\\n" : String.valueOf(c));
        }
        return q.append('"').toString();
    }
}
