package dev.connecttray.tray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a folder in the desktop's file manager ({@code xdg-open}, {@code open}, {@code explorer})
 * off the caller's thread, and says whether that worked: the tool's exit status is waited for, up
 * to {@link #DEFAULT_WAIT}. A tool still running then is taken to have opened the folder (some
 * stay until the window they opened closes) and is left alone.
 */
public final class FolderOpener {
    private static final Logger LOG = LoggerFactory.getLogger(FolderOpener.class);
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    /** Starts a command; a seam for tests. */
    @FunctionalInterface
    public interface Starter {
        Process start(List<String> command) throws IOException;
    }

    /** How an attempt to open a folder ended: {@code failure} says why it did not, in words for the log. */
    public record Outcome(Path folder, boolean opened, String failure) {
    }

    private final String osName;
    private final Starter starter;
    private final Duration wait;
    private final Executor executor;

    public FolderOpener(String osName, Starter starter, Duration wait, Executor executor) {
        this.osName = Objects.requireNonNull(osName, "osName").toLowerCase(Locale.ROOT);
        this.starter = Objects.requireNonNull(starter, "starter");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** For this OS, with real processes, each attempt on a daemon thread of its own. */
    public static FolderOpener forCurrentOs() {
        return new FolderOpener(System.getProperty("os.name", ""), command -> new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start(),
                DEFAULT_WAIT, task -> {
                    Thread t = new Thread(task, "open-folder");
                    t.setDaemon(true);
                    t.start();
                });
    }

    /** The command that opens {@code folder} here. */
    List<String> command(Path folder) {
        String f = folder.toString();
        if (osName.startsWith("windows")) return List.of("explorer", f);
        if (osName.startsWith("mac")) return List.of("open", f);
        return List.of("xdg-open", f);
    }

    /**
     * Creates {@code folder} if missing and opens it; the result completes once the tool has
     * ended or {@link #DEFAULT_WAIT} has passed. A failure is logged with the tool's exit code.
     */
    public CompletableFuture<Outcome> open(Path folder) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        executor.execute(() -> {
            Outcome outcome = attempt(folder);
            if (!outcome.opened()) {
                LOG.warn("Could not open the folder {} in the file manager: {}", folder, outcome.failure());
            }
            result.complete(outcome);
        });
        return result;
    }

    private Outcome attempt(Path folder) {
        List<String> command = command(folder);
        String tool = command.get(0);
        try {
            Files.createDirectories(folder);
            Process p = starter.start(command);
            if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("{} still runs after {} s; taking the folder as opened", tool, wait.toSeconds());
                return new Outcome(folder, true, null);
            }
            int code = p.exitValue();
            return code == 0 ? new Outcome(folder, true, null)
                    : new Outcome(folder, false, tool + " exited with status " + code + meaning(tool, code));
        } catch (IOException e) {
            return new Outcome(folder, false, "cannot run " + tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(folder, false, "interrupted while waiting for " + tool);
        }
    }

    /** xdg-open's documented exit codes. */
    private static String meaning(String tool, int code) {
        if (!tool.equals("xdg-open")) return "";
        return switch (code) {
            case 1 -> " (error in command line syntax)";
            case 2 -> " (the folder does not exist)";
            case 3 -> " (a required tool could not be found: no file manager is set up for this desktop)";
            case 4 -> " (the action failed)";
            default -> "";
        };
    }
}
