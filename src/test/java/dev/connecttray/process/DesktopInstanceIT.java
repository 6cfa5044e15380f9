package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.FakeSpotifyMain;
import dev.connecttray.supervisor.InstanceLock;
import dev.connecttray.tray.XDesktop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app image started from a desktop (a real X server with openbox as the window manager):
 * without a tray host, closing the status window quits with Quit's status; a second launch brings
 * the running instance's window forward and exits 0, in tray mode too; a start-up error shows a
 * window and, once it is closed, exits with the status it always had. Nothing here reaches the
 * network: the config names a credentials file that does not exist, so the receiver fails at once
 * (Failed, exit 78 on Quit). Screenshots go to {@code target/desktop-instance-screenshots/}.
 */
class DesktopInstanceIT {
    private static final Path SHOTS = Paths.get("target", "desktop-instance-screenshots");
    private static final String TITLE = "Connect Tray";
    private static final Path AGENT = Paths.get("target", "fake-spotify-agent.jar");

    @TempDir
    Path home;
    private XDesktop desktop;
    private Process windowManager;
    private Launcher first;
    private Launcher second;

    @BeforeEach
    void start() throws Exception {
        desktop = XDesktop.start(Paths.get("target", "desktop-instance-it"));
        ProcessBuilder wm = new ProcessBuilder("openbox", "--sm-disable").redirectErrorStream(true)
                .redirectOutput(Paths.get("target", "desktop-instance-it", "openbox.log").toFile());
        wm.environment().putAll(env());
        windowManager = wm.start();
        // A window manager that runs names its window in this root property (EWMH).
        assertThat(XDesktop.within(XDesktop.STARTUP, () -> outputOf("xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
                .contains("window id"))).as("openbox manages the screen").isTrue();
    }

    @AfterEach
    void stop(TestInfo test) throws InterruptedException {
        String name = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
        if (second != null) {
            second.close();
            second.saveOutput("desktop-" + name + "-second");
        }
        if (first != null) {
            first.close();
            first.saveOutput("desktop-" + name + "-first");
        }
        if (windowManager != null) {
            windowManager.destroy();
            windowManager.waitFor(5, TimeUnit.SECONDS);
        }
        if (desktop != null) desktop.close();
    }

    private Map<String, String> env() {
        return Map.of("DISPLAY", desktop.display(), "NO_AT_BRIDGE", "1",
                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus");
    }

    /** A config whose receiver fails at once, without the network: Failed, and Quit exits 78. */
    private Path failingConfig() throws IOException {
        return Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "auth": { "mode": "stored", "credentialsFile": "no-such-credentials.json" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """);
    }

    private Launcher launch(String... args) throws IOException {
        // A closed port for any HTTP(S) the JVM would make: nothing leaves the machine.
        return Launcher.start(List.of(), home, List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9"), env(), args);
    }

    private Path stateDir() {
        return home.resolve("state").resolve("connect-tray");
    }

    /** The id of the mapped window titled Connect Tray. */
    private String window() throws Exception {
        assertThat(XDesktop.within(Duration.ofSeconds(30), () -> desktop.windowNamed(TITLE)))
                .as("a window titled %s is mapped", TITLE).isTrue();
        String out = output("xdotool", "search", "--onlyvisible", "--name", "^" + TITLE + "$").strip();
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /**
     * A screenshot for review once the window shows its content: mapped is not yet drawn (and
     * openbox animates a window coming back from the task bar), so wait until the middle of the
     * window holds some text, up to 10 s.
     */
    private void screenshotOnceDrawn(String window, String name) throws Exception {
        desktop.xdotool("windowactivate", "--sync", window);
        Map<String, Integer> g = new java.util.HashMap<>();
        for (String line : output("xdotool", "getwindowgeometry", "--shell", window).split("\n")) {
            String[] kv = line.split("=");
            if (kv.length == 2 && kv[1].strip().matches("\\d+")) g.put(kv[0], Integer.parseInt(kv[1].strip()));
        }
        Path shot = SHOTS.resolve(name);
        XDesktop.within(Duration.ofSeconds(10), () -> {
            try {
                java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(desktop.screenshot(shot).toFile());
                java.util.Set<Integer> colours = new java.util.HashSet<>();
                int x0 = g.getOrDefault("X", 0);
                int y0 = g.getOrDefault("Y", 0);
                for (int y = y0; y < Math.min(img.getHeight(), y0 + g.getOrDefault("HEIGHT", 0)); y += 3) {
                    for (int x = x0; x < Math.min(img.getWidth(), x0 + g.getOrDefault("WIDTH", 0)); x += 3) {
                        colours.add(img.getRGB(x, y));
                    }
                }
                return colours.size() > 8;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private void keyInto(String window, String key) throws Exception {
        desktop.xdotool("windowactivate", "--sync", window);
        desktop.xdotool("key", "--clearmodifiers", key);
    }

    @Test
    void withoutATrayClosingTheWindowQuitsWithQuitsStatusAndSaysWhy() throws Exception {
        first = launch("--config", failingConfig().toString());
        first.awaitLog("No tray host on this display", Duration.ofSeconds(60));
        first.awaitLog("Failed: ", Duration.ofSeconds(60));
        String window = window();
        screenshotOnceDrawn(window, "no-tray-window.png");

        // The title bar's close, through the window manager (WM_DELETE_WINDOW).
        keyInto(window, "alt+F4");
        first.awaitLog("The status window was closed; with no tray on this desktop that quits Connect Tray",
                Duration.ofSeconds(10));
        assertThat(first.awaitExit(Duration.ofSeconds(30))).as("Quit's status in Failed: the failure's").isEqualTo(78);
        assertThat(Files.readString(stateDir().resolve("logs").resolve("connect-tray.log")))
                .contains("with no tray on this desktop that quits Connect Tray");
    }

    /**
     * "Open config folder" on a desktop without a file manager: xdg-open exits 3 (a stand-in on
     * PATH, as it does on a bare X server); the log says so with the status, a notification (a
     * stand-in notify-send that keeps what it is asked to show) says where the folder is, and the
     * folder got the example config, the user's config untouched.
     */
    @Test
    void openConfigFolderWithoutAFileManagerSaysWhereTheFolderIs() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path notified = home.resolve("notified.txt");
        script(bin.resolve("xdg-open"), "exit 3");
        script(bin.resolve("notify-send"), "printf '%s\\n' \"$@\" >> '" + notified + "'");
        Path config = failingConfig();
        String before = Files.readString(config);
        first = Launcher.start(List.of(), home, List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9"),
                Map.of("DISPLAY", desktop.display(), "NO_AT_BRIDGE", "1",
                        "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus",
                        "PATH", bin + ":" + System.getenv("PATH")), "--config", config.toString());
        first.awaitLog("Failed: ", Duration.ofSeconds(60));
        keyInto(window(), "alt+o");

        first.awaitLog("Wrote the example config " + home.resolve("config.example.json"), Duration.ofSeconds(10));
        String failure = first.awaitLog("Could not open the folder " + home, Duration.ofSeconds(20));
        assertThat(failure).contains("xdg-open exited with status 3");
        assertThat(XDesktop.within(Duration.ofSeconds(10), () -> Files.exists(notified))).isTrue();
        assertThat(XDesktop.within(Duration.ofSeconds(5), () -> read(notified).contains("The config folder is " + home)))
                .as(read(notified)).isTrue();
        assertThat(read(notified)).contains("Could not open the config folder");
        assertThat(home.resolve("config.example.json")).exists();
        assertThat(home.resolve("config.example.txt")).exists();
        assertThat(config).hasContent(before);
        assertThat(first.process.isAlive()).isTrue();

        // Without a notification service the window is what the user sees: it says so, and holds the
        // folder's path selected, to copy. Ctrl+C in the window puts exactly the path on the clipboard.
        String window = window();
        assertThat(XDesktop.within(Duration.ofSeconds(10), () -> {
            try {
                keyInto(window, "ctrl+c");
                return home.toString().equals(clipboard());
            } catch (Exception e) {
                return false;
            }
        })).as("the window holds the folder's path, selected: Ctrl+C copies it").isTrue();
        screenshotOnceDrawn(window, "config-folder-did-not-open.png");
    }

    /**
     * The tray's "Open log folder" on a desktop with a tray but no file manager and no notification
     * service (openbox and trayer): the status window comes forward and says where the folder is,
     * its path selected to copy.
     */
    @Test
    void inTrayModeALogFolderThatDidNotOpenBringsTheWindowWithItsPath() throws Exception {
        desktop.startTrayHost();
        Path bin = Files.createDirectories(home.resolve("bin"));
        script(bin.resolve("xdg-open"), "exit 3");
        first = Launcher.start(List.of(), home, List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9"), Map.of("DISPLAY", desktop.display(),
                "NO_AT_BRIDGE", "1", "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus",
                "PATH", bin + ":" + System.getenv("PATH")), "--config", failingConfig().toString());
        first.awaitLog("Tray icon up", Duration.ofSeconds(60));
        first.awaitLog("Failed: ", Duration.ofSeconds(60));
        assertThat(desktop.windowNamed(TITLE)).as("tray mode opens no window by itself").isFalse();

        // The menu in Failed: status line, Reconnect, Show status, Open log folder, Quit.
        pickFromTray(3, "Tray menu: open log folder");
        first.awaitLog("Could not open the folder " + stateDir().resolve("logs"), Duration.ofSeconds(20));
        String window = window();
        assertThat(XDesktop.within(Duration.ofSeconds(10), () -> {
            try {
                keyInto(window, "ctrl+c");
                return stateDir().resolve("logs").toString().equals(clipboard());
            } catch (Exception e) {
                return false;
            }
        })).as("the window came forward holding the log folder's path, selected: Ctrl+C copies it").isTrue();
        screenshotOnceDrawn(window, "tray-log-folder-did-not-open.png");
        assertThat(first.process.isAlive()).isTrue();
    }

    /** Opens the tray's menu (trayer, top right) with a click and picks the entry {@code downs} steps down. */
    private void pickFromTray(int downs, String expectedLog) throws Exception {
        TrayProcessIT.pickFromTray(desktop, first, downs, expectedLog);
    }

    /** The X clipboard's text, as another program on the desktop reads it. */
    private String clipboard() throws IOException, InterruptedException {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-Djava.awt.headless=false", "-cp",
                System.getProperty("java.class.path"), ClipboardText.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", desktop.display());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** Prints the X clipboard's text (a program of its own: the test's JVM may be headless). */
    public static final class ClipboardText {
        public static void main(String[] args) throws Exception {
            var clipboard = java.awt.Toolkit.getDefaultToolkit().getSystemClipboard();
            System.out.print(clipboard.getData(java.awt.datatransfer.DataFlavor.stringFlavor));
            System.exit(0);
        }
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aSecondLaunchBringsTheWindowBackAndExits0AndOnlyOneRuns() throws Exception {
        Path config = failingConfig();
        // Alt+O below must not reach a real file manager.
        Path bin = Files.createDirectories(home.resolve("bin"));
        script(bin.resolve("xdg-open"), "exit 3");
        first = Launcher.start(List.of(), home, List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9",
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9"), Map.of("DISPLAY", desktop.display(),
                "NO_AT_BRIDGE", "1", "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-tray-test-bus",
                "PATH", bin + ":" + System.getenv("PATH")), "--config", config.toString());
        first.awaitLog("Failed: ", Duration.ofSeconds(60));
        String window = window();
        desktop.xdotool("windowminimize", "--sync", window);
        assertThat(XDesktop.within(Duration.ofSeconds(10), () -> !desktop.windowNamed(TITLE)))
                .as("minimized: no longer mapped").isTrue();

        second = launch("--config", config.toString());
        assertThat(second.awaitExit(Duration.ofSeconds(60))).as(second.stderr()).isZero();
        assertThat(second.stdoutLines()).containsExactly("Connect Tray is already running (pid " + first.process.pid()
                + "); its status window is now in front");
        first.awaitLog("Another launch asked this one to show; answered shown", Duration.ofSeconds(10));
        String back = window();
        assertThat(back).isEqualTo(window);
        screenshotOnceDrawn(back, "brought-forward.png");
        assertThat(first.process.isAlive()).isTrue();
        assertThat(InstanceLock.runningPid(stateDir())).as("only the first one runs").hasValue(first.process.pid());

        // Escape, easily hit by accident, neither hides the only window nor quits: a key pressed after
        // it (Alt+O, which writes the example config) is carried out, and the window is still there.
        keyInto(back, "Escape");
        keyInto(back, "alt+o");
        first.awaitLog("Wrote the example config", Duration.ofSeconds(10));
        assertThat(first.process.isAlive()).isTrue();
        assertThat(desktop.windowNamed(TITLE)).as("still mapped after Escape").isTrue();
        assertThat(Files.readString(stateDir().resolve("logs").resolve("connect-tray.log")))
                .doesNotContain("that quits Connect Tray");

        // The title bar's close closes it, and with it the app.
        keyInto(back, "alt+F4");
        first.awaitLog("with no tray on this desktop that quits Connect Tray", Duration.ofSeconds(10));
        assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
        assertThat(ControlSocket.of(stateDir())).as("the control socket is removed on the way out").doesNotExist();
    }

    @Test
    void inTrayModeASecondLaunchOpensTheStatusWindow() throws Exception {
        desktop.startTrayHost();
        Path config = failingConfig();
        first = launch("--config", config.toString());
        first.awaitLog("Tray icon up", Duration.ofSeconds(60));
        first.awaitLog("Failed: ", Duration.ofSeconds(60));
        assertThat(desktop.windowNamed(TITLE)).as("tray mode opens no window by itself").isFalse();

        second = launch("--config", config.toString());
        assertThat(second.awaitExit(Duration.ofSeconds(60))).as(second.stderr()).isZero();
        screenshotOnceDrawn(window(), "tray-mode-brought-forward.png");
        assertThat(first.process.isAlive()).isTrue();

        first.process.toHandle().destroy();
        assertThat(first.awaitExit(Duration.ofSeconds(30))).as("SIGTERM in Failed: the failure's status").isEqualTo(78);
    }

    @Test
    void anInvalidConfigIsShownInAWindowAndStillExits78() throws Exception {
        Path config = Launcher.writeConfig(home, "{ \"version\": 1, \"retry\": { \"jitter\": 3 } }\n");
        first = launch("--config", config.toString());
        first.awaitLog("retry.jitter", Duration.ofSeconds(60));
        String window = window();
        screenshotOnceDrawn(window, "invalid-config.png");
        assertThat(first.process.isAlive()).as("it waits for the user to read it").isTrue();

        keyInto(window, "Return"); // Close is the default button
        assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(78);
        assertThat(first.stderr()).contains("The start-up error window was closed");
    }

    /** As root without the capabilities that ignore file permissions, on a state folder another user owns. */
    @Test
    void aStateFolderThatCannotBeWrittenIsShownInAWindowAndStillExits75() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "dropping capabilities and giving a folder away need root");
        Path state = Files.createDirectories(stateDir());
        Process chown = new ProcessBuilder("chown", "-R", "nobody", home.resolve("state").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(chown.waitFor() == 0, "no user nobody");
        first = Launcher.start(Launcher.LAUNCHER, List.of("setpriv", "--bounding-set",
                "-dac_override,-dac_read_search,-fowner,-chown", "--"), home, List.of(), env(),
                "--config", failingConfig().toString());
        first.awaitLog("Cannot use the state folder " + state + ": " + state.resolve("instance.lock")
                + ": Permission denied", Duration.ofSeconds(60));
        String window = window();
        screenshotOnceDrawn(window, "state-folder-permission-denied.png");
        assertThat(first.process.isAlive()).as("it waits for the user to read it").isTrue();
        keyInto(window, "Return");
        assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(75);
    }

    @Test
    void aDesktopLaunchWhileTheServiceRunsShowsWhyAndStillExits75() throws Exception {
        // Headless ends on Failed: this one keeps retrying, against the fake Spotify that refuses.
        try (FakeSpotify fake = FakeSpotify.start()) {
            fake.accessPoint().refuseConnections();
            Files.writeString(home.resolve("credentials.json"), "{\"username\":\"fake-user\","
                    + "\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
            Path config = Launcher.writeConfig(home, """
                    {
                      "version": 1,
                      "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                      "retry": { "initialDelay": "1m", "maxDelay": "5m" },
                      "audio": { "output": "pipe", "pipe": "audio.pcm" }
                    }
                    """);
            first = Launcher.start(List.of(), home, FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake")),
                    env(), "--headless", "--config", config.toString());
            first.awaitLog("Retrying in", Duration.ofSeconds(60));
            whileTheServiceRuns(config);
        }
    }

    private void whileTheServiceRuns(Path config) throws Exception {
        second = launch("--config", config.toString());
        second.awaitLog("runs without a window", Duration.ofSeconds(60));
        String window = window();
        screenshotOnceDrawn(window, "already-running-service.png");
        assertThat(second.process.isAlive()).isTrue();
        keyInto(window, "Escape");
        assertThat(second.awaitExit(Duration.ofSeconds(30))).isEqualTo(75);
        assertThat(second.stderr()).contains("pid " + first.process.pid());
        assertThat(first.process.isAlive()).as("the service goes on").isTrue();
    }

    private static final class ControlSocket {
        static Path of(Path stateDir) {
            return stateDir.resolve("control.sock");
        }
    }

    private String outputOf(String... cmd) {
        try {
            return output(cmd);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private String output(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
