package dev.connecttray.core;

import java.time.Duration;

/**
 * Runs the supervisor's work on one thread, now or later. A seam so tests can run backoff
 * sequences on virtual time without sleeping.
 */
public interface Scheduler {

    /** Runs {@code task} soon, on the scheduler's thread. */
    void execute(Runnable task);

    /** Runs {@code task} on the scheduler's thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be called off. */
    interface Cancellable {
        /** Calls the task off if it has not run yet; harmless after it ran. */
        void cancel();
    }
}
