package dev.connecttray.tray;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start at login on Linux and other freedesktop.org sessions: a desktop entry in the user's
 * autostart folder (the XDG Autostart spec), {@code $XDG_CONFIG_HOME/autostart/connect-tray.desktop}.
 */
public final class XdgAutostart implements Autostart {
    private static final Logger log = LoggerFactory.getLogger(XdgAutostart.class);

    static final String FILE_NAME = "connect-tray.desktop";
    private static final String ICON_NAME = "connect-tray";

    private final Path file;
    private final Path launcher;
    private final String icon;

    /**
     * @param configHome the user's config folder ({@code $XDG_CONFIG_HOME}, else {@code ~/.config})
     * @param launcher   what the session starts
     * @param icon       an icon file's absolute path, or an icon theme name
     */
    public XdgAutostart(Path configHome, Path launcher, String icon) {
        this.file = configHome.resolve("autostart").resolve(FILE_NAME);
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.icon = Objects.requireNonNull(icon, "icon");
        // Checked now rather than at the first toggle: a path the entry cannot carry is a packaging bug.
        execValue(launcher);
    }

    /**
     * For {@code env}'s config folder; the icon is the app image's own ({@code lib/connect-tray.png}
     * next to {@code bin/}) when there is one.
     */
    static XdgAutostart forEnvironment(Map<String, String> env, Path home, Path launcher) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // The spec: a relative or empty XDG_CONFIG_HOME is invalid and ignored.
        Path configHome = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return new XdgAutostart(configHome, launcher,
                Autostart.appImageIcon(launcher).map(Path::toString).orElse(ICON_NAME));
    }

    @Override
    public boolean isEnabled() {
        if (!Files.isRegularFile(file)) return false;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The session cannot read it either.
            log.debug("Cannot read {}: {}; taking start at login as off", file, e.toString());
            return false;
        }
        return !hidden(lines);
    }

    @Override
    public void setEnabled(boolean enabled) throws IOException {
        if (!enabled) {
            Files.deleteIfExists(file);
            return;
        }
        Path folder = file.getParent();
        Files.createDirectories(folder);
        AtomicFiles.write(file, desktopEntry().getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
    }

    Path file() {
        return file;
    }

    /** The status window's WM_CLASS (set in {@code FxPlatform}), so that desktops group it with this entry. */
    static final String WM_CLASS = "connect-tray";

    /** The entry's text. */
    String desktopEntry() {
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Connect Tray\n"
                + "Comment=Spotify Connect receiver that stays connected\n"
                + "Exec=" + execValue(launcher) + "\n"
                + "Icon=" + escapeString(icon) + "\n"
                + "Terminal=false\n"
                + "StartupWMClass=" + WM_CLASS + "\n"
                + "X-GNOME-Autostart-enabled=true\n";
    }

    /**
     * The Exec value that runs {@code program}: quoted as a whole, with {@code "`$\} escaped inside
     * the quotes, {@code %} doubled (it starts field codes), then the string escapes of every value
     * applied on top (so one backslash in the path becomes four in the file).
     *
     * @throws IllegalArgumentException if the path holds a control character, which no entry can carry
     */
    static String execValue(Path program) {
        String path = program.toString();
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("The launcher path " + path.replaceAll("\\p{Cntrl}", "?")
                        + " holds a control character, which a desktop entry's Exec line cannot carry");
            }
            if (c == '"' || c == '`' || c == '$' || c == '\\') quoted.append('\\');
            quoted.append(c == '%' ? "%%" : String.valueOf(c));
        }
        return escapeString(quoted.append('"').toString());
    }

    /** A desktop entry string value: a backslash is written as two. */
    private static String escapeString(String value) {
        return value.replace("\\", "\\\\");
    }

    /** Whether the main group says Hidden=true, or GNOME's switch is off: the session skips such an entry. */
    static boolean hidden(List<String> lines) {
        boolean inMain = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inMain = line.equals("[Desktop Entry]");
                continue;
            }
            if (!inMain || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals("Hidden") && value.equals("true")) return true;
            if (key.equals("X-GNOME-Autostart-enabled") && value.equals("false")) return true;
        }
        return false;
    }
}
