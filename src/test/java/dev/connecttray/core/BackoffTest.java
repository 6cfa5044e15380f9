package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waiting rule, over many random draws and many settings: every wait within its promised bounds. */
class BackoffTest {
    private static RetrySettings settings(Duration initial, Duration max, double multiplier, double jitter,
                                          int maxAttempts) {
        return new RetrySettings(initial, max, multiplier, jitter, maxAttempts, Duration.ofSeconds(30),
                Duration.ofMinutes(5), AfterGiveUp.EXIT);
    }

    @Test
    void everyWaitLiesBetweenTheShortenedInitialDelayAndMaxDelayForAnySettings() {
        Random settingsDraws = new Random(10);
        Random draws = new Random(11);
        for (int i = 0; i < 500; i++) {
            Duration initial = Duration.ofMillis(1 + settingsDraws.nextInt(5_000));
            Duration max = initial.plusMillis(settingsDraws.nextInt(120_000));
            double multiplier = 1.0 + settingsDraws.nextDouble() * 3;
            double jitter = settingsDraws.nextInt(4) == 0 ? 1.0 : settingsDraws.nextDouble();
            RetrySettings s = settings(initial, max, multiplier, jitter, 20);
            Duration lowest = Backoff.shortest(s);
            assertThat(lowest).isEqualTo(Duration.ofNanos(Math.round(initial.toNanos() * (1 - jitter))));
            for (int failures = 1; failures < 20; failures++) {
                Duration base = Backoff.base(s, failures);
                Duration wait = Backoff.delayAfter(s, failures, draws::nextDouble).orElseThrow();
                assertThat(base).as("%s after %d failures", s, failures).isBetween(initial, max);
                assertThat(wait).as("%s after %d failures", s, failures)
                        .isLessThanOrEqualTo(base).isLessThanOrEqualTo(max)
                        .isGreaterThanOrEqualTo(lowest)
                        .isGreaterThanOrEqualTo(Duration.ofNanos(Math.round(base.toNanos() * (1 - jitter))));
            }
        }
    }

    @Test
    void theIssuesExamplesStayWithinMaxDelay() {
        // maxDelay 60 s once gave "Retrying in 1 min 12 s", and 2 s gave 3 s: jitter went on top of the cap.
        RetrySettings sixty = settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.2, 10);
        RetrySettings two = settings(Duration.ofSeconds(1), Duration.ofSeconds(2), 2.0, 0.2, 10);
        Random draws = new Random(12);
        for (int i = 0; i < 10_000; i++) {
            assertThat(Backoff.delayAfter(sixty, 9, draws::nextDouble).orElseThrow())
                    .isBetween(Duration.ofSeconds(48), Duration.ofSeconds(60));
            assertThat(Backoff.delayAfter(two, 5, draws::nextDouble).orElseThrow())
                    .isBetween(Duration.ofMillis(1600), Duration.ofSeconds(2));
        }
        // The extremes of a draw: none shortens nothing, the largest shortens by the whole jitter.
        assertThat(Backoff.delayAfter(sixty, 9, () -> 0.0)).contains(Duration.ofSeconds(60));
        assertThat(Backoff.delayAfter(sixty, 9, () -> 0.999_999_999)).hasValueSatisfying(d ->
                assertThat(d.toMillis()).isEqualTo(48_000));
    }

    @Test
    void theCurveDoublesFromTheInitialDelayUpToTheCapWithoutJitter() {
        RetrySettings s = settings(Duration.ofSeconds(1), Duration.ofSeconds(20), 2.0, 0.0, 10);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 7)
                .mapToObj(n -> Backoff.delayAfter(s, n).orElseThrow().toMillis()))
                .containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 20000L, 20000L);
        assertThat(Backoff.delayAfter(s, 10)).as("budget used up").isEmpty();
        // A multiplier of 1 is a fixed delay; an initial delay equal to the maximum too.
        RetrySettings fixed = settings(Duration.ofSeconds(3), Duration.ofSeconds(60), 1.0, 0.0, 10);
        assertThat(Backoff.delayAfter(fixed, 8)).contains(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Backoff.delayAfter(s, 0)).hasMessageContaining("failures must be at least 1");
    }

    @Test
    void jitterSpreadsTheWaitsOverItsWholeBand() {
        RetrySettings s = settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 2.0, 0.5, 10);
        Random draws = new Random(13);
        int[] buckets = new int[5];
        for (int i = 0; i < 5_000; i++) {
            long ms = Backoff.delayAfter(s, 3, draws::nextDouble).orElseThrow().toMillis();
            buckets[(int) Math.min(4, (ms - 5_000) / 1_000)]++;
        }
        // Uniform over 5 s to 10 s: each second of the band gets about a fifth of the draws.
        for (int b : buckets) assertThat(b).isBetween(850, 1150);
    }
}
