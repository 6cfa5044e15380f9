package dev.connecttray.tray;

import dev.connecttray.os.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start at login on Windows: the value "Connect Tray" under the user's Run key, written and removed
 * with {@code reg.exe}. A startup app turned off in Task Manager keeps its value (Windows records
 * the switch under Explorer\StartupApproved), so it still counts as enabled here.
 */
public final class WindowsAutostart implements Autostart {
    private static final Logger log = LoggerFactory.getLogger(WindowsAutostart.class);

    static final String RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
    static final String VALUE_NAME = "Connect Tray";
    private static final Duration REG_TIMEOUT = Duration.ofSeconds(10);

    private final Path launcher;
    private final CommandRunner runner;

    /** @param launcher the app's executable, {@code ...\Connect Tray\Connect Tray.exe} */
    public WindowsAutostart(Path launcher) {
        this(launcher, CommandRunner.PROCESSES);
    }

    WindowsAutostart(Path launcher, CommandRunner runner) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.runner = Objects.requireNonNull(runner, "runner");
        if (launcher.toString().indexOf('"') >= 0) {
            throw new IllegalArgumentException("The launcher path " + launcher + " holds a quote, which no Windows path may");
        }
    }

    @Override
    public boolean isEnabled() {
        try {
            CommandRunner.Result result = runner.run(queryCommand(), Map.of(), REG_TIMEOUT);
            // reg query exits with 1 when the value does not exist.
            return result.succeeded();
        } catch (IOException e) {
            log.debug("Cannot run reg query: {}; taking start at login as off", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void setEnabled(boolean enabled) throws IOException {
        if (!enabled && !isEnabled()) return; // reg delete fails on a missing value
        List<String> command = enabled ? addCommand() : deleteCommand();
        CommandRunner.Result result;
        try {
            result = runner.run(command, Map.of(), REG_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted while running reg " + command.get(1));
        }
        if (result.timedOut()) {
            throw new IOException("reg " + command.get(1) + " did not finish within " + REG_TIMEOUT.toSeconds() + " s");
        }
        if (!result.succeeded()) {
            throw new IOException("reg " + command.get(1) + " failed with exit code " + result.exitCode() + ": "
                    + result.output().strip());
        }
    }

    List<String> queryCommand() {
        return List.of("reg", "query", RUN_KEY, "/v", VALUE_NAME);
    }

    List<String> addCommand() {
        return List.of("reg", "add", RUN_KEY, "/v", VALUE_NAME, "/t", "REG_SZ", "/d", dataArgument(), "/f");
    }

    List<String> deleteCommand() {
        return List.of("reg", "delete", RUN_KEY, "/v", VALUE_NAME, "/f");
    }

    /**
     * The Run value must hold the path in quotes, or Windows splits it at the first space. reg.exe
     * reads its command line by the C runtime's rules, where {@code \"} is a literal quote, and Java
     * puts an argument with spaces in quotes of its own: so the argument is the path between
     * {@code \"} pairs. (A path never ends in a backslash here: it names the .exe.)
     */
    String dataArgument() {
        return "\\\"" + launcher + "\\\"";
    }
}
