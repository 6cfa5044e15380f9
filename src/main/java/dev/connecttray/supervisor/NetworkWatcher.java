package dev.connecttray.supervisor;

import dev.connecttray.core.Scheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the machine's network changes (Wi-Fi joined, cable pulled, DHCP lease renewed
 * with a new address) so the supervisor can reconnect at once instead of waiting out a backoff
 * delay or a dead socket.
 *
 * <p>Takes a snapshot of the usable network on the {@link Scheduler}'s thread whenever a
 * {@link ChangeEvents} source says something changed (on Linux, {@link IpMonitor}: the kernel's
 * own notifications, so no CPU is spent while nothing changes), and polls every minute as a
 * safety net; without events it polls every {@code pollInterval}. On Linux the snapshot is the
 * kernel's routes over the interfaces that are up ({@link #linuxRoutes()}); elsewhere the
 * interfaces' addresses ({@link #systemInterfaces()}). A burst of changes gives one callback, a
 * debounce after the last change seen:
 * short ({@code quickDebounce}) when the change only brought network (a link came back: retry
 * now), long ({@code debounce}) when something went (let a flapping link settle). The callback
 * says whether the network is gone altogether, from the snapshot at that moment: a change undone
 * within the debounce still calls back, as not offline, since sockets over the link may be dead
 * and a needless retry is cheap.
 *
 * <p>Threads: every field is touched on the scheduler's thread only; the public methods and the
 * events' thread post their work there. The one exception is {@code closed}, set by
 * {@link #close} on the caller's thread and checked first by every task, so that nothing starts
 * after close returns.
 */
public final class NetworkWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkWatcher.class);

    /**
     * The poll interval without change events: a snapshot costs up to a millisecond of CPU while
     * the code is cold, so faster polling would eat the supervisor's idle budget (0.2 % of a core).
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** After a change that took something away: long enough for a flapping link to settle. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofSeconds(3);
    /**
     * After a change that only brought network: enough to take a link's routes (or addresses) in
     * one go; DHCP or IPv6 autoconfiguration finishing later is one more change, and one more retry.
     */
    public static final Duration DEFAULT_QUICK_DEBOUNCE = Duration.ofMillis(100);

    /**
     * How often to poll as well while {@link ChangeEvents} work: a safety net only, in case an
     * event is missed.
     */
    public static final Duration POLL_INTERVAL_WITH_EVENTS = Duration.ofMinutes(1);

    /** A source of "the network may have changed" events: the watcher looks at once on each. */
    public interface ChangeEvents extends AutoCloseable {
        /** No events: the watcher polls. */
        ChangeEvents NONE = new ChangeEvents() {
            @Override
            public boolean start(Runnable changed, Runnable ended) {
                return false;
            }

            @Override
            public void close() {
            }
        };

        /**
         * Starts delivering events, on any thread.
         *
         * @param changed runs for each event
         * @param ended   runs once if the source stops by itself (no more events: poll instead)
         * @return false when there is no such source here (nothing will be called)
         */
        boolean start(Runnable changed, Runnable ended);

        @Override
        void close();
    }

    /** What the watcher calls, on the scheduler's thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * The network changed and has stayed so for the debounce.
         *
         * @param offline no usable network is left (no route, or no address, over an interface that is up)
         */
        void networkChanged(boolean offline);
    }

    private final Scheduler scheduler;
    private final Supplier<Set<String>> snapshot;
    private final Duration pollInterval;
    private final Duration debounce;
    private final Duration quickDebounce;
    private final Listener onChange;
    private final ChangeEvents events;
    // On the scheduler's thread only:
    /** A look is queued for the events so far: a burst of events gives one look. */
    private boolean lookPending;
    /** The poll interval now: {@link #POLL_INTERVAL_WITH_EVENTS} while events work, else pollInterval. */
    private Duration currentPollInterval;
    /** The last snapshot that worked; null until one has. */
    private Set<String> last;
    private boolean snapshotFailing;
    private Scheduler.Cancellable pollTask;
    private Scheduler.Cancellable debounceTask;
    private boolean started;
    /** Set by {@link #close} on any thread; every task checks it first. */
    private volatile boolean closed;

    /**
     * @param snapshot     the usable network now, one string per route or address; {@link #linuxRoutes()} or
     *                     {@link #systemInterfaces()} in production
     * @param pollInterval how often to take a snapshot; {@link #DEFAULT_POLL_INTERVAL} in production
     * @param debounce     how long the snapshot must stay unchanged, after a change that took
     *                     something away, before {@code onChange} runs
     * @param quickDebounce the same after a change that only added to the snapshot
     * @param onChange     runs on the scheduler's thread
     * @throws IllegalArgumentException pollInterval is not positive or a debounce is negative
     */
    public NetworkWatcher(Scheduler scheduler, Supplier<Set<String>> snapshot, Duration pollInterval,
                          Duration debounce, Duration quickDebounce, Listener onChange) {
        this(scheduler, snapshot, ChangeEvents.NONE, pollInterval, debounce, quickDebounce, onChange);
    }

    /**
     * A watcher that looks at once on each of {@code events}, and polls only every
     * {@link #POLL_INTERVAL_WITH_EVENTS} while they work; every {@code pollInterval} when there are
     * none or they end.
     */
    public NetworkWatcher(Scheduler scheduler, Supplier<Set<String>> snapshot, ChangeEvents events,
                          Duration pollInterval, Duration debounce, Duration quickDebounce, Listener onChange) {
        this.events = Objects.requireNonNull(events, "events");
        this.currentPollInterval = pollInterval;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        this.quickDebounce = Objects.requireNonNull(quickDebounce, "quickDebounce");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        if (debounce.isNegative()) throw new IllegalArgumentException("debounce must not be negative, got " + debounce);
        if (quickDebounce.isNegative()) {
            throw new IllegalArgumentException("quickDebounce must not be negative, got " + quickDebounce);
        }
    }

    /**
     * The watcher for this machine. On Linux: the route snapshot, taken on each of the kernel's
     * change events ({@link IpMonitor}), or polled every {@link #DEFAULT_POLL_INTERVAL} without
     * iproute2. Elsewhere: the interface addresses, polled every {@link #DEFAULT_POLL_INTERVAL}.
     *
     * @param stopping whether this process is stopping, when the kernel's events end by themselves
     */
    public static NetworkWatcher forThisMachine(Scheduler scheduler, BooleanSupplier stopping, Listener onChange) {
        boolean linux = Files.isReadable(IPV4_ROUTES);
        return new NetworkWatcher(scheduler, linux ? linuxRoutes() : systemInterfaces(),
                linux ? new IpMonitor(stopping) : ChangeEvents.NONE, DEFAULT_POLL_INTERVAL, DEFAULT_DEBOUNCE,
                DEFAULT_QUICK_DEBOUNCE, onChange);
    }

    /**
     * The portable snapshot: one string per address of each interface that is up and not loopback,
     * such as {@code "wlan0 192.168.1.5"}, leaving out link-local addresses (no route to Spotify
     * goes over those, and every interface has one). When the interfaces cannot be listed at all, the empty
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
                    if (a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
                    addresses.add(ni.getName() + " " + hostAddress(a));
                }
            } catch (SocketException e) {
                LOG.debug("Cannot read network interface {}; leaving it out", ni.getName(), e);
            }
        }
        return Set.copyOf(addresses);
    }

    /**
     * The Linux snapshot: one string per route of the main table over an interface that is up
     * (operstate {@code up}, or {@code unknown} as tunnels and some drivers say), such as
     * {@code "wlan0 default via 192.168.1.1"} or {@code "wlan0 192.168.1.0/24"}, IPv4 from
     * /proc/net/route and IPv6 from /proc/net/ipv6_route, leaving out loopback, link-local,
     * multicast and local (own address) routes. A link that goes down takes its routes with it, one
     * that loses its carrier is left out by its operstate, and DHCP adds the default route last.
     * A file that cannot be read counts as no routes of that family (logged at debug).
     */
    public static Supplier<Set<String>> linuxRoutes() {
        return () -> routes(read(IPV4_ROUTES), read(IPV6_ROUTES), NetworkWatcher::operstate);
    }

    private static final Path IPV4_ROUTES = Path.of("/proc/net/route");
    private static final Path IPV6_ROUTES = Path.of("/proc/net/ipv6_route");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;
    private static final long IPV6_RTF_LOCAL = 0x80000000L;

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read {}; taking it as no routes", file, e);
            return "";
        }
    }

    /** The interface's operstate from /sys/class/net, or "" when it cannot be read (it is going away). */
    private static String operstate(String iface) {
        if (iface.contains("/") || iface.startsWith(".")) return "";
        try {
            return Files.readString(Path.of("/sys/class/net", iface, "operstate"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The route snapshot from the text of /proc/net/route and /proc/net/ipv6_route, asking
     * {@code operstate} about each interface once. Lines that do not parse are skipped.
     */
    static Set<String> routes(String ipv4, String ipv6, Function<String, String> operstate) {
        Map<String, Boolean> up = new HashMap<>();
        Predicate<String> isUp = iface -> up.computeIfAbsent(iface, i -> {
            String state = operstate.apply(i);
            return state.equals("up") || state.equals("unknown");
        });
        Set<String> routes = new HashSet<>();
        for (String line : ipv4.split("\n")) {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; addresses are little-endian hex.
            String[] f = WHITESPACE.split(line.trim());
            if (f.length < 8 || f[0].equals("Iface") || f[0].equals("lo")) continue;
            try {
                int flags = Integer.parseInt(f[3], 16);
                if ((flags & RTF_UP) == 0 || !isUp.test(f[0])) continue;
                int mask = Integer.bitCount((int) Long.parseLong(f[7], 16));
                String destination = ipv4Text(f[1]);
                String route = mask == 0 ? "default" : destination + "/" + mask;
                if ((flags & RTF_GATEWAY) != 0) route += " via " + ipv4Text(f[2]);
                routes.add(f[0] + " " + route);
            } catch (RuntimeException e) {
                // a line being rewritten or of a format we do not know: not a route we can use
            }
        }
        for (String line : ipv6.split("\n")) {
            // destination prefix-length source source-length next-hop metric refcount use flags iface
            String[] f = WHITESPACE.split(line.trim());
            if (f.length < 10 || f[9].equals("lo")) continue;
            try {
                String destination = f[0].toLowerCase(Locale.ROOT);
                long flags = Long.parseLong(f[8], 16);
                if ((flags & IPV6_RTF_LOCAL) != 0 || destination.startsWith("fe8") || destination.startsWith("ff")
                        || (flags & RTF_UP) == 0 || !isUp.test(f[9])) {
                    continue;
                }
                int length = Integer.parseInt(f[1], 16);
                String route = length == 0 ? "default" : ipv6Text(destination) + "/" + length;
                if ((flags & RTF_GATEWAY) != 0) route += " via " + ipv6Text(f[4]);
                routes.add(f[9] + " " + route);
            } catch (RuntimeException e) {
                // as above
            }
        }
        return Set.copyOf(routes);
    }

    /** "0102A8C0" (little-endian, as /proc/net/route writes it) is 192.168.2.1. */
    private static String ipv4Text(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    /** 32 hex digits to the usual text form, as {@link InetAddress} writes it. */
    private static String ipv6Text(String hex) {
        if (hex.length() != 32) throw new IllegalArgumentException("not an IPv6 address: " + hex);
        try {
            return InetAddress.getByAddress(HexFormat.of().parseHex(hex)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The address without the "%scope" suffix Java adds to IPv6 ones; the interface name says it already. */
    private static String hostAddress(InetAddress a) {
        String s = a.getHostAddress();
        int percent = s.indexOf('%');
        return percent < 0 ? s : s.substring(0, percent);
    }

    /** Takes the baseline snapshot (no callback) and starts polling, on the scheduler's thread. */
    public void start() {
        scheduler.execute(() -> {
            if (closed || started) return;
            started = true;
            last = take();
            boolean withEvents = events.start(this::eventArrived, this::eventsEnded);
            if (withEvents) currentPollInterval = POLL_INTERVAL_WITH_EVENTS;
            if (last != null) {
                LOG.debug("Watching {} network routes or addresses {}", last.size(),
                        withEvents ? "on change events" : "every " + pollInterval);
            }
            schedulePoll();
        });
    }

    /** On the events' thread: look now, once for a burst. */
    private void eventArrived() {
        if (closed) return;
        scheduler.execute(() -> {
            if (closed || lookPending) return;
            lookPending = true;
            scheduler.execute(() -> {
                lookPending = false;
                look();
            });
        });
    }

    /** On the events' thread: no more events; poll every pollInterval from now on. */
    private void eventsEnded() {
        scheduler.execute(() -> {
            if (closed) return;
            currentPollInterval = pollInterval;
            look();
            schedulePoll();
        });
    }

    /**
     * Stops polling and calls off a pending callback; once this returns, only a callback already
     * under way on the scheduler's thread can still run. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        events.close();
        scheduler.execute(() -> {
            if (pollTask != null) pollTask.cancel();
            if (debounceTask != null) debounceTask.cancel();
            pollTask = null;
            debounceTask = null;
        });
    }

    private void schedulePoll() {
        if (closed) return;
        if (pollTask != null) pollTask.cancel();
        pollTask = scheduler.schedule(currentPollInterval, this::poll);
    }

    private void poll() {
        if (closed) return;
        try {
            look();
        } finally {
            schedulePoll();
        }
    }

    /** Takes a snapshot and compares it with the last one, on the scheduler's thread. */
    private void look() {
        if (closed) return;
        Set<String> now = take();
        if (now != null && last == null) {
            // The baseline failed; the first snapshot that works becomes it, not a change.
            last = now;
        } else if (now != null && !now.equals(last)) {
            LOG.info("Network changed: {}", difference(last, now));
            boolean onlyGained = now.containsAll(last);
            last = now;
            restartDebounce(onlyGained ? quickDebounce : debounce);
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

    private void restartDebounce(Duration delay) {
        if (closed) return;
        if (debounceTask != null) debounceTask.cancel();
        debounceTask = scheduler.schedule(delay, this::fire);
    }

    private void fire() {
        if (closed) return;
        debounceTask = null;
        try {
            onChange.networkChanged(last != null && last.isEmpty());
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
