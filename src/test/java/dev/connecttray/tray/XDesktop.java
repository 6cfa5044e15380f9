package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real X desktop for tests: its own Xvfb on a free display, a tray host (trayer, an XEmbed
 * system tray) on demand, screenshots and input. Everything it starts it ends, by its own
 * handles, on close. Needs the Debian packages xvfb, trayer, xdotool and imagemagick.
 */
public final class XDesktop implements AutoCloseable {
    public static final Duration STARTUP = Duration.ofSeconds(10);

    private final Path logs;
    private final String display;
    private final Process xvfb;
    private Process trayer;

    private XDesktop(Path logs, String display, Process xvfb) {
        this.logs = logs;
        this.display = display;
        this.xvfb = xvfb;
    }

    /**
     * Starts Xvfb on a display it picks itself ({@code -displayfd}: no race with other servers
     * over a free number) and waits until it accepts connections.
     */
    public static XDesktop start(Path logs) throws IOException, InterruptedException {
        Path program = program("Xvfb", "xvfb");
        Files.createDirectories(logs);
        // -noreset: the server must not reset whenever its last client (a probe) disconnects.
        Process xvfb = new ProcessBuilder(program.toString(), "-displayfd", "1", "-screen", "0", "1024x768x24",
                "-nolisten", "tcp", "-noreset").redirectError(logs.resolve("xvfb.log").toFile()).start();
        java.util.concurrent.CompletableFuture<String> number = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(xvfb.getInputStream()))) {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = number.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            line = null;
        }
        if (line == null || !line.trim().matches("\\d+")) {
            stop(xvfb);
            return fail("Xvfb did not report its display within %s s (see %s)", STARTUP.toSeconds(),
                    logs.resolve("xvfb.log"));
        }
        String display = ":" + line.trim();
        Map<String, String> env = Map.of("DISPLAY", display);
        if (!within(STARTUP, () -> TrayHost.displayPresent(env))) {
            stop(xvfb);
            return fail("Xvfb on %s does not accept connections (see %s)", display, logs.resolve("xvfb.log"));
        }
        return new XDesktop(logs, display, xvfb);
    }

    /** The display name, such as ":90". */
    public String display() {
        return display;
    }

    /** Starts trayer at the top right of the screen; returns once it owns the tray selection. */
    public void startTrayHost() throws IOException, InterruptedException {
        Path program = program("trayer", "trayer");
        ProcessBuilder builder = new ProcessBuilder(program.toString(), "--edge", "top", "--align", "right",
                "--widthtype", "request", "--height", "32", "--transparent", "false", "--expand", "true")
                .redirectErrorStream(true).redirectOutput(logs.resolve("trayer.log").toFile());
        builder.environment().put("DISPLAY", display);
        // GTK must not autolaunch a session bus (or an accessibility bus) that would outlive the test.
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus");
        builder.environment().put("NO_AT_BRIDGE", "1");
        trayer = builder.start();
        if (!within(STARTUP, () -> TrayHost.present(Map.of("DISPLAY", display)))) {
            fail("trayer did not own the system tray selection within %s s (see %s)", STARTUP.toSeconds(),
                    logs.resolve("trayer.log"));
        }
    }

    /** Ends trayer. */
    public void stopTrayHost() throws InterruptedException {
        stop(trayer);
        trayer = null;
    }

    /** A PNG of the whole screen. */
    public Path screenshot(Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        run(List.of(program("import", "imagemagick").toString(), "-window", "root", file.toString()));
        return file;
    }

    /** Runs xdotool with {@code args} on this display. */
    public void xdotool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program("xdotool", "xdotool").toString());
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** Whether a window with exactly this title (letters, digits, spaces) is mapped (xdotool search --onlyvisible). */
    public boolean windowNamed(String title) {
        try {
            ProcessBuilder pb = new ProcessBuilder(program("xdotool", "xdotool").toString(), "search", "--onlyvisible",
                    "--name", "^" + title + "$").redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The mapped windows with exactly this title, as {@link #windowNamed}, by X window id; empty when none. */
    public List<String> windowsNamed(String title) throws IOException, InterruptedException {
        String out = output(List.of(program("xdotool", "xdotool").toString(), "search", "--onlyvisible", "--name",
                "^" + title + "$"));
        return out.isBlank() ? List.of() : List.of(out.trim().split("\\s+"));
    }

    /** A window's place and size in pixels, {x, y, width, height} (xwininfo: absolute upper-left corner). */
    public int[] geometry(String window) throws IOException, InterruptedException {
        String out = output(List.of(program("xwininfo", "x11-utils").toString(), "-id", window));
        int[] g = new int[4];
        String[] keys = {"Absolute upper-left X: +(-?\\d+)", "Absolute upper-left Y: +(-?\\d+)", "Width: (\\d+)",
                "Height: (\\d+)"};
        for (int i = 0; i < keys.length; i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(keys[i]).matcher(out);
            if (!m.find()) return fail("xwininfo -id %s said no geometry: %s", window, out);
            g[i] = Integer.parseInt(m.group(1));
        }
        return g;
    }

    /** A window's WM_CLASS as xprop prints it, such as {@code "connect-tray", "connect-tray"}. */
    public String windowClass(String window) throws IOException, InterruptedException {
        return output(List.of(program("xprop", "x11-utils").toString(), "-id", window, "WM_CLASS")).trim();
    }

    /** Runs {@code cmd} on this display; its output, whatever its exit status (xdotool search exits 1 on no match). */
    private String output(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("%s did not finish within 20 s", cmd);
        }
        return out;
    }

    private void run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("commands.log").toFile()));
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("%s did not finish within 20 s", cmd);
        }
        if (p.exitValue() != 0) fail("%s exited %d (see %s)", cmd, p.exitValue(), logs.resolve("commands.log"));
    }

    @Override
    public void close() throws InterruptedException {
        // trayer first: it would otherwise complain about its display going away.
        stop(trayer);
        stop(xvfb);
    }

    /** Polls {@code condition} until it holds or {@code limit} has passed; whether it held. */
    public static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (Instant.now().isAfter(end)) return false;
            Thread.sleep(100); // another process's state: nothing to wait on but polling
        }
    }

    /** The program on PATH; fails, naming the Debian package, when it is missing. */
    static Path program(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return fail("%s is not installed: install the Debian package %s (apt-get install %s)", name, debianPackage,
                debianPackage);
    }

    /** Ends a process we started, politely first. */
    private static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
