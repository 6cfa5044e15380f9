package dev.connecttray.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.connecttray.bench.ReconnectData.Wait;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.Backoff;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.Failure;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReconnectDataTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");
    /** The bench's settings: 1 s doubling to 16 s, 20 % jitter. */
    private static final RetrySettings SETTINGS = new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(16),
            2.0, 0.2, 20, Duration.ofSeconds(30), Duration.ofMinutes(5), AfterGiveUp.EXIT);
    private static final Duration TOLERANCE = Duration.ofMillis(50);

    private static String line(long millis, ConnectionState state) {
        return JsonLines.encode(new Event.StateChanged(T0.plusMillis(millis), state));
    }

    private static Retrying retrying(int attempt, long atMillis, long delayMillis) {
        return new Retrying(attempt, 20, T0.plusMillis(atMillis + delayMillis), REFUSED);
    }

    @Test
    void theConfiguredCurveDoublesFromTheInitialDelayUpToTheCap() {
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(n -> ReconnectData.configured(SETTINGS, n).toMillis()))
                .containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 16000L, 16000L);
        assertThat(ReconnectData.lowest(SETTINGS, 3)).isEqualTo(Duration.ofMillis(3200));
        assertThat(ReconnectData.highest(SETTINGS, 6)).isEqualTo(Duration.ofMillis(16000));
    }

    @Test
    void theBandHoldsEveryDelayTheSupervisorsOwnPolicyDraws() {
        // Backoff draws through the same Failsafe policy the supervisor retries with, jitter included.
        for (int draw = 0; draw < 200; draw++) {
            for (int failures = 1; failures <= 7; failures++) {
                Duration delay = Backoff.delayAfter(SETTINGS, failures).orElseThrow();
                assertThat(delay).isBetween(ReconnectData.lowest(SETTINGS, failures),
                        ReconnectData.highest(SETTINGS, failures));
            }
        }
    }

    @Test
    void aRunOfRefusedAttemptsThenRecoveryGivesOneWaitPerRetryWithTheRecoveryMarked() {
        List<String> history = List.of(
                line(0, new Starting()),
                line(100, new Connecting(1, 20)),
                line(150, retrying(2, 150, 1100)),
                line(1060, new Connecting(2, 20)),
                "{\"type\":\"heartbeat\",\"time\":\"2026-01-01T12:00:01Z\",\"pid\":42}",
                line(1300, retrying(3, 1300, 2300)),
                line(3000, new Connecting(3, 20)),
                line(3900, new Connected("fake-user", T0.plusMillis(3900))),
                "{\"type\":\"state\",\"time\":\"2026-01-01T12:0"); // torn by a crash

        List<Wait> waits = ReconnectData.waits(ReconnectData.entries(history), SETTINGS);

        assertThat(waits).containsExactly(
                new Wait(1, Duration.ofMillis(910), Duration.ofSeconds(1), false),
                new Wait(2, Duration.ofMillis(1700), Duration.ofSeconds(2), true));
        assertThat(waits.get(0).ratio()).isCloseTo(0.91, within(1e-9));
        assertThat(waits.get(1).ratio()).isCloseTo(0.85, within(1e-9));
        assertThat(ReconnectData.verdict(waits, SETTINGS, TOLERANCE)).isEqualTo("met");
    }

    @Test
    void theFixedWaitAfterADroppedConnectionIsNoBackoffWait() {
        List<String> history = List.of(
                line(0, new Connected("fake-user", T0)),
                line(10, retrying(1, 10, 1000)),
                line(1010, new Connecting(1, 20)),
                line(1020, new Connected("fake-user", T0.plusMillis(1020))));

        assertThat(ReconnectData.waits(ReconnectData.entries(history), SETTINGS)).isEmpty();
    }

    @Test
    void aWaitCountsAsInTheBandUpToTheToleranceBeyondItsEdges() {
        Duration one = Duration.ofSeconds(1);
        assertThat(ReconnectData.withinBand(new Wait(1, Duration.ofMillis(1050), one, false), SETTINGS, TOLERANCE)).isTrue();
        assertThat(ReconnectData.withinBand(new Wait(1, Duration.ofMillis(1051), one, false), SETTINGS, TOLERANCE)).isFalse();
        assertThat(ReconnectData.withinBand(new Wait(1, Duration.ofMillis(750), one, false), SETTINGS, TOLERANCE)).isTrue();
        assertThat(ReconnectData.withinBand(new Wait(1, Duration.ofMillis(749), one, false), SETTINGS, TOLERANCE)).isFalse();
    }

    @Test
    void oneWaitOutsideTheBandOrNoWaitAtAllMissesTheTarget() {
        Wait fine = new Wait(1, Duration.ofMillis(1000), Duration.ofSeconds(1), false);
        Wait late = new Wait(2, Duration.ofMillis(3000), Duration.ofSeconds(2), true);

        assertThat(ReconnectData.verdict(List.of(fine, late), SETTINGS, TOLERANCE)).isEqualTo("missed");
        assertThat(ReconnectData.verdict(List.of(), SETTINGS, TOLERANCE)).isEqualTo("missed");
    }
}
