package dev.connecttray.tray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * "Start at login": whether this user's session starts Connect Tray, one implementation per OS.
 * It starts the packaged launcher, so it exists only when running from an app image.
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

    /** Where the entry lives, in words for a log line ("~/.config/autostart/connect-tray.desktop"). */
    String location();

    /**
     * The autostart for this OS and user, starting {@code launcher}; empty when {@code launcher} is
     * null, as outside an app image (a {@code java} command line or an IDE is nothing stable to start
     * at every login).
     */
    public static Optional<Autostart> forCurrentOs(Path launcher) {
        if (launcher == null) return Optional.empty();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.startsWith("windows")) return Optional.of(new WindowsAutostart(launcher));
        if (os.startsWith("mac")) return Optional.of(MacAutostart.forUser(home, launcher));
        return Optional.of(XdgAutostart.forEnvironment(System.getenv(), home, launcher));
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
