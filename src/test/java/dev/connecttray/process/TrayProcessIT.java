package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.FakeSpotifyMain;
import dev.connecttray.tray.XDesktop;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app image in tray mode on a real X server with a real tray host, against the fake Spotify:
 * the icon's pixels say connected (green) and, after the fake drops the connection, retrying
 * (amber); the menu, driven with xdotool, reconnects and quits. Screenshots go to
 * {@code target/tray-screenshots/} for review.
 */
class TrayProcessIT {
    private static final Path AGENT = Paths.get("target", "fake-spotify-agent.jar");
    private static final Path SHOTS = Paths.get("target", "tray-screenshots");
    /** trayer sits at the top right of the 1024×768 screen; a single icon lands in this box. */
    private static final int AREA_X = 900;
    private static final int AREA_W = 124;
    private static final int AREA_H = 40;

    @TempDir
    Path home;
    private FakeSpotify fake;
    private XDesktop desktop;
    private Launcher app;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSpotify.start();
        desktop = XDesktop.start(Paths.get("target", "tray-it"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) app.close();
        if (desktop != null) desktop.close();
        if (fake != null) fake.close();
    }

    private enum Colour { GREEN, AMBER, NONE }

    /** The colour most of the tray area's coloured pixels have. */
    private static Colour trayColour(Path screenshot) throws IOException {
        BufferedImage img = ImageIO.read(screenshot.toFile());
        int green = 0;
        int amber = 0;
        float[] hsb = new float[3];
        for (int y = 0; y < AREA_H; y++) {
            for (int x = AREA_X; x < AREA_X + AREA_W; x++) {
                int rgb = img.getRGB(x, y);
                Color.RGBtoHSB((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, hsb);
                if (hsb[1] < 0.4f || hsb[2] < 0.3f) continue;
                float hue = hsb[0] * 360;
                if (hue >= 90 && hue <= 150) green++;
                if (hue >= 25 && hue <= 55) amber++;
            }
        }
        if (green > 20 && green > 2 * amber) return Colour.GREEN;
        if (amber > 20 && amber > 2 * green) return Colour.AMBER;
        return Colour.NONE;
    }

    /** Takes screenshots until the tray shows {@code wanted}; returns the last one. */
    private Path awaitTray(Colour wanted, String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = 0;
        while (true) {
            Path shot = desktop.screenshot(SHOTS.resolve(name + "-" + (n++ % 2) + ".png"));
            Colour seen = trayColour(shot);
            if (seen == wanted) {
                Files.move(shot, SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return SHOTS.resolve(name + ".png");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tray icon is " + seen + ", not " + wanted + ", after " + timeout
                        + " (see " + shot + "); stderr:\n" + app.stderr());
            }
        }
    }

    /** Opens the menu with a click on the icon and picks the entry {@code downs} steps down with the keyboard. */
    private void pick(int downs, String expectedLog) throws Exception {
        pickFromTray(desktop, app, downs, expectedLog);
    }

    /**
     * Opens {@code app}'s tray menu with a click on its icon (trayer's strip, top right) and picks the
     * entry {@code downs} steps down with the keyboard, until {@code expectedLog} is logged (3 tries).
     */
    static void pickFromTray(XDesktop desktop, Launcher app, int downs, String expectedLog) throws Exception {
        for (int tries = 1; ; tries++) {
            desktop.xdotool("mousemove", Integer.toString(1010), Integer.toString(15), "click", "1");
            // The menu is another process's window: give it a moment to map before typing into it.
            Thread.sleep(800);
            List<String> keys = new ArrayList<>(List.of("key", "--delay", "100"));
            for (int i = 0; i < downs; i++) keys.add("Down");
            keys.add("Return");
            desktop.xdotool(keys.toArray(String[]::new));
            try {
                app.awaitLog(expectedLog, Duration.ofSeconds(3));
                return;
            } catch (AssertionError notYet) {
                desktop.xdotool("key", "Escape");
                if (tries == 3) throw notYet;
            }
        }
    }

    /** The unprivileged user the scenario runs as when the tests run as root (created if missing). */
    private static final String TEST_USER = "connect-tray-test";

    @Test
    void theIconShowsTheStateAndTheMenuReconnectsAndQuits() throws Exception {
        trayScenario(List.of(), "current-user");
    }

    /**
     * dorkbox picks another backend for root (Swing) than for a normal user (GTK or AppIndicator),
     * and users are not root: when the tests run as root, the scenario runs again as a normal user.
     */
    @Test
    void theSameForAnUnprivilegedUser() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            trayScenario(List.of(), "unprivileged"); // already one
            return;
        }
        String uid = TestUser.ensure(TEST_USER);
        // Its own copy of everything it must read or write: the fake's trust store folder is root's
        // only, and the build folder may sit where other users cannot go (such as /root).
        Files.copy(fake.tls().trustStore(), home.resolve("trust.p12"));
        Files.copy(AGENT, home.resolve("fake-spotify-agent.jar"));
        run("cp", "-a", Launcher.LAUNCHER.toAbsolutePath().getParent().getParent().toString(),
                home.resolve("app").toString());
        run("chown", "-R", uid + ":" + uid, home.toString());
        run("chmod", "755", home.toString());
        trayScenario(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"), "unprivileged");
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
    }

