package dev.connecttray.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs one owner's work on one thread, now or later. A seam so tests can run backoff
 * sequences on virtual time without sleeping.
 */
public interface Scheduler {

    /** Runs {@code task} soon, on the scheduler's thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the scheduler's thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} soon and then again {@code period} after each run, on the scheduler's
     * thread, until the returned handle is cancelled.
     */
    default Cancellable every(Duration period, Runnable task) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(task, "task");
        Repeating repeating = new Repeating(this, period, task);
        execute(repeating);
        return repeating;
    }

    /** A scheduled task that can be called off. */
    interface Cancellable {
        /** Calls the task off if it has not run yet; harmless after it ran. */
        void cancel();
    }

    /** {@link #every}'s task: runs, then schedules itself again unless cancelled. */
    final class Repeating implements Runnable, Cancellable {
        private final Scheduler scheduler;
        private final Duration period;
        private final Runnable task;
        private volatile boolean cancelled;
        private volatile Cancellable next = () -> { };

        private Repeating(Scheduler scheduler, Duration period, Runnable task) {
            this.scheduler = scheduler;
            this.period = period;
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) return;
            task.run();
            if (!cancelled) next = scheduler.schedule(period, this);
        }

        @Override
        public void cancel() {
            cancelled = true;
            next.cancel();
        }
    }
}
