package dev.connecttray.tray;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Start at login on macOS: a launchd agent, {@code ~/Library/LaunchAgents/dev.connecttray.plist},
 * that runs the app once when the user logs in (RunAtLoad) and does not restart it after Quit.
 * launchd reads the folder at login, so nothing is loaded now; macOS 13 and later show a
 * "background item added" notice for it.
 */
public final class MacAutostart implements Autostart {
    static final String LABEL = "dev.connecttray";

    private final Path file;
    private final Path launcher;

    /**
     * @param launchAgents the user's {@code ~/Library/LaunchAgents}
     * @param launcher     the app's executable, {@code .../Connect Tray.app/Contents/MacOS/Connect Tray}
     */
    public MacAutostart(Path launchAgents, Path launcher) {
        this.file = launchAgents.resolve(LABEL + ".plist");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    static MacAutostart forUser(Path home, Path launcher) {
        return new MacAutostart(home.resolve("Library").resolve("LaunchAgents"), launcher);
    }

    @Override
    public boolean isEnabled() {
        return Files.isRegularFile(file);
    }

    @Override
    public void setEnabled(boolean enabled) throws IOException {
        if (!enabled) {
            Files.deleteIfExists(file);
            return;
        }
        Path folder = file.getParent();
        Files.createDirectories(folder);
        // launchd refuses an agent that others may write: owner-only suits it.
        AtomicFiles.write(file, plist().getBytes(StandardCharsets.UTF_8));
    }

    Path file() {
        return file;
    }

    /** The agent's property list. */
    String plist() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + "  <key>Label</key>\n"
                + "  <string>" + LABEL + "</string>\n"
                + "  <key>ProgramArguments</key>\n"
                + "  <array>\n"
                + "    <string>" + xml(launcher.toString()) + "</string>\n"
                + "  </array>\n"
                + "  <key>RunAtLoad</key>\n"
                + "  <true/>\n"
                // Quit means quit: launchd must not start it again.
                + "  <key>KeepAlive</key>\n"
                + "  <false/>\n"
                // A tray app belongs in a GUI login, not in an ssh session.
                + "  <key>LimitLoadToSessionType</key>\n"
                + "  <string>Aqua</string>\n"
                + "  <key>ProcessType</key>\n"
                + "  <string>Interactive</string>\n"
                + "</dict>\n"
                + "</plist>\n";
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