    @Test
    void withoutATrayHostTheStatusWindowOpensInstead() throws Exception {
        Path config = Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                  "retry": { "initialDelay": "1m", "maxDelay": "5m" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """);
        Files.writeString(home.resolve("credentials.json"), "{\"username\":\"fake-user\","
                + "\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
        app = Launcher.start(List.of(), home, FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake")),
                Map.of("DISPLAY", desktop.display(), "NO_AT_BRIDGE", "1",
                        "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus"),
                "--config", config.toString());
        app.awaitLog("No tray host on this display; showing the status window instead", Duration.ofSeconds(60));
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        assertThat(XDesktop.within(Duration.ofSeconds(30), () -> desktop.windowNamed("Connect Tray")))
                .as("a window titled Connect Tray is mapped").isTrue();
        desktop.screenshot(SHOTS.resolve("no-tray-host-window.png"));
        app.process.toHandle().destroy();
        assertThat(app.awaitExit(Duration.ofSeconds(20))).isZero();
        app.saveOutput("tray-no-host");
    }

    private void trayScenario(List<String> prefix, String name) throws Exception {
        desktop.startTrayHost();
        Files.writeString(home.resolve("credentials.json"), "{\"username\":\"fake-user\","
                + "\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
        Path config = Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "deviceName": "Connect Tray (tray test)",
                  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                  "retry": { "initialDelay": "1m", "maxDelay": "5m", "jitter": 0.0, "attemptTimeout": "10s" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """);
        boolean asOtherUser = !prefix.isEmpty();
        Path agent = asOtherUser ? home.resolve("fake-spotify-agent.jar") : AGENT;
        List<String> options = new ArrayList<>(FakeSpotifyMain.launcherOptions(fake, agent, home.resolve("fake")));
        if (asOtherUser) {
            options.replaceAll(o -> o.startsWith("-Djavax.net.ssl.trustStore=")
                    ? "-Djavax.net.ssl.trustStore=" + home.resolve("trust.p12") : o);
            run("chown", "-R", "--reference=" + home, home.toString());
        }
        long launched = System.nanoTime();
        Path launcher = asOtherUser ? home.resolve("app/bin/connect-tray") : Launcher.LAUNCHER;
        app = Launcher.start(launcher, prefix, home, options, Map.of("DISPLAY", desktop.display(), "NO_AT_BRIDGE", "1",
                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus"), "--config", config.toString());

        app.awaitLog("Tray icon up", Duration.ofSeconds(60));
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        awaitTray(Colour.GREEN, name + "-1-connected", Duration.ofSeconds(20));
        figure(name + ": launch -> green tray icon (connected, pixel poll): "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched) + " ms");

        // "Show status…" opens the window at once, and the app then idles: the tray library and
        // JavaFX once each ran a GTK main loop, the window never came and both loops spun at full CPU.
        pick(2, "Tray menu: show status");
        String window = awaitStatusWindow(Duration.ofSeconds(5));
        assertThat(desktop.windowClass(window)).as("the window's WM_CLASS names the app, for the desktop's "
                + "grouping and StartupWMClass").contains("\"connect-tray\"").doesNotContain("\"java\"");
        double cpu = cpuShareOfOneCore(app.process.toHandle().pid(), Duration.ofSeconds(10));
        figure(name + ": CPU of the tray process over 10 s with the status window open: "
                + String.format(java.util.Locale.ROOT, "%.1f", cpu * 100) + " % of a core");
        assertThat(cpu).as("the tray process's CPU over 10 s with the window open, in cores").isLessThan(0.05);
        Path shot = desktop.screenshot(SHOTS.resolve(name + "-status-window.png"));
        assertThat(darkPixels(shot, desktop.geometry(window))).as("text drawn in the window (see %s)", shot)
                .isGreaterThan(500);
        assertThat(threadNames(app.process.toHandle().pid())).as("the tray library runs no GTK main loop of its own "
                + "(JavaFX's is the one)").isNotEmpty().noneMatch(t -> t.startsWith("GTK Native"));
        assertThat(app.stderr()).as("nothing thrown on any thread").doesNotContain("Exception in thread \"")
                .doesNotContain("Uncaught exception in thread");

        // The fake drops the session and refuses new ones: retrying, amber.
        fake.accessPoint().refuseConnections();
        fake.accessPoint().dropAllConnections();
        app.awaitLog("Retrying in", Duration.ofSeconds(30));
        awaitTray(Colour.AMBER, name + "-2-retrying", Duration.ofSeconds(20));

        // Reconnect now, from the menu: the fake takes connections again and the icon turns green.
        fake.accessPoint().acceptConnections();
        pick(1, "Tray menu: reconnect");
        app.awaitLog("Connected as fake-user", Duration.ofSeconds(60));
        awaitTray(Colour.GREEN, name + "-3-reconnected", Duration.ofSeconds(20));

        // Quit, the last entry: status line, Reconnect, Show status, Open log folder, Quit (no "Start
        // at login": this image is not an installed one).
        pick(4, "Tray menu: quit");
        assertThat(app.awaitExit(Duration.ofSeconds(20))).isZero();
        app.saveOutput("tray-" + name);
    }

    /**
     * The status window: a mapped window titled Connect Tray, wider than a tray icon (GtkStatusIcon's
     * own window has the same title), within {@code timeout}; its X window id.
     */
    private String awaitStatusWindow(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String id : desktop.windowsNamed("Connect Tray")) {
                if (desktop.geometry(id)[2] >= 300) return id;
            }
            if (System.nanoTime() > deadline) {
                desktop.screenshot(SHOTS.resolve("no-status-window.png"));
                throw new AssertionError("no status window within " + timeout + " after \"Show status…\" (see "
                        + SHOTS.resolve("no-status-window.png") + "); stderr:\n" + app.stderr());
            }
            Thread.sleep(100); // another process's window: nothing to wait on but polling
        }
    }

    /**
     * The CPU time process {@code pid} (all its threads, not its children: the receiver is a child)
     * spends over {@code span}, as a share of one core, from /proc/PID/stat's utime + stime.
     */
    private static double cpuShareOfOneCore(long pid, Duration span) throws IOException, InterruptedException {
        long before = cpuTicks(pid);
        long start = System.nanoTime();
        Thread.sleep(span.toMillis()); // the measurement is the span itself
        long ticks = cpuTicks(pid) - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        return ticks / (double) CLOCK_TICKS / seconds;
    }

    /** How many pixels in the {x, y, width, height} area of a screenshot are dark, as text on the window's light background is. */
    private static int darkPixels(Path screenshot, int[] area) throws IOException {
        BufferedImage img = ImageIO.read(screenshot.toFile());
        int dark = 0;
        for (int y = Math.max(0, area[1]); y < Math.min(img.getHeight(), area[1] + area[3]); y++) {
            for (int x = Math.max(0, area[0]); x < Math.min(img.getWidth(), area[0] + area[2]); x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 3 * 100) dark++;
            }
        }
        return dark;
    }

    /** The names of a process's threads as the kernel has them (Java's names, cut to 15 bytes). */
    private static List<String> threadNames(long pid) throws IOException {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    names.add(Files.readString(task.resolve("comm")).trim());
                } catch (java.nio.file.NoSuchFileException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return names;
    }

    /** Linux's USER_HZ, the unit of /proc/PID/stat's times: 100 on every architecture Java runs on. */
    private static final int CLOCK_TICKS = 100;

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        // After the command name in parentheses: field 3 (state) onwards; utime and stime are fields 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static void figure(String line) throws IOException {
        Path file = Paths.get("target", "tray-figures.txt");
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(line);
    }
}
