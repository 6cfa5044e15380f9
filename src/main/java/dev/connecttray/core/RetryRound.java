package dev.connecttray.core;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * One round of attempts: its budget ({@code maxAttempts}, counted by a Failsafe execution), the wait
 * before the next attempt ({@link Backoff}) and what happens when the budget is spent
 * ({@code afterGiveUp}). The one rule for both state machines that retry: the receiver's
 * {@link ConnectionLoop} between connection attempts, and the supervisor process between
 * restarts of its engine. Not thread-safe: each owner uses it on its own scheduler's thread.
 */
public final class RetryRound {
    private final RetrySettings settings;
    private final RetryPolicy<Object> policy;
    private final DoubleSupplier jitterDraws;
    private Execution<Object> execution;

    public RetryRound(RetrySettings settings) {
        this(settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitterDraws the random numbers in [0, 1) that {@link Backoff} jitters the waits with */
    public RetryRound(RetrySettings settings, DoubleSupplier jitterDraws) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.jitterDraws = Objects.requireNonNull(jitterDraws, "jitterDraws");
        this.policy = RetryPolicy.builder().handle(Spent.class).withMaxAttempts(settings.maxAttempts()).build();
        begin(0);
    }

    /** What comes after a failed attempt. */
    public sealed interface Next {
        /** Attempt number {@code attempt} of the round follows after {@code delay}. */
        record Wait(int attempt, Duration delay) implements Next {
        }

        /** The budget is spent: wait {@code cooldown}, then a fresh round. */
        record Cooldown(Duration cooldown) implements Next {
        }

        /**
         * The budget is spent and the settings say exit: fail with 69 for {@code failure} ("Spotify
         * stayed unreachable through n attempts: ..."), made of the last {@code cause} after {@code attempts}.
         */
        record GiveUp(Failure failure, Failure cause, int attempts) implements Next {
        }
    }

    public RetrySettings settings() {
        return settings;
    }

    /** A fresh round with {@code alreadyUsed} of its budget spent (a restarted receiver carries on its round). */
    public void begin(int alreadyUsed) {
        if (alreadyUsed < 0 || alreadyUsed >= settings.maxAttempts()) {
            throw new IllegalArgumentException("alreadyUsed must be from 0 to " + (settings.maxAttempts() - 1)
                    + ", was " + alreadyUsed);
        }
        execution = Execution.of(policy);
        spendTo(alreadyUsed);
    }

    /** A fresh round with the whole budget. */
    public void reset() {
        begin(0);
    }

    /** Attempts spent in this round. */
    public int used() {
        return execution.getAttemptCount();
    }

    /** The attempt that comes next: {@link #used()} + 1. */
    public int nextAttempt() {
        return used() + 1;
    }

    /** One attempt failed with {@code cause}: what comes next. */
    public Next failed(Failure cause) {
        return failedAt(used() + 1, cause);
    }

    /**
     * As {@link #failed}, when the owner knows better how much is spent: {@code spent} attempts in all
     * (never fewer than already counted).
     */
    public Next failedAt(int spent, Failure cause) {
        Objects.requireNonNull(cause, "cause");
        spendTo(spent);
        if (execution.isComplete()) {
            if (settings.afterGiveUp() == AfterGiveUp.EXIT) {
                return new Next.GiveUp(new Failure(cause.kind(), "Spotify stayed unreachable through "
                        + settings.maxAttempts() + " attempts: " + cause.message(), cause.detail()), cause,
                        settings.maxAttempts());
            }
            return new Next.Cooldown(settings.cooldown());
        }
        int used = used();
        return new Next.Wait(used + 1, Backoff.delayAfter(settings, used, jitterDraws).orElseThrow());
    }

    private void spendTo(int spent) {
        while (execution.getAttemptCount() < spent && !execution.isComplete()) {
            execution.recordException(new Spent());
        }
    }

    /** An attempt spent, for Failsafe's count. */
    private static final class Spent extends Exception {
        Spent() {
            super("attempt spent", null, false, false);
        }
    }
}
