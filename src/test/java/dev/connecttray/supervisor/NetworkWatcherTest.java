package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NetworkWatcherTest {
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration DEBOUNCE = Duration.ofSeconds(3);
    private static final Duration QUICK = Duration.ofMillis(100);
    private static final Set<String> HOME = Set.of("wlan0 192.168.1.5");
    private static final Set<String> CABLE = Set.of("eth0 10.0.0.2");

    private final VirtualTime time = new VirtualTime();
    private final FakeInterfaces interfaces = new FakeInterfaces();
    private final List<Instant> callbacks = new ArrayList<>();
    private final List<Boolean> offline = new ArrayList<>();
    private final NetworkWatcher watcher = new NetworkWatcher(time, interfaces, POLL, DEBOUNCE, QUICK, this::called);

    private void called(boolean isOffline) {
        callbacks.add(time.instant());
        offline.add(isOffline);
    }

    /** A hand-written snapshot: what the test says the interfaces are, counting the reads. */
    private static final class FakeInterfaces implements Supplier<Set<String>> {
        Set<String> current = HOME;
        RuntimeException failure;
        int calls;

        @Override
        public Set<String> get() {
            calls++;
            if (failure != null) throw failure;
            return current;
        }
    }

    @Test
    void theBaselineSnapshotCallsNothing() {
        watcher.start();
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).isEmpty();
    }

    @Test
    void oneChangeCallsBackOnceTheDebounceAfterThePollThatSawIt() {
        watcher.start();
        time.runDue();
        Instant start = time.instant();
        interfaces.current = CABLE;
        time.advance(Duration.ofMinutes(1));

        // Seen by the poll at 2 s, reported 3 s later.
        assertThat(callbacks).containsExactly(start.plus(POLL).plus(DEBOUNCE));
    }

    @Test
    void aBurstOfChangesCallsBackOnceTheDebounceAfterTheLastChange() {
        NetworkWatcher fast = new NetworkWatcher(time, interfaces, Duration.ofMillis(100), DEBOUNCE, QUICK,
                this::called);
        fast.start();
        time.runDue();
        Instant start = time.instant();
        for (int i = 1; i <= 5; i++) {
            time.advance(Duration.ofMillis(500));
            interfaces.current = Set.of("wlan0 192.168.1." + i);
        }
        Instant lastChange = time.instant(); // the next 100 ms poll sees it
        time.advance(Duration.ofMinutes(1));

        assertThat(lastChange).isEqualTo(start.plusMillis(2500));
        assertThat(callbacks).containsExactly(lastChange.plusMillis(100).plus(DEBOUNCE));
    }

    @Test
    void losingEveryAddressCallsBackOfflineAfterTheDebounce() {
        watcher.start();
        time.runDue();
        Instant start = time.instant();
        interfaces.current = Set.of();
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(start.plus(POLL).plus(DEBOUNCE));
        assertThat(offline).containsExactly(true);
    }

    @Test
    void aLinkThatComesBackCallsBackAfterTheQuickDebounceNotOffline() {
        // The supervisor retries at once: whatever backoff delay is pending ends.
        interfaces.current = Set.of();
        watcher.start();
        time.advance(Duration.ofSeconds(30));
        Instant seen = time.instant().plus(POLL);
        interfaces.current = HOME;
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(seen.plus(QUICK));
        assertThat(offline).containsExactly(false);
    }

    @Test
    void anAddressAddedToTheOnesThereIsQuickToo() {
        watcher.start();
        time.runDue();
        Instant start = time.instant();
        interfaces.current = Set.of("wlan0 192.168.1.5", "eth0 10.0.0.2");
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(start.plus(POLL).plus(QUICK));
        assertThat(offline).containsExactly(false);
    }

    @Test
    void aLinkDownAndUpWithinTheDebounceCallsBackOnceAsNotOffline() {
        // A blip: a session that survived it is left alone (not offline), a pending retry happens now.
        watcher.start();
        time.runDue();
        interfaces.current = Set.of();
        time.advance(POLL);
        interfaces.current = HOME;
        time.advance(POLL);
        Instant back = time.instant();
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(back.plus(QUICK));
        assertThat(offline).containsExactly(false);
    }

    @Test
    void aReturnThenALossCallBackOnceEachQuickThenLong() {
        interfaces.current = Set.of();
        watcher.start();
        time.runDue();
        Instant start = time.instant();
        interfaces.current = HOME;
        time.advance(POLL.multipliedBy(2)); // seen at 2 s, called back 100 ms later; polled again at 4 s
        interfaces.current = Set.of();      // seen at 6 s
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(start.plus(POLL).plus(QUICK),
                start.plus(POLL.multipliedBy(3)).plus(DEBOUNCE));
        assertThat(offline).containsExactly(false, true);
    }

    /** Events by hand: the test fires them, as the kernel would. */
    private static final class FakeEvents implements NetworkWatcher.ChangeEvents {
        final boolean available;
        Runnable changed;
        Runnable ended;
        boolean closed;

        FakeEvents(boolean available) {
            this.available = available;
        }

        @Override
        public boolean start(Runnable changed, Runnable ended) {
            this.changed = changed;
            this.ended = ended;
            return available;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private NetworkWatcher withEvents(FakeEvents events) {
        return new NetworkWatcher(time, interfaces, events, POLL, DEBOUNCE, QUICK, this::called);
    }

    @Test
    void withEventsALinkThatComesBackIsSeenAtOnce() {
        FakeEvents events = new FakeEvents(true);
        interfaces.current = Set.of();
        withEvents(events).start();
        time.advance(Duration.ofSeconds(30));
        Instant back = time.instant();
        interfaces.current = HOME;
        events.changed.run();
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).containsExactly(back.plus(QUICK));
        assertThat(offline).containsExactly(false);
    }

    @Test
    void withEventsABurstIsOneLookAndPollingIsOnlyASafetyNet() {
        FakeEvents events = new FakeEvents(true);
        withEvents(events).start();
        time.runDue();
        int baseline = interfaces.calls;
        for (int i = 0; i < 5; i++) events.changed.run();
        time.runDue();
        assertThat(interfaces.calls).isEqualTo(baseline + 1);

        time.advance(Duration.ofMinutes(10));
        assertThat(interfaces.calls).isEqualTo(baseline + 1 + 10);
        assertThat(callbacks).isEmpty();
    }

    @Test
    void whenTheEventsEndTheWatcherLooksThenPollsEveryInterval() {
        FakeEvents events = new FakeEvents(true);
        withEvents(events).start();
        time.runDue();
        interfaces.current = CABLE;
        events.ended.run();
        time.runDue();
        int afterEnd = interfaces.calls;
        time.advance(POLL.multipliedBy(5));

        assertThat(interfaces.calls).isEqualTo(afterEnd + 5);
        assertThat(callbacks).hasSize(1); // the change that came with the end was seen at once
        assertThat(time.pendingTasks()).isEqualTo(1);
    }

    @Test
    void withoutEventsTheWatcherPollsEveryInterval() {
        withEvents(new FakeEvents(false)).start();
        time.advance(POLL.multipliedBy(10));

        assertThat(interfaces.calls).isEqualTo(11);
    }

    @Test
    void closeClosesTheEventsAndLaterEventsDoNothing() {
        FakeEvents events = new FakeEvents(true);
        NetworkWatcher w = withEvents(events);
        w.start();
        time.runDue();
        w.close();
        int calls = interfaces.calls;
        interfaces.current = CABLE;
        events.changed.run();
        events.ended.run();
        time.advance(Duration.ofMinutes(5));

        assertThat(events.closed).isTrue();
        assertThat(interfaces.calls).isEqualTo(calls);
        assertThat(callbacks).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aChangeUndoneWithinTheDebounceStillCallsBackOnce() {
        // The link was gone meanwhile; sockets over it may be dead, and a reconnect is cheap.
        watcher.start();
        time.runDue();
        interfaces.current = CABLE;
        time.advance(POLL);
        interfaces.current = HOME;
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).hasSize(1);
    }

    @Test
    void changesFarApartCallBackOnceEach() {
        watcher.start();
        time.runDue();
        interfaces.current = CABLE;
        time.advance(Duration.ofSeconds(30));
        interfaces.current = HOME;
        time.advance(Duration.ofSeconds(30));

        assertThat(callbacks).hasSize(2);
    }

    @Test
    void nothingIsCalledAfterClose() {
        watcher.start();
        time.runDue();
        interfaces.current = CABLE;
        time.advance(POLL); // seen; the callback is pending
        watcher.close();
        time.advance(Duration.ofMinutes(1));

        assertThat(callbacks).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void closeBeforeTheBaselineRanLeavesNothingScheduled() {
        watcher.start();
        watcher.close();
        time.advance(Duration.ofMinutes(1));

        assertThat(interfaces.calls).isZero();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void pollsOncePerIntervalAfterTheBaseline() {
        watcher.start();
        time.advance(POLL.multipliedBy(10));

        assertThat(interfaces.calls).isEqualTo(11);
        // Idle means one pending poll, nothing else.
        assertThat(time.pendingTasks()).isEqualTo(1);
    }

    @Test
    void startingTwiceDoesNotPollTwice() {
        watcher.start();
        watcher.start();
        time.advance(POLL.multipliedBy(10));

        assertThat(interfaces.calls).isEqualTo(11);
    }

    @Test
    void aFailingSnapshotCountsAsNoChangeAndPollingGoesOn() {
        watcher.start();
        time.runDue();
        interfaces.failure = new IllegalStateException("netlink hiccup");
        time.advance(POLL.multipliedBy(5));
        assertThat(callbacks).isEmpty();
        assertThat(interfaces.calls).isEqualTo(6);

        interfaces.failure = null;
        interfaces.current = CABLE;
        time.advance(Duration.ofSeconds(10));
        assertThat(callbacks).hasSize(1);
    }

    @Test
    void whenTheBaselineFailsTheFirstSnapshotThatWorksBecomesIt() {
        interfaces.failure = new IllegalStateException("netlink hiccup");
        watcher.start();
        time.runDue();
        interfaces.failure = null;
        time.advance(Duration.ofSeconds(30));
        assertThat(callbacks).isEmpty();

        interfaces.current = CABLE;
        time.advance(Duration.ofSeconds(30));
        assertThat(callbacks).hasSize(1);
    }

    @Test
    void aFailingCallbackDoesNotStopTheWatching() {
        List<String> calls = new ArrayList<>();
        NetworkWatcher w = new NetworkWatcher(time, interfaces, POLL, DEBOUNCE, QUICK, isOffline -> {
            calls.add("called");
            throw new IllegalStateException("supervisor is gone");
        });
        w.start();
        time.runDue();
        interfaces.current = CABLE;
        time.advance(Duration.ofSeconds(30));
        interfaces.current = HOME;
        time.advance(Duration.ofSeconds(30));

        assertThat(calls).hasSize(2);
    }

    @Test
    void theDifferenceNamesWhatArrivedThenWhatWent() {
        assertThat(NetworkWatcher.difference(Set.of("eth0 10.0.0.2", "wlan0 fe80::1"),
                Set.of("wlan0 192.168.1.5", "wlan0 fe80::1")))
                .isEqualTo("+wlan0 192.168.1.5, -eth0 10.0.0.2");
    }

    @Test
    void aPollIntervalThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new NetworkWatcher(time, interfaces, Duration.ZERO, DEBOUNCE, QUICK, o -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> new NetworkWatcher(time, interfaces, POLL, Duration.ofSeconds(-1), QUICK, o -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("debounce");
        assertThatThrownBy(() -> new NetworkWatcher(time, interfaces, POLL, DEBOUNCE, Duration.ofSeconds(-1), o -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quickDebounce");
    }

    @Test
    void theSystemSnapshotListsNoLoopbackAddresses() {
        Set<String> addresses = NetworkWatcher.systemInterfaces().get();

        assertThat(addresses).allSatisfy(a -> {
            assertThat(a).matches("\\S+ \\S+");
            assertThat(a).doesNotStartWith("lo ").doesNotEndWith(" 127.0.0.1").doesNotEndWith(" ::1")
                    .doesNotContain("%").doesNotContain(" fe80:");
        });
    }

    private static final String IPV4_ROUTES = String.join("\n",
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0",
            "wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0",
            "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
            "eth0\t0000000A\t00000000\t0000\t0\t0\t0\t000000FF\t0\t0\t0",
            "garbage line",
            "");
    private static final String IPV6_ROUTES = String.join("\n",
            "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000001 00000000 00000001    wlan0",
            "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000001 00000000 00000001    wlan0",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                    + "fe800000000000000000000000000001 00000400 00000002 00000000 00000003    wlan0",
            "20010db8000000000000000000000005 80 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000000 00000004 00000000 80200001    wlan0",
            "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000004 00000000 00000001    wlan0",
            "00000000000000000000000000000001 80 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
            "");

    @Test
    void theRouteSnapshotHasTheRoutesOverInterfacesThatAreUp() {
        // docker0 has no carrier (no container runs); eth0's route is not marked up.
        Set<String> routes = NetworkWatcher.routes(IPV4_ROUTES, IPV6_ROUTES,
                iface -> iface.equals("docker0") ? "down" : "up");

        assertThat(routes).containsExactlyInAnyOrder(
                "wlan0 default via 192.168.1.1", "wlan0 192.168.1.0/24",
                "wlan0 2001:db8:0:0:0:0:0:0/64", "wlan0 default via fe80:0:0:0:0:0:0:1");
    }

    @Test
    void aLinkThatIsDownLeavesNoRoutes() {
        assertThat(NetworkWatcher.routes(IPV4_ROUTES, IPV6_ROUTES, iface -> "down")).isEmpty();
        assertThat(NetworkWatcher.routes(IPV4_ROUTES, IPV6_ROUTES, iface -> "lowerlayerdown")).isEmpty();
        assertThat(NetworkWatcher.routes("", "", iface -> "up")).isEmpty();
    }

    @Test
    void anInterfaceOfUnknownOperstateCountsAsUpAndIsAskedOnce() {
        // Tunnels (a VPN's tun0) say "unknown".
        List<String> asked = new ArrayList<>();
        Set<String> routes = NetworkWatcher.routes(IPV4_ROUTES, "", iface -> {
            asked.add(iface);
            return "unknown";
        });

        assertThat(routes).contains("wlan0 default via 192.168.1.1", "docker0 172.17.0.0/16");
        assertThat(asked).containsExactly("wlan0", "docker0");
    }

    @Test
    void theLinuxSnapshotOfThisMachineReadsWithoutFailing() {
        Set<String> routes = NetworkWatcher.linuxRoutes().get();

        assertThat(routes).allSatisfy(r -> assertThat(r).matches("\\S+ \\S+.*").doesNotStartWith("lo "));
    }
}
