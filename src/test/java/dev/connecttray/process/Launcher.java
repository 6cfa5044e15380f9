package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built app image's launcher, run as a user would, with its own config, state and log folders
 * and its network pointed at loopback only. Collects stdout events and stderr; always ends the
 * process (and anything it started) when closed.
 */
final class Launcher implements AutoCloseable {
    static final Path LAUNCHER = Paths.get(System.getProperty("connecttray.appImage", "target/connect-tray"))
            .resolve("bin/connect-tray");

    final Process process;
    final Path home;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stdoutSeen = Collections.synchronizedList(new ArrayList<>());
    private final StringBuffer stderr = new StringBuffer();
    private final BlockingQueue<String> stderrLines = new LinkedBlockingQueue<>();
    private final Thread[] pumps = new Thread[2];

    private Launcher(Process process, Path home) {
        this.process = process;
        this.home = home;
        pumps[0] = pump(process.getInputStream(), line -> {
            stdoutSeen.add(line);
            stdout.add(line);
        }, "stdout");
        pumps[1] = pump(process.getErrorStream(), line -> {
            stderr.append(line).append('\n');
            stderrLines.add(line);
        }, "stderr");
    }

    /**
     * Starts the launcher with {@code args}; {@code home} holds XDG config/state folders.
     * {@code proxyPort} is where apresolve requests go (an HTTP proxy on loopback; a closed port refuses).
     */
    static Launcher start(Path home, int proxyPort, String... args) throws IOException {
        // The real library asks apresolve through the JVM's HTTP proxy: keep every request on loopback.
        return start(home, List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxyPort,
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxyPort), Map.of(), args);
    }

    /**
     * Starts the launcher with {@code jvmOptions} (through JAVA_TOOL_OPTIONS, which the launcher and
     * every child it starts honour) and {@code extraEnv}.
     */
    static Launcher start(Path home, List<String> jvmOptions, Map<String, String> extraEnv, String... args)
            throws IOException {
        return start(List.of(), home, jvmOptions, extraEnv, args);
    }

    /**
     * As above, the launcher run through {@code prefix} (such as {@code setpriv} to run it as
     * another user; the prefix must exec the launcher, so the process is the launcher itself).
     */
    static Launcher start(List<String> prefix, Path home, List<String> jvmOptions, Map<String, String> extraEnv,
                          String... args) throws IOException {
        return start(LAUNCHER, prefix, home, jvmOptions, extraEnv, args);
    }

    /** As above, with the launcher of another copy of the app image. */
    static Launcher start(Path launcher, List<String> prefix, Path home, List<String> jvmOptions,
                          Map<String, String> extraEnv, String... args) throws IOException {
        assertThat(launcher).as("the app image; build it with mvn package").isExecutable();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(launcher.toAbsolutePath().toString());
        Collections.addAll(cmd, args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_STATE_HOME", home.resolve("state").toString());
        env.remove("NOTIFY_SOCKET");
        env.remove("WATCHDOG_USEC");
        env.remove("WATCHDOG_PID");
        env.remove("DISPLAY");
        env.put("JAVA_TOOL_OPTIONS", String.join(" ", jvmOptions));
        env.putAll(extraEnv);
        return new Launcher(pb.start(), home);
    }

    /** Writes a config file under {@code home} and returns its path. */
    static Path writeConfig(Path home, String json) throws IOException {
        Path file = home.resolve("test-config.json");
        Files.createDirectories(home);
        Files.writeString(file, json);
        return file;
    }

    private static Thread pump(InputStream in, java.util.function.Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) sink.accept(line);
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "launcher-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for the next JSON event on stdout that matches, up to {@code timeout}. */
    JsonObject awaitEvent(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no matching event within " + timeout + "; stdout:\n"
                        + String.join("\n", stdoutSeen) + "\nstderr:\n" + stderr);
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (match.test(o)) return o;
        }
    }

    /**
     * Waits for the next log line on stderr (after those already consumed by earlier waits) that
     * contains {@code text}; returns it.
     */
    String awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stderrLines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no log line with \"" + text + "\" within " + timeout + "; stderr:\n" + stderr);
            }
            if (line.contains(text)) return line;
        }
    }

    static Predicate<JsonObject> state(String name) {
        return o -> "state".equals(o.get("type").getAsString()) && name.equals(o.get("state").getAsString());
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to exit and returns its status; fails the test if it does not in time. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + "; stderr:\n" + stderr);
        }
        for (Thread t : pumps) t.join(2000);
        return process.exitValue();
    }

    String stderr() {
        return stderr.toString();
    }

    List<String> stdoutLines() {
        synchronized (stdoutSeen) {
            return new ArrayList<>(stdoutSeen);
        }
    }

    /** Keeps what the process printed under target/process-logs, for review after a failure. */
    void saveOutput(String name) {
        try {
            Path dir = Paths.get("target", "process-logs");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".stdout"), String.join("\n", stdoutLines()) + "\n");
            Files.writeString(dir.resolve(name + ".stderr"), stderr());
        } catch (IOException ignored) {
            // review aid only
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
