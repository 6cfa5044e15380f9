package dev.connecttray.supervisor;

import dev.connecttray.core.Threads;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real child process: events are JSON lines on its stdout, commands go to its stdin, its
 * stderr (its log) goes straight to ours. One daemon thread per child reads its stdout and then
 * waits for its exit.
 */
public final class ProcessChildLauncher implements ChildLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessChildLauncher.class);

    private final IntFunction<List<String>> commandLine;

    /** @param commandLine the command for a child, given how much of the retry budget is spent */
    public ProcessChildLauncher(IntFunction<List<String>> commandLine) {
        this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
    }

    /**
     * The command that runs this application again: inside the app image its own launcher (which
     * brings the packaged Java options), otherwise the same java with the same class path and
     * JVM options (minus a debugger agent, whose port the child could not bind).
     */
    public static List<String> selfCommand(String mainClass) {
        List<String> cmd = new ArrayList<>();
        String appPath = System.getProperty("jpackage.app-path");
        if (appPath != null && !appPath.isBlank()) {
            cmd.add(appPath);
            return cmd;
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) cmd.add(arg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }

    @Override
    public Child start(int attemptsUsed, Listener listener) throws IOException {
        List<String> cmd = commandLine.apply(attemptsUsed);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        childEnvironment(pb.environment());
        Process process = pb.start();
        LOG.debug("Started {} as pid {}", cmd, process.pid());
        Threads.start("receiver-events-" + process.pid(),
                () -> readUntilExit(process.getInputStream(), process::waitFor, listener));
        return new ProcessChild(process);
    }

    /** The glibc malloc arenas a child gets unless the user chose a number: see {@link #childEnvironment}. */
    static final String MALLOC_ARENAS = "2";

    /**
     * Turns the supervisor's environment (a mutable copy) into the child's.
     *
     * <p>MALLOC_ARENA_MAX: the library starts about ten new threads for every session, and glibc
     * gives new threads arenas of their own, up to eight per core; each keeps the memory its
     * threads freed. The soak (bench/soak.sh) saw the receiver's resident set climb by about
     * 70 KB per dropped session for hundreds of sessions without any growth of the Java heap or of
     * what the JVM tracks itself; with two arenas it levels off.
     */
    static void childEnvironment(java.util.Map<String, String> env) {
        withoutSupervisorsOwn(env);
        env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
    }

    /**
     * Removes from an engine's environment (a mutable copy of the supervisor's) what belongs to the
     * supervisor alone; every engine's child gets this.
     */
    public static void withoutSupervisorsOwn(java.util.Map<String, String> env) {
        // jpackage's Linux launcher marks its own process with this variable; a launcher started
        // with it inherited skips the app's configuration and runs as a bare java command.
        env.remove("_JPACKAGE_LAUNCHER");
        // systemd talks to the supervisor only (NotifyAccess=main); the child must not answer for it.
        env.remove("NOTIFY_SOCKET");
        env.remove("WATCHDOG_USEC");
        env.remove("WATCHDOG_PID");
    }

    /** SIGTERM to {@code process}; the handle's destroy sends it without closing our ends of the pipes. */
    public static void terminate(Process process) {
        process.toHandle().destroy();
    }

    /** SIGKILL to {@code process} and to everything it started. */
    public static void killWithDescendants(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The longest event line read; a longer one is skipped up to its newline and reported as malformed. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** How a child's exit status is awaited; the real one is {@link Process#waitFor()}. */
    interface ExitWaiter {
        int waitFor() throws InterruptedException;
    }

    /**
     * Reports every line of {@code out} as an event or a malformed line, then the child's exit. The
     * exit is reported whatever the reading hit (a decoder bug, an Error): a child whose exit is lost
     * is never restarted.
     */
    static void readUntilExit(InputStream out, ExitWaiter process, Listener listener) {
        try {
            readEvents(out, listener);
        } catch (IOException e) {
            LOG.debug("Reading the receiver's events failed", e);
        } catch (RuntimeException | Error e) {
            LOG.error("Reading the receiver's events failed; its exit will still be handled", e);
        } finally {
            int status;
            while (true) {
                try {
                    status = process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    // Only the JVM's exit interrupts daemon threads; keep waiting so the exit is reported.
                }
            }
            listener.exited(status);
        }
    }

    private static void readEvents(InputStream out, Listener listener) throws IOException {
        try (BoundedLines lines = new BoundedLines(out, MAX_LINE_BYTES)) {
            String line;
            while ((line = lines.next()) != null) {
                if (lines.lastDiscarded() > 0) {
                    listener.malformedLine(line, "longer than " + MAX_LINE_BYTES / 1024 + " KiB ("
                            + lines.lastDiscarded() + " bytes); skipped");
                    continue;
                }
                if (line.isBlank()) continue;
                Event event;
                try {
                    event = JsonLines.decodeEvent(line);
                } catch (JsonLines.MalformedMessageException e) {
                    listener.malformedLine(line, e.getMessage());
                    continue;
                }
                listener.event(event);
            }
        }
    }

    /**
     * Lines of UTF-8 with a bound on their length: a line longer than {@code max} bytes is read to
     * its end without being kept, so no child can make the supervisor hold a 400 MB line.
     */
    static final class BoundedLines implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];
        private final byte[] line;
        private int pos;
        private int limit;
        private long discarded;

        BoundedLines(InputStream in, int max) {
            this.in = in;
            this.line = new byte[max];
        }

        /**
         * The next line without its line end, or null at the end of the stream. For a line over the
         * bound it is the line's start (up to the bound) and {@link #lastDiscarded()} says its length.
         */
        String next() throws IOException {
            int length = 0;
            long total = 0;
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) return null;
                        break; // a last line without a newline
                    }
                }
                any = true;
                byte b = buffer[pos++];
                if (b == '\n') break;
                total++;
                if (length < line.length) line[length++] = b;
            }
            if (length > 0 && line[length - 1] == '\r' && total == length) length--;
            discarded = total > line.length ? total : 0;
            return new String(line, 0, length, StandardCharsets.UTF_8);
        }

        /** The length in bytes of the line {@link #next()} returned when it was over the bound, else 0. */
        long lastDiscarded() {
            return discarded;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A started process. */
    private static final class ProcessChild implements Child {
        private final Process process;

        ProcessChild(Process process) {
            this.process = process;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void send(Command command) {
            OutputStream in = process.getOutputStream();
            try {
                synchronized (this) {
                    in.write((JsonLines.encode(command) + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
            } catch (IOException e) {
                LOG.debug("Could not send {} to the receiver (pid {}): {}", command.wireName(), pid(), e.getMessage());
            }
        }

        @Override
        public void terminate() {
            ProcessChildLauncher.terminate(process);
        }

        @Override
        public void kill() {
            killWithDescendants(process);
        }
    }
}
