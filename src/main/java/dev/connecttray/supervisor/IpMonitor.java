package dev.connecttray.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's network change notifications, from iproute2's {@code ip monitor} as a child
 * process: each line it prints (a link, address or route added, changed or removed) is one
 * event. Costs no CPU while nothing changes: one thread blocked reading a pipe, and a small
 * process. Java cannot open a netlink socket itself, hence the child.
 */
public final class IpMonitor implements NetworkWatcher.ChangeEvents {
    private static final Logger LOG = LoggerFactory.getLogger(IpMonitor.class);
    /** One line per event; links, addresses and routes are what decide whether Spotify is reachable. */
    public static final List<String> COMMAND = List.of("ip", "-o", "monitor", "link", "address", "route");

    private final List<String> command;
    private Process process;
    private volatile boolean closed;

    /** {@link #COMMAND}. */
    public IpMonitor() {
        this(COMMAND);
    }

    /** @param command prints one line per change, and runs until it is destroyed */
    IpMonitor(List<String> command) {
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
    }

    @Override
    public synchronized boolean start(Runnable changed, Runnable ended) {
        Objects.requireNonNull(changed, "changed");
        Objects.requireNonNull(ended, "ended");
        if (closed || process != null) return false;
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot run {}; polling the network instead", command, e);
            return false;
        }
        process = p;
        Thread reader = new Thread(() -> read(p, changed, ended), "network-events");
        reader.setDaemon(true);
        reader.start();
        LOG.debug("Watching network events with {} (pid {})", String.join(" ", command), p.pid());
        return true;
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private void read(Process p, Runnable changed, Runnable ended) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                if (closed) return;
                changed.run();
            }
        } catch (IOException e) {
            LOG.debug("Reading {} failed", command, e);
        } catch (RuntimeException e) {
            LOG.warn("Reacting to a network event failed: {}", e.toString());
            LOG.debug("Network event failure", e);
        }
        if (closed) return;
        p.destroy();
        LOG.warn("{} ended (status {}); polling the network instead", String.join(" ", command), exitStatus(p));
        ended.run();
    }

    private static String exitStatus(Process p) {
        try {
            return p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Ends the child; no event is delivered once this returns, bar one already under way. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (process != null) process.destroy();
    }
}
