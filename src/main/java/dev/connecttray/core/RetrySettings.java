package dev.connecttray.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How connection attempts are retried: exponential backoff from {@code initialDelay} to
 * {@code maxDelay} by {@code multiplier}, each delay shortened at random by up to {@code jitter} (a fraction;
 * never lengthened, see {@link Backoff}), {@code maxAttempts} per round, each attempt bounded by {@code attemptTimeout}; then
 * {@code afterGiveUp}: wait {@code cooldown} and start a new round, or exit.
 */
public record RetrySettings(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                            int maxAttempts, Duration attemptTimeout, Duration cooldown, AfterGiveUp afterGiveUp) {
    public RetrySettings {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(afterGiveUp, "afterGiveUp");
        require(!initialDelay.isNegative() && !initialDelay.isZero(), "initialDelay must be positive");
        require(maxDelay.compareTo(initialDelay) >= 0, "maxDelay must not be below initialDelay");
        require(multiplier >= 1.0, "multiplier must be at least 1.0");
        require(jitter >= 0.0 && jitter <= 1.0, "jitter must be from 0.0 to 1.0");
        require(maxAttempts >= 1, "maxAttempts must be at least 1");
        require(!attemptTimeout.isNegative() && !attemptTimeout.isZero(), "attemptTimeout must be positive");
        require(!cooldown.isNegative() && !cooldown.isZero(), "cooldown must be positive");
    }

    /** The defaults: 1 s doubling to 60 s, 20 % jitter, 10 attempts of at most 30 s, then a 5 min cooldown. */
    public static RetrySettings defaults(AfterGiveUp afterGiveUp) {
        return new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.2, 10,
                Duration.ofSeconds(30), Duration.ofMinutes(5), afterGiveUp);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
