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
    private static final Set<String> HOME = Set.of("wlan0 192.168.1.5");
    private static final Set<String> CABLE = Set.of("eth0 10.0.0.2");

    private final VirtualTime time = new VirtualTime();
    private final FakeInterfaces interfaces = new FakeInterfaces();
    private final List<Instant> callbacks = new ArrayList<>();
    private final NetworkWatcher watcher =
            new NetworkWatcher(time, interfaces, POLL, DEBOUNCE, () -> callbacks.add(time.instant()));

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
        NetworkWatcher fast = new NetworkWatcher(time, interfaces, Duration.ofMillis(100), DEBOUNCE,
                () -> callbacks.add(time.instant()));
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
        NetworkWatcher w = new NetworkWatcher(time, interfaces, POLL, DEBOUNCE, () -> {
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
        assertThatThrownBy(() -> new NetworkWatcher(time, interfaces, Duration.ZERO, DEBOUNCE, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> new NetworkWatcher(time, interfaces, POLL, Duration.ofSeconds(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("debounce");
    }

    @Test
    void theSystemSnapshotListsNoLoopbackAddresses() {
        Set<String> addresses = NetworkWatcher.systemInterfaces().get();

        assertThat(addresses).allSatisfy(a -> {
            assertThat(a).matches("\\S+ \\S+");
            assertThat(a).doesNotStartWith("lo ").doesNotEndWith(" 127.0.0.1").doesNotEndWith(" ::1")
                    .doesNotContain("%");
        });
    }
}
