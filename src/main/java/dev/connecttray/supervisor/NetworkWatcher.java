package dev.connecttray.supervisor;

import dev.connecttray.core.Scheduler;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the machine's network addresses change (Wi-Fi joined, cable pulled, DHCP lease
 * renewed with a new address) so the supervisor can reconnect at once instead of waiting for a
 * dead socket to time out.
 *
 * <p>Polls a snapshot of the usable interface addresses every {@code pollInterval} on the
 * {@link Scheduler}'s thread; between polls it uses no CPU. A burst of changes (an interface going
 * down and up, IPv4 then IPv6 addresses arriving) gives one {@code onChange}, {@code debounce}
 * after the last change seen. A change that is undone within the debounce still calls back: the
 * link went away meanwhile, sockets over it may be dead, and a needless reconnect is cheap.
 */
public final class NetworkWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkWatcher.class);

    /** The production poll interval: often enough to feel immediate, rare enough to cost nothing. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** Long enough for DHCP and IPv6 autoconfiguration to settle after a link comes up. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofSeconds(3);

    private final Scheduler scheduler;
    private final Supplier<Set<String>> snapshot;
    private final Duration pollInterval;
    private final Duration debounce;
    private final Runnable onChange;

    // The baseline and the failure flag are touched only on the scheduler's thread.
    /** The last snapshot that worked; null until one has. */
    private Set<String> last;
    private boolean snapshotFailing;
    // The task handles are guarded by `this`, because close() may come from any thread.
    private Scheduler.Cancellable pollTask;
    private Scheduler.Cancellable debounceTask;
    private boolean started;
    private volatile boolean closed;

    /**
     * @param snapshot     the current usable addresses, one string each; {@link #systemInterfaces()} in production
     * @param pollInterval how often to take a snapshot; {@link #DEFAULT_POLL_INTERVAL} in production
     * @param debounce     how long the snapshot must stay unchanged before {@code onChange} runs
     * @param onChange     runs on the scheduler's thread
     * @throws IllegalArgumentException pollInterval is not positive or debounce is negative
     */
    public NetworkWatcher(Scheduler scheduler, Supplier<Set<String>> snapshot, Duration pollInterval,
                          Duration debounce, Runnable onChange) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        if (debounce.isNegative()) throw new IllegalArgumentException("debounce must not be negative, got " + debounce);
    }

    /**
     * The real snapshot: one string per address of each interface that is up and not loopback,
     * such as {@code "wlan0 192.168.1.5"}. When the interfaces cannot be listed at all, the empty
     * set (logged at debug); an interface that fails to answer (it is being torn down) is left out.
     */
    public static Supplier<Set<String>> systemInterfaces() {
        return NetworkWatcher::readSystemInterfaces;
    }

    private static Set<String> readSystemInterfaces() {
        List<NetworkInterface> interfaces;
        try {
            interfaces = NetworkInterface.networkInterfaces().toList();
        } catch (SocketException | RuntimeException e) {
            LOG.debug("Cannot list the network interfaces; treating it as no network", e);
            return Set.of();
        }
        Set<String> addresses = new HashSet<>();
        for (NetworkInterface ni : interfaces) {
            try {
                if (!ni.isUp() || ni.isLoopback()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a.isLoopbackAddress()) continue;
                    addresses.add(ni.getName() + " " + hostAddress(a));
                }
            } catch (SocketException e) {
                LOG.debug("Cannot read network interface {}; leaving it out", ni.getName(), e);
            }
        }
        return Set.copyOf(addresses);
    }

    /** The address without the "%scope" suffix Java adds to IPv6 ones; the interface name says it already. */
    private static String hostAddress(InetAddress a) {
        String s = a.getHostAddress();
        int percent = s.indexOf('%');
        return percent < 0 ? s : s.substring(0, percent);
    }

    /** Takes the baseline snapshot (no callback) and starts polling, on the scheduler's thread. */
    public synchronized void start() {
        if (started || closed) return;
        started = true;
        scheduler.execute(() -> {
            if (closed) return;
            last = take();
            if (last != null) LOG.debug("Watching {} network addresses every {}", last.size(), pollInterval);
            schedulePoll();
        });
    }

    /**
     * Stops polling and calls off a pending callback; once this returns, only a callback already
     * under way on the scheduler's thread can still run. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (pollTask != null) pollTask.cancel();
        if (debounceTask != null) debounceTask.cancel();
        pollTask = null;
        debounceTask = null;
    }

    private synchronized void schedulePoll() {
        if (closed) return;
        pollTask = scheduler.schedule(pollInterval, this::poll);
    }

    private void poll() {
        if (closed) return;
        try {
            Set<String> now = take();
            if (now != null && last == null) {
                // The baseline failed; the first snapshot that works becomes it, not a change.
                last = now;
            } else if (now != null && !now.equals(last)) {
                LOG.info("Network changed: {}", difference(last, now));
                last = now;
                restartDebounce();
            }
        } finally {
            schedulePoll();
        }
    }

    /** The snapshot, or null when the supplier failed (which counts as no change). */
    private Set<String> take() {
        try {
            Set<String> s = snapshot.get();
            if (s == null) throw new IllegalStateException("the network snapshot was null");
            if (snapshotFailing) LOG.info("Reading the network interfaces works again");
            snapshotFailing = false;
            return Set.copyOf(s);
        } catch (RuntimeException e) {
            // Warn once per outage; the poll repeats every few seconds and would flood the log.
            if (!snapshotFailing) {
                LOG.warn("Cannot read the network interfaces ({}); network changes go unnoticed until this works",
                        e.toString());
                LOG.debug("Network snapshot failure", e);
            } else {
                LOG.debug("Network snapshot still failing: {}", e.toString());
            }
            snapshotFailing = true;
            return null;
        }
    }

    private synchronized void restartDebounce() {
        if (closed) return;
        if (debounceTask != null) debounceTask.cancel();
        debounceTask = scheduler.schedule(debounce, this::fire);
    }

    private void fire() {
        synchronized (this) {
            if (closed) return;
            debounceTask = null;
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.warn("Reacting to the network change failed: {}", e.toString());
            LOG.debug("Network change callback failure", e);
        }
    }

    /** "+wlan0 192.168.1.5, -eth0 10.0.0.2": what arrived, then what went, sorted so the log reads the same every time. */
    static String difference(Set<String> before, Set<String> after) {
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(after);
        return Stream.concat(added.stream().map(a -> "+" + a), removed.stream().map(r -> "-" + r))
                .collect(Collectors.joining(", "));
    }
}
