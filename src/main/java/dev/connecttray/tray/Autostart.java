package dev.connecttray.tray;

import dev.connecttray.os.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * "Start at login": whether this user's session starts Connect Tray, one implementation per OS.
 * It starts the packaged launcher, so it exists only when running from an installed app image.
 */
public interface Autostart {

    /** Whether the session will start Connect Tray at the next login. */
    boolean isEnabled();

    /**
     * Makes the session start Connect Tray at login, or stop doing so.
     *
     * @throws IOException if the entry cannot be written or removed
     */
    void setEnabled(boolean enabled) throws IOException;

    /**
     * The autostart for this OS and user, starting {@code launcher}; empty when {@code launcher} is
     * null, as outside an app image (a {@code java} command line or an IDE is nothing stable to start
     * at every login), and when the image is not an installed one (see {@link #isInstalled}): an
     * entry pointing into a build folder would start whatever that folder holds at the next login,
     * or nothing once it is cleaned.
     */
    public static Optional<Autostart> forCurrentOs(Path launcher) {
        if (launcher == null) return Optional.empty();
        Platform platform = Platform.current();
        Path home = Path.of(System.getProperty("user.home"));
        if (!isInstalled(realPath(launcher), platform, System.getenv(), home)) return Optional.empty();
        if (platform.isWindows()) return Optional.of(new WindowsAutostart(launcher));
        if (platform.isMac()) return Optional.of(MacAutostart.forUser(home, launcher));
        return Optional.of(XdgAutostart.forEnvironment(System.getenv(), home, launcher));
    }

    /**
     * Whether {@code launcher} belongs to an app image that an installer put in place: it lies where
     * the project's installers install ({@code /opt} or {@code /usr} on Linux and other Unixes, as
     * the .deb and .rpm do; {@code /Applications} or {@code ~/Applications} on macOS; Program Files
     * or {@code %LOCALAPPDATA%} on Windows, where the per-user .msi installs), and not inside a
     * Maven build folder (a {@code target} folder beside a {@code pom.xml}), which
     * {@code mvn package} fills and {@code mvn clean} empties. An image unpacked anywhere else is not offered "Start at login"
     * either: nothing says it stays there.
     *
     * @param launcher the launcher's real path (symbolic links resolved)
     * @param platform the operating system
     * @param env      the environment (Windows: where Program Files is)
     * @param home     the user's home folder (macOS: {@code ~/Applications})
     */
    static boolean isInstalled(Path launcher, Platform platform, Map<String, String> env, Path home) {
        Path absolute = launcher.toAbsolutePath().normalize();
        if (insideBuildFolder(absolute)) return false;
        if (platform.isWindows()) {
            String path = windowsForm(launcher.toString());
            return Stream.of(env.get("ProgramFiles"), env.get("ProgramFiles(x86)"), env.get("ProgramW6432"),
                            env.get("LOCALAPPDATA"))
                    .filter(root -> root != null && !root.isBlank())
                    .map(root -> windowsForm(root).endsWith("/") ? windowsForm(root) : windowsForm(root) + "/")
                    .anyMatch(path::startsWith);
        }
        if (platform.isMac()) {
            return absolute.startsWith("/Applications") || absolute.startsWith(home.resolve("Applications"));
        }
        return absolute.startsWith("/opt") || absolute.startsWith("/usr");
    }

    private static boolean insideBuildFolder(Path path) {
        for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
            Path name = dir.getFileName();
            if (name != null && name.toString().equals("target") && dir.getParent() != null
                    && Files.isRegularFile(dir.getParent().resolve("pom.xml"))) {
                return true;
            }
        }
        return false;
    }

    /** A Windows path compared without regard to case or the kind of slash. */
    private static String windowsForm(String path) {
        return path.replace('\\', '/').toLowerCase(Locale.ROOT);
    }

    private static Path realPath(Path launcher) {
        try {
            return launcher.toRealPath();
        } catch (IOException | RuntimeException e) {
            return launcher;
        }
    }

    /** The packaged launcher this process was started from ({@code jpackage.app-path}); empty outside an app image. */
    public static Optional<Path> appLauncher() {
        String path = System.getProperty("jpackage.app-path");
        return path == null || path.isBlank() ? Optional.empty() : Optional.of(Path.of(path));
    }

    /** The app image's own icon, {@code lib/connect-tray.png} next to {@code bin/}, if it is there. */
    public static Optional<Path> appImageIcon(Path launcher) {
        Path bin = launcher.toAbsolutePath().getParent();
        Path image = bin == null ? null : bin.getParent();
        Path png = image == null ? null : image.resolve("lib").resolve("connect-tray.png");
        return png != null && java.nio.file.Files.isRegularFile(png) ? Optional.of(png) : Optional.empty();
    }
}
