package dev.connecttray.supervisor;

import dev.connecttray.core.DurationText;
import dev.connecttray.core.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that the machine woke from suspend, so the supervisor can check its connection at once
 * rather than trust sockets that died while it slept.
 *
 * <p>On Linux {@link System#nanoTime} (CLOCK_MONOTONIC) stands still while the machine is
 * suspended and the wall clock does not; when, between two polls, the wall clock moved ahead of the
 * monotonic clock by more than {@code threshold}, the machine slept for about that long. A wall
 * clock set backwards or stepped forward by NTP by less than the threshold does not count. A
 * manual clock change forward by more than the threshold does count; that is harmless, it only
 * costs a reconnect. (On systems whose monotonic clock keeps running in suspend the watcher simply
 * never fires; the network watcher and the dead connection's own errors still cover that case.)
 */
public final class ResumeWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeWatcher.class);

    /** The production poll interval; a poll is two clock reads, nothing more. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** Far above NTP steps and scheduling jitter, far below any real suspend. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(5);

    private final Scheduler scheduler;
    private final Clock wall;
    private final LongSupplier monotonicNanos;
    private final Duration pollInterval;
    private final Duration threshold;
    private final Consumer<Duration> onResume;

    // The last readings are touched only on the scheduler's thread.
    private Instant wallLast;
    private long monoLast;
    // Guarded by `this`, because close() may come from any thread.
    private Scheduler.Cancellable pollTask;
    private boolean started;
    private volatile boolean closed;

    /**
     * @param wall           the wall clock; {@link Clock#systemUTC()} in production
     * @param monotonicNanos a clock that stops during suspend; {@link System#nanoTime} in production
     * @param pollInterval   how often to compare the clocks; {@link #DEFAULT_POLL_INTERVAL} in production
     * @param threshold      how far the wall clock must run ahead to count as a sleep
     * @param onResume       gets about how long the machine slept; runs on the scheduler's thread
     * @throws IllegalArgumentException pollInterval or threshold is not positive
     */
    public ResumeWatcher(Scheduler scheduler, Clock wall, LongSupplier monotonicNanos, Duration pollInterval,
                         Duration threshold, Consumer<Duration> onResume) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.wall = Objects.requireNonNull(wall, "wall");
        this.monotonicNanos = Objects.requireNonNull(monotonicNanos, "monotonicNanos");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.onResume = Objects.requireNonNull(onResume, "onResume");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("threshold must be positive, got " + threshold);
        }
    }

    /** Takes the first readings and starts polling, on the scheduler's thread. */
    public synchronized void start() {
        if (started || closed) return;
        started = true;
        scheduler.execute(() -> {
            if (closed) return;
            wallLast = wall.instant();
            monoLast = monotonicNanos.getAsLong();
            schedulePoll();
        });
    }

    /**
     * Stops polling; once this returns, only a callback already under way on the scheduler's
     * thread can still run. Idempotent.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (pollTask != null) pollTask.cancel();
        pollTask = null;
    }

    private synchronized void schedulePoll() {
        if (closed) return;
        pollTask = scheduler.schedule(pollInterval, this::poll);
    }

    private void poll() {
        if (closed) return;
        try {
            Instant wallNow = wall.instant();
            long monoNow = monotonicNanos.getAsLong();
            Duration wallElapsed = Duration.between(wallLast, wallNow);
            Duration monoElapsed = Duration.ofNanos(monoNow - monoLast);
            wallLast = wallNow;
            monoLast = monoNow;
            Duration slept = wallElapsed.minus(monoElapsed);
            if (slept.compareTo(threshold) > 0) {
                LOG.info("The machine slept for about {} (wall clock jumped ahead of the monotonic clock); "
                        + "checking the connection now", DurationText.duration(wallNow.minus(slept), wallNow));
                notifyResume(slept);
            }
        } finally {
            schedulePoll();
        }
    }

    private void notifyResume(Duration slept) {
        if (closed) return;
        try {
            onResume.accept(slept);
        } catch (RuntimeException e) {
            LOG.warn("Reacting to the wake-up failed: {}", e.toString());
            LOG.debug("Resume callback failure", e);
        }
    }
}
