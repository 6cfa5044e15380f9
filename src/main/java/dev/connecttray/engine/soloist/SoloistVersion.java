package dev.connecttray.engine.soloist;

import dev.connecttray.core.Threads;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code soloist --version} as a process: bounded in time ({@link #TIMEOUT}) and in the output
 * kept ({@link #OUTPUT_LIMIT}; the rest is read and dropped so the process never blocks on a full
 * pipe). Soloist exits {@link #EXPIRED_EXIT} from {@code --version} once its build has expired.
 */
public final class SoloistVersion {
    /** Soloist's exit status for an expired build. */
    public static final int EXPIRED_EXIT = 10;
    /** How long {@code --version} may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** The output kept, in bytes. */
    public static final int OUTPUT_LIMIT = 4096;
    /** How often a start refused with "Text file busy" (a file just written, still open in a forked child) is tried. */
    private static final int BUSY_TRIES = 5;

    private SoloistVersion() {
    }

    /**
     * What {@code binary --version} did.
     *
     * @param exitCode its exit status
     * @param output   stdout and stderr, at most {@link #OUTPUT_LIMIT} bytes
     */
    public record Ran(int exitCode, String output) {
        /** It said its build has expired. */
        public boolean expiredExit() {
            return exitCode == EXPIRED_EXIT;
        }

        /** The build from the first output line that parses as a Soloist version line. */
        public Optional<SoloistBuild> build() {
            for (String line : output.split("\\R")) {
                try {
                    return Optional.of(SoloistBuild.parse(line));
                } catch (IllegalArgumentException notThisLine) {
                    // look on
                }
            }
            return Optional.empty();
        }

        /** Why the output is no version line: the parser's words for the first non-blank line. */
        public String unreadable() {
            for (String line : output.split("\\R")) {
                if (line.isBlank()) continue;
                try {
                    SoloistBuild.parse(line);
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
            return "it printed nothing";
        }
    }

    /**
     * Runs {@code binary --version}, stdin empty, in {@code binary}'s folder.
     *
     * @throws IOException it cannot be started (the message says why, e.g. "Exec format error"), or it
     *                     did not finish within {@code timeout} (it is then killed, with its children)
     */
    public static Ran run(Path binary, Duration timeout) throws IOException, InterruptedException {
        Process process = start(binary);
        Thread reader = null;
        try {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            InputStream out = process.getInputStream();
            reader = Threads.start("soloist-version-output", () -> drain(out, kept));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(binary + " --version did not finish within " + (timeout.toMillis() < 1000
                        ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s"));
            }
            // Its output ends when the process does, unless a child it left holds the pipe open.
            reader.join(TimeUnit.SECONDS.toMillis(2));
            String text;
            synchronized (kept) {
                text = kept.toString(StandardCharsets.UTF_8);
            }
            return new Ran(process.exitValue(), text);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.getInputStream().close();
        }
    }

    private static Process start(Path binary) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "--version"))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path folder = binary.toAbsolutePath().getParent();
        if (folder != null) pb.directory(folder.toFile());
        for (int tried = 1; ; tried++) {
            try {
                return pb.start();
            } catch (IOException e) {
                // ETXTBSY: another thread of this JVM forked while the file was open for writing; that
                // child closes its copy of the descriptor when it execs, within moments.
                if (tried >= BUSY_TRIES || e.getMessage() == null || !e.getMessage().contains("Text file busy")) {
                    throw new IOException("cannot run " + binary + ": " + reason(e), e);
                }
                Thread.sleep(50L * tried);
            }
        }
    }

    /** The OS's words from a failed start, e.g. "Exec format error", without Java's prefix. */
    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("error=");
        return at >= 0 ? m.substring(at) : m;
    }

    private static void drain(InputStream in, ByteArrayOutputStream kept) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (kept) {
                    int room = OUTPUT_LIMIT - kept.size();
                    if (room > 0) kept.write(buf, 0, Math.min(room, n));
                }
            }
        } catch (IOException closed) {
            // the process was ended and its pipe closed: what was read is kept
        }
    }
}
