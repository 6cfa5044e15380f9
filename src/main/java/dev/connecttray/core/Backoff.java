package dev.connecttray.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one rule for how long to wait before the next attempt, used by the {@link ConnectionLoop}
 * between connection attempts and by the supervisor process between restarts of a receiver: both
 * wait alike.
 *
 * <p>The wait after failure {@code n} of a round starts from the backoff curve,
 * {@code base = min(maxDelay, initialDelay × multiplier^(n-1))}, and jitter then shortens it by a
 * random fraction of up to {@code jitter}: {@code wait = base × (1 − jitter × u)} with {@code u} drawn
 * uniformly from [0, 1). Jitter never lengthens a wait, so every wait lies within
 * [{@code initialDelay × (1 − jitter)}, {@code maxDelay}], and the waits at the cap still spread
 * (a cap applied after jitter would make most of them exactly {@code maxDelay}).
 */
public final class Backoff {
    private Backoff() {
    }

    /**
     * The wait after {@code failures} failed attempts of a round, jitter included, or empty when they
     * used up the round's budget ({@code maxAttempts}).
     */
    public static Optional<Duration> delayAfter(RetrySettings settings, int failures) {
        return delayAfter(settings, failures, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** As {@link #delayAfter(RetrySettings, int)}, with jitter drawn from {@code random} (values in [0, 1)). */
    public static Optional<Duration> delayAfter(RetrySettings settings, int failures, DoubleSupplier random) {
        if (failures < 1) throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        if (failures >= settings.maxAttempts()) return Optional.empty();
        return Optional.of(jittered(base(settings, failures), settings.jitter(), random.getAsDouble()));
    }

    /** The wait after {@code failures} failures without jitter: the backoff curve, capped at maxDelay. */
    public static Duration base(RetrySettings settings, int failures) {
        if (failures < 1) throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        double nanos = settings.initialDelay().toNanos() * Math.pow(settings.multiplier(), failures - 1);
        long max = settings.maxDelay().toNanos();
        return Duration.ofNanos(nanos >= max ? max : (long) nanos);
    }

    /** {@code base} shortened by {@code jitter × draw}; {@code draw} in [0, 1), clamped there. */
    public static Duration jittered(Duration base, double jitter, double draw) {
        double u = Math.max(0.0, Math.min(draw, 1.0));
        return Duration.ofNanos(Math.round(base.toNanos() * (1.0 - jitter * u)));
    }

    /** The shortest wait the rule can give: {@code initialDelay × (1 − jitter)}. */
    public static Duration shortest(RetrySettings settings) {
        return jittered(settings.initialDelay(), settings.jitter(), 1.0);
    }
}
