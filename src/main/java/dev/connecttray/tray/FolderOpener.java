package dev.connecttray.tray;

import dev.connecttray.core.Threads;
import dev.connecttray.os.Platform;
import dev.connecttray.desktop.LinkOutcome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a folder in the desktop's file manager ({@code xdg-open}, {@code open}, {@code explorer}),
 * or a web page in its browser ({@link #browse}), off the caller's thread, and says whether that
 * worked: the tool's exit status is waited for, up to {@link #DEFAULT_WAIT}. A tool still running
 * then is taken to have opened it (some stay until the window they opened closes) and is left alone.
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

    private final Platform platform;
    private final Starter starter;
    private final Duration wait;
    private final Executor executor;

    public FolderOpener(Platform platform, Starter starter, Duration wait, Executor executor) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.wait = Objects.requireNonNull(wait, "wait");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** For this OS, with real processes, each attempt on a daemon thread of its own. */
    public static FolderOpener forCurrentOs() {
        return new FolderOpener(Platform.current(), command -> new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start(),
                DEFAULT_WAIT, task -> Threads.start("open-folder", task));
    }

    /** The command that opens {@code folder} here. */
    List<String> command(Path folder) {
        String f = folder.toString();
        if (platform.isWindows()) return List.of("explorer", f);
        if (platform.isMac()) return List.of("open", f);
        return List.of("xdg-open", f);
    }

    /** The command that opens the web page {@code link} in the desktop's browser here. */
    List<String> browseCommand(URI link) {
        String l = link.toString();
        if (platform.isWindows()) return List.of("rundll32", "url.dll,FileProtocolHandler", l);
        if (platform.isMac()) return List.of("open", l);
        return List.of("xdg-open", l);
    }

    /**
     * Opens the web page {@code link} (https only) in the desktop's browser; the result completes
     * once the tool has ended or {@link #DEFAULT_WAIT} has passed. A failure is logged.
     *
     * @throws IllegalArgumentException {@code link} is not an https address
     */
    public CompletableFuture<LinkOutcome> browse(URI link) {
        if (!"https".equalsIgnoreCase(link.getScheme()) || link.getHost() == null) {
            throw new IllegalArgumentException("only https pages are opened, not " + link);
        }
        CompletableFuture<LinkOutcome> result = new CompletableFuture<>();
        executor.execute(() -> {
            String failure = run(browseCommand(link), true);
            if (failure != null) LOG.warn("Could not open {} in a browser: {}", link, failure);
            result.complete(new LinkOutcome(link, failure == null, failure));
        });
        return result;
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
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return new Outcome(folder, false, "cannot run " + command(folder).get(0) + ": " + e.getMessage());
        }
        String failure = run(command(folder), false);
        return new Outcome(folder, failure == null, failure);
    }

    /** Runs {@code command}; null when it worked (or still runs after the wait), else why not. */
    private String run(List<String> command, boolean page) {
        String tool = command.get(0);
        try {
            Process p = starter.start(command);
            if (!p.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("{} still runs after {} s; taking it as done", tool, wait.toSeconds());
                return null;
            }
            int code = p.exitValue();
            return code == 0 ? null : tool + " exited with status " + code + meaning(tool, code, page);
        } catch (IOException e) {
            return "cannot run " + tool + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for " + tool;
        }
    }

    /** xdg-open's documented exit codes. */
    private static String meaning(String tool, int code, boolean page) {
        if (!tool.equals("xdg-open")) return "";
        return switch (code) {
            case 1 -> " (error in command line syntax)";
            case 2 -> page ? " (the page could not be found)" : " (the folder does not exist)";
            case 3 -> page ? " (a required tool could not be found: no web browser is set up for this desktop)"
                    : " (a required tool could not be found: no file manager is set up for this desktop)";
            case 4 -> " (the action failed)";
            default -> "";
        };
    }
}
