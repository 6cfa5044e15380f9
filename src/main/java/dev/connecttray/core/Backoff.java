package dev.connecttray.core;

import dev.failsafe.Execution;
import java.time.Duration;

/**
 * The delay before the next attempt after a number of failed ones, by the same Failsafe policy
 * the {@link ConnectionSupervisor} uses: restarts of a receiver process follow the very rules
 * its connection attempts do.
 */
public final class Backoff {
    private Backoff() {
    }

    /**
     * The delay after {@code failures} failed attempts of a round (jitter included), or empty when
     * they used up the round's budget.
     */
    public static java.util.Optional<Duration> delayAfter(RetrySettings settings, int failures) {
        if (failures < 1) throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        if (failures >= settings.maxAttempts()) return java.util.Optional.empty();
        Execution<Object> round = Execution.of(ConnectionSupervisor.retryPolicy(settings));
        for (int i = 0; i < failures; i++) {
            round.recordException(new ConnectionSupervisor.TransientFailure(
                    Failure.transientFailure("counted failure", "")));
        }
        return round.isComplete() ? java.util.Optional.empty() : java.util.Optional.of(round.getDelay());
    }
}
