package dev.connecttray.supervisor;

import dev.connecttray.core.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's network change notifications, from iproute2's {@code ip monitor} as a child
 * process: each line it prints (a link, address or route added, changed or removed) is one
 * event. Costs no CPU while nothing changes: one thread blocked reading a pipe, and two small
 * processes. Java cannot open a netlink socket itself, hence the child.
 *
 * <p>A small shell runs the monitor and ends it when its standard input (a pipe from this JVM)
 * closes: so it goes with the supervisor even when that is killed or halted without closing it.
 */
public final class IpMonitor implements NetworkWatcher.ChangeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(IpMonitor.class);
    /** One line per event; links, addresses and routes are what decide whether Spotify is reachable. */
    public static final String MONITOR = "ip -o monitor link address route";
    public static final List<String> COMMAND = tiedToThisProcess(MONITOR);

    private final List<String> command;
    /** The command in a line, for the log: the monitor, not the shell script around it. */
    private final String label;
    /** Whether this process is stopping (a stop signal came): the monitor's end is then expected. */
    private final BooleanSupplier stopping;
    private Process process;
    private volatile boolean closed;

    /**
     * {@link #COMMAND}.
     *
     * @param stopping whether this process is stopping (a stop signal came), when the monitor ends by itself
     */
    public IpMonitor(BooleanSupplier stopping) {
        this(COMMAND, stopping);
    }

    /**
     * {@code sh -c} running {@code command} in the background and ending it when the shell's
     * standard input closes; the shell ends when the command does.
     */
    static List<String> tiedToThisProcess(String command) {
        String script = TIED_PREFIX
                + command + TIED_SUFFIX
                + "{ read -r _ <&3; kill $m; } >/dev/null 2>&1 &\n"
                + "exec 3<&-\n"
                + "wait $m\n";
        return List.of("sh", "-c", script);
    }

    private static final String TIED_PREFIX = "exec 3<&0\n";
    private static final String TIED_SUFFIX = " & m=$!\n";

    /** @param command prints one line per change, and runs until it is destroyed or its input closes */
    IpMonitor(List<String> command) {
        this(command, () -> false);
    }

    /** @param stopping whether this process is stopping, when the monitor ends by itself */
    IpMonitor(List<String> command, BooleanSupplier stopping) {
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
        this.label = label(this.command);
        this.stopping = Objects.requireNonNull(stopping, "stopping");
    }

    /** The monitor's own command when {@code command} is {@link #tiedToThisProcess}'s script, else the command. */
    static String label(List<String> command) {
        String line = String.join(" ", command);
        if (command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")
                && command.get(2).startsWith(TIED_PREFIX)) {
            String script = command.get(2);
            int end = script.indexOf(TIED_SUFFIX, TIED_PREFIX.length());
            if (end > 0) line = script.substring(TIED_PREFIX.length(), end);
        }
        line = line.replaceAll("\\s+", " ").trim();
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }

    @Override
    public synchronized boolean start(Runnable changed, Runnable ended) {
        Objects.requireNonNull(changed, "changed");
        Objects.requireNonNull(ended, "ended");
        if (closed || process != null) return false;
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot run {}; polling the network instead", label, e);
            return false;
        }
        process = p;
        Threads.start("network-events", () -> read(p, changed, ended));
        LOG.debug("Watching network events with {} (pid {})", label, p.pid());
        return true;
    }

    private void read(Process p, Runnable changed, Runnable ended) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                if (closed) return;
                changed.run();
            }
        } catch (IOException e) {
            LOG.debug("Reading {} failed", label, e);
        } catch (RuntimeException e) {
            LOG.warn("Reacting to a network event failed: {}", e.toString());
            LOG.debug("Network event failure", e);
        }
        if (closed) return;
        end(p);
        Integer status = exitStatus(p);
        String signal = status == null ? null : STOP_SIGNALS.get(status);
        if (stopping.getAsBoolean()) {
            // A stop signal to the whole process group (systemctl stop, Ctrl+C) ends the monitor too.
            LOG.debug("The network monitor ({}) ended (status {}) as Connect Tray stops", label, status);
        } else if (signal != null) {
            // Most likely the same stop reaching the monitor first; if not, polling still covers it.
            LOG.info("The network monitor ({}) was stopped by {}; polling the network instead", label, signal);
        } else {
            LOG.warn("The network monitor ({}) ended ({}); polling the network instead", label,
                    status == null ? "still running" : "status " + status);
        }
        ended.run();
    }

    /** A process killed by signal n exits, as Java reports it, with 128 + n: the stop signals. */
    private static final java.util.Map<Integer, String> STOP_SIGNALS =
            java.util.Map.of(128 + 1, "SIGHUP", 128 + 2, "SIGINT", 128 + 15, "SIGTERM");

    /** The child's exit status, or null if it has not ended within a second (or this thread was interrupted). */
    private static Integer exitStatus(Process p) {
        try {
            return p.waitFor(1, TimeUnit.SECONDS) ? p.exitValue() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Ends the child; no event is delivered once this returns, bar one already under way. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (process != null) end(process);
    }

    /** Closes the child's input (the shell then ends the monitor), and ends whatever is left. */
    private static void end(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("Closing the network monitor's input failed", e);
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

    /** For tests: what the JVM's death does to the child's input. */
    synchronized void closeInputOnly() throws IOException {
        if (process != null) process.getOutputStream().close();
    }
}
