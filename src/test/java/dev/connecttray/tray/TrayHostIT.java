package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TrayHost} against a real X server: none on a bare Xvfb, one once trayer (an XEmbed
 * system tray) runs on it, none after trayer is gone. Needs the Debian packages xvfb and trayer.
 */
class TrayHostIT {
    private static final int FIRST_DISPLAY = 90;
    private static final int LAST_DISPLAY = 120;
    private static final Duration STARTUP = Duration.ofSeconds(10);
    private static final Path LOGS = Path.of("target", "trayhost-it");

    private Process xvfb;
    private Process trayer;

    @AfterEach
    void stopProcesses() throws InterruptedException {
        // trayer first: it would otherwise complain about its display going away.
        stop(trayer);
        stop(xvfb);
    }

    @Test
    void aTrayHostIsPresentWhileTrayerRuns() throws Exception {
        Path xvfbProgram = program("Xvfb", "xvfb");
        Path trayerProgram = program("trayer", "trayer");
        Files.createDirectories(LOGS);
        String display = startXvfb(xvfbProgram);
        // Only DISPLAY: no session bus, so the answer comes from the X server alone.
        Map<String, String> env = Map.of("DISPLAY", display);

        assertThat(TrayHost.displayPresent(env)).isTrue();
        assertThat(TrayHost.present(env)).as("a bare X server has no tray").isFalse();

        ProcessBuilder builder = new ProcessBuilder(trayerProgram.toString(), "--edge", "top", "--align", "right",
                "--widthtype", "request", "--height", "32", "--transparent", "false", "--expand", "true")
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("trayer.log").toFile());
        builder.environment().put("DISPLAY", display);
        // GTK must not autolaunch a session bus (or an accessibility bus) that would outlive the test.
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus");
        builder.environment().put("NO_AT_BRIDGE", "1");
        trayer = builder.start();

        assertThat(within(STARTUP, () -> TrayHost.present(env)))
                .as("trayer owns the system tray selection within %s s (see %s)", STARTUP.toSeconds(),
                        LOGS.resolve("trayer.log"))
                .isTrue();

        stop(trayer);
        assertThat(within(STARTUP, () -> !TrayHost.present(env))).as("no tray once trayer is gone").isTrue();
    }

    /** Starts Xvfb on the first free display from :90 to :120 and waits until it accepts connections. */
    private String startXvfb(Path program) throws IOException, InterruptedException {
        for (int n = FIRST_DISPLAY; n <= LAST_DISPLAY; n++) {
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
            String display = ":" + n;
            xvfb = new ProcessBuilder(program.toString(), display, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(LOGS.resolve("xvfb.log").toFile()).start();
            Map<String, String> env = Map.of("DISPLAY", display);
            // Either it comes up, or it exits (another server took the display meanwhile): then the next one.
            if (within(STARTUP, () -> !xvfb.isAlive() || TrayHost.displayPresent(env)) && xvfb.isAlive()) return display;
            stop(xvfb);
            xvfb = null;
        }
        return fail("No free X display from :%d to :%d, or Xvfb does not start (see %s)", FIRST_DISPLAY, LAST_DISPLAY,
                LOGS.resolve("xvfb.log"));
    }

    /** Polls {@code condition} until it holds or {@code limit} has passed; whether it held. */
    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (Instant.now().isAfter(end)) return false;
            Thread.sleep(100);
        }
    }

    /** The program on PATH; fails, naming the Debian package, when it is missing. */
    private static Path program(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return fail("%s is not installed: install the Debian package %s (apt-get install %s)", name, debianPackage,
                debianPackage);
    }

    /** Ends the process we started, politely first. */
    private static void stop(Process process) throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
