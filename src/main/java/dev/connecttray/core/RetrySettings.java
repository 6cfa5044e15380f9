package dev.connecttray.core;

import java.time.Duration;

/** PLACEHOLDER until the config branch lands. */
public record RetrySettings(Duration initialDelay, Duration maxDelay, double multiplier, double jitter,
                            int maxAttempts, Duration attemptTimeout, Duration cooldown, AfterGiveUp afterGiveUp) {
}
