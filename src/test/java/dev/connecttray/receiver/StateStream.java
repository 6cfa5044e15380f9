package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The states a supervisor publishes, for a test to wait on in order, and what it has seen so far. */
final class StateStream implements Consumer<ConnectionState> {
    private final BlockingQueue<ConnectionState> queue = new LinkedBlockingQueue<>();
    private final List<ConnectionState> seen = new CopyOnWriteArrayList<>();

    static Predicate<ConnectionState> is(Class<? extends ConnectionState> type) {
        return type::isInstance;
    }

    @Override
    public void accept(ConnectionState state) {
        queue.add(state);
    }

    /** The next state that matches, skipping (and keeping in {@link #seen}) the ones before it. */
    ConnectionState await(Predicate<ConnectionState> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ConnectionState s = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (s == null) throw new AssertionError("no matching state within " + timeout + "; seen " + seen);
            seen.add(s);
            if (match.test(s)) return s;
        }
    }

    /** Fails when a state is published within {@code quiet}. */
    void assertNoneFor(Duration quiet) throws InterruptedException {
        ConnectionState s = queue.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("a state after %s; seen before: %s", quiet, seen).isNull();
    }

    /** The states {@link #await} has taken so far, oldest first. */
    List<ConnectionState> seen() {
        return seen;
    }
}
