package dev.connecttray.fakespotify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A thread-safe, append-only log of what a fake server saw, which a test can wait on
 * without sleeping. Bounded: entries past {@link #MAX_ENTRIES} are counted but not kept.
 *
 * @param <T> the kind of entry (a record)
 */
public final class EventLog<T> {
    static final int MAX_ENTRIES = 10_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<T> entries = new ArrayList<>();
    private int count;

    void add(T entry) {
        lock.lock();
        try {
            count++;
            if (entries.size() < MAX_ENTRIES) entries.add(entry);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many entries were added (including any past the kept limit). */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the kept entries, oldest first. */
    public List<T> snapshot() {
        lock.lock();
        try {
            return List.copyOf(entries);
        } finally {
            lock.unlock();
        }
    }

    /** The kept entries added after the first {@code count} (use with an earlier {@link #count()}). */
    public List<T> since(int count) {
        lock.lock();
        try {
            return List.copyOf(entries.subList(Math.min(count, entries.size()), entries.size()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until at least {@code atLeast} entries were added, at most {@code timeout}.
     *
     * @return whether the count was reached
     */
    public boolean await(int atLeast, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (count < atLeast) {
                if (remaining <= 0) return false;
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an entry matching {@code condition} was added, at most {@code timeout}. */
    public boolean awaitMatching(Predicate<? super T> condition, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (entries.stream().noneMatch(condition)) {
                if (remaining <= 0) return false;
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits as {@link #await} does, and fails with an {@link AssertionError} on time-out. */
    public List<T> awaitOrFail(int atLeast, Duration timeout) throws InterruptedException {
        if (!await(atLeast, timeout))
            throw new AssertionError("expected at least " + atLeast + " events within " + timeout
                    + ", saw " + count() + ": " + snapshot());
        return snapshot();
    }

    static long elapsedMillis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
