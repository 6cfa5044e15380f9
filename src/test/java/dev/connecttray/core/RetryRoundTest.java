package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryRoundTest {
    /** 1 s doubling to 4 s, no jitter, 3 attempts, 2 min cooldown. */
    private static RetrySettings settings(AfterGiveUp afterGiveUp) {
        return new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, 0.0, 3,
                Duration.ofSeconds(30), Duration.ofMinutes(2), afterGiveUp);
    }

    private static final Failure DOWN = Failure.transientFailure("No network", "UnknownHostException");

    @Test
    void waitsFollowTheBackoffCurveUntilTheBudgetIsSpentThenCoolsDown() {
        RetryRound round = new RetryRound(settings(AfterGiveUp.COOLDOWN), () -> 0.5);
        assertThat(round.failed(DOWN)).isEqualTo(new RetryRound.Next.Wait(2, Duration.ofSeconds(1)));
        assertThat(round.failed(DOWN)).isEqualTo(new RetryRound.Next.Wait(3, Duration.ofSeconds(2)));
        assertThat(round.failed(DOWN)).isEqualTo(new RetryRound.Next.Cooldown(Duration.ofMinutes(2)));
        assertThat(round.used()).isEqualTo(3);
        round.reset();
        assertThat(round.used()).isZero();
        assertThat(round.failed(DOWN)).isEqualTo(new RetryRound.Next.Wait(2, Duration.ofSeconds(1)));
    }

    @Test
    void jitterOnlyShortensAWait() {
        RetrySettings jittery = new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, 0.5, 3,
                Duration.ofSeconds(30), Duration.ofMinutes(2), AfterGiveUp.EXIT);
        RetryRound round = new RetryRound(jittery, () -> 0.999);
        RetryRound.Next.Wait w = (RetryRound.Next.Wait) round.failed(DOWN);
        assertThat(w.delay()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void givingUpWithExitSaysHowManyAttemptsAndKeepsTheCausesKind() {
        RetryRound round = new RetryRound(settings(AfterGiveUp.EXIT), () -> 0.0);
        RetryRound.Next next = round.failedAt(3, DOWN);
        assertThat(next).isInstanceOfSatisfying(RetryRound.Next.GiveUp.class, g -> {
            assertThat(g.failure().message()).isEqualTo("Spotify stayed unreachable through 3 attempts: No network");
            assertThat(g.failure().kind()).isEqualTo(FailureKind.TRANSIENT);
            assertThat(g.failure().detail()).isEqualTo("UnknownHostException");
        });
    }

    @Test
    void aRestartedOwnerCarriesOnItsRoundAndNeverCountsBackwards() {
        RetryRound round = new RetryRound(settings(AfterGiveUp.EXIT), () -> 0.0);
        round.begin(1);
        assertThat(round.nextAttempt()).isEqualTo(2);
        assertThat(round.failedAt(1, DOWN)).as("attempt 1 failing was counted already")
                .isEqualTo(new RetryRound.Next.Wait(2, Duration.ofSeconds(1)));
        assertThat(round.failedAt(0, DOWN)).as("a lower count spends nothing and takes nothing back")
                .isEqualTo(new RetryRound.Next.Wait(2, Duration.ofSeconds(1)));
        assertThat(round.failedAt(2, DOWN)).isEqualTo(new RetryRound.Next.Wait(3, Duration.ofSeconds(2)));
        assertThatThrownBy(() -> round.begin(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 2");
    }
}
