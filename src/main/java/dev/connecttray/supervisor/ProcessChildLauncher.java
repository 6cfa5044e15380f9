package dev.connecttray.supervisor;

import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
        Thread reader = new Thread(() -> readUntilExit(process, listener), "receiver-events-" + process.pid());
        reader.setDaemon(true);
        reader.start();
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
        // jpackage's Linux launcher marks its own process with this variable; a launcher started
        // with it inherited skips the app's configuration and runs as a bare java command.
        env.remove("_JPACKAGE_LAUNCHER");
        // systemd talks to the supervisor only (NotifyAccess=main); the child must not answer for it.
        env.remove("NOTIFY_SOCKET");
        env.remove("WATCHDOG_USEC");
        env.remove("WATCHDOG_PID");
        env.putIfAbsent("MALLOC_ARENA_MAX", MALLOC_ARENAS);
    }

    private static void readUntilExit(Process process, Listener listener) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.isBlank()) continue;
                try {
                    listener.event(JsonLines.decodeEvent(line));
                } catch (JsonLines.MalformedMessageException e) {
                    listener.malformedLine(line, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debug("Reading the receiver's events failed", e);
        }
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
            // The handle's destroy sends SIGTERM without closing our ends of the pipes.
            process.toHandle().destroy();
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
