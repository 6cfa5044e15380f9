package dev.connecttray.os;

import dev.connecttray.core.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a short-lived desktop tool (dbus-send, notify-send, reg, gsettings) within a time limit. A
 * seam: tests check the command lines without running them.
 */
@FunctionalInterface
public interface CommandRunner {

    /**
     * Runs {@code command} with {@code environment} added to this process's environment, and kills it
     * once {@code timeout} has passed.
     *
     * @throws IOException if the program cannot be started, for instance because it is not installed
     * @throws InterruptedException if interrupted while waiting; the command is killed
     */
    Result run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException;

    /** How a command ended: its exit code and output, or {@code timedOut} (then the code is -1). */
    record Result(int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    /** Runs real processes, their output and errors read together. */
    CommandRunner PROCESSES = (command, environment, timeout) -> Processes.run(command, environment, timeout, true);

    /** Runs real processes, reading their output only; what they print as errors is dropped. */
    CommandRunner PROCESSES_OUTPUT_ONLY =
            (command, environment, timeout) -> Processes.run(command, environment, timeout, false);

    /** The one way this program runs a desktop tool. */
    final class Processes {
        private Processes() {
        }

        static Result run(List<String> command, Map<String, String> environment, Duration timeout, boolean withErrors)
                throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (withErrors) builder.redirectErrorStream(true);
            else builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                process.getOutputStream().close();
                // On a named thread of its own, not the common pool: the read blocks until the tool closes its output.
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                        task -> Threads.start("command-output", task));
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return new Result(-1, "", true);
                try {
                    return new Result(process.exitValue(), output.get(1, TimeUnit.SECONDS), false);
                } catch (ExecutionException | TimeoutException e) {
                    // The tool ended but something it started holds its output open: the exit code is enough.
                    return new Result(process.exitValue(), "", false);
                }
            } finally {
                process.destroyForcibly();
            }
        }

        private static String readAll(InputStream in) {
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
