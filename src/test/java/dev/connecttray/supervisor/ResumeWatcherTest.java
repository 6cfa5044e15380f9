package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResumeWatcherTest {
    private static final Duration POLL = ResumeWatcher.DEFAULT_POLL_INTERVAL;
    private static final Duration THRESHOLD = ResumeWatcher.DEFAULT_THRESHOLD;

    /** Drives the polls; apart from the wall clock, so a suspend can move the wall clock without polls. */
    private final VirtualTime polls = new VirtualTime();
    /** The wall clock, which a suspend, NTP or a user can move. */
    private final VirtualTime wall = new VirtualTime();
    /** CLOCK_MONOTONIC: stands still while the machine sleeps. */
    private final AtomicLong monotonic = new AtomicLong(123_456_789L);
    private final List<Duration> resumes = new ArrayList<>();
    private final ResumeWatcher watcher =
            new ResumeWatcher(polls, wall, monotonic::get, POLL, THRESHOLD, resumes::add);

    /** Time passes while the machine is awake: both clocks move, then the poll that falls due runs. */
    private void awake(Duration d) {
        wall.advance(d);
        monotonic.addAndGet(d.toNanos());
        polls.advance(d);
    }

    private void started() {
        watcher.start();
        polls.runDue();
    }

    @Test
    void bothClocksAdvancingTogetherCallsNothing() {
        started();
        for (int i = 0; i < 100; i++) awake(POLL);

        assertThat(resumes).isEmpty();
    }

    @Test
    void aWallClockJumpOfAnHourCallsBackWithAboutAnHour() {
        started();
        awake(POLL);
        wall.advance(Duration.ofHours(1)); // suspended: only the wall clock moves
        awake(POLL);
        awake(POLL.multipliedBy(10));

        assertThat(resumes).containsExactly(Duration.ofHours(1));
    }

    @Test
    void aWallClockSetBackAnHourCallsNothing() {
        started();
        awake(POLL);
        wall.advance(Duration.ofHours(-1)); // VirtualTime runs nothing when moved back; a pure clock step
        awake(POLL.multipliedBy(10));

        assertThat(resumes).isEmpty();
    }

    @Test
    void anNtpStepForwardBelowTheThresholdCallsNothing() {
        started();
        wall.advance(THRESHOLD.minusMillis(1));
        awake(POLL.multipliedBy(10));

        assertThat(resumes).isEmpty();
    }

    @Test
    void aJumpJustAboveTheThresholdCalls() {
        started();
        wall.advance(THRESHOLD.plusMillis(1));
        awake(POLL);

        assertThat(resumes).containsExactly(THRESHOLD.plusMillis(1));
    }

    @Test
    void aLatePollIsNotASleep() {
        // A busy machine runs the poll late, but both clocks saw the delay.
        started();
        wall.advance(Duration.ofSeconds(30));
        monotonic.addAndGet(Duration.ofSeconds(30).toNanos());
        awake(POLL);

        assertThat(resumes).isEmpty();
    }

    @Test
    void eachSleepCallsBackOnce() {
        started();
        wall.advance(Duration.ofMinutes(10));
        awake(POLL.multipliedBy(5));
        wall.advance(Duration.ofMinutes(20));
        awake(POLL.multipliedBy(5));

        assertThat(resumes).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(20));
    }

    @Test
    void nothingIsCalledAfterClose() {
        started();
        wall.advance(Duration.ofHours(1));
        watcher.close();
        awake(POLL.multipliedBy(10));

        assertThat(resumes).isEmpty();
        assertThat(polls.pendingTasks()).isZero();
    }

    @Test
    void pollsOncePerIntervalAndLeavesOnePollPending() {
        List<Long> reads = new ArrayList<>();
        ResumeWatcher counting = new ResumeWatcher(polls, wall, () -> {
            reads.add(monotonic.get());
            return monotonic.get();
        }, POLL, THRESHOLD, resumes::add);
        counting.start();
        awake(POLL.multipliedBy(10));

        assertThat(reads).hasSize(11);
        assertThat(polls.pendingTasks()).isEqualTo(1);
    }

    @Test
    void aFailingCallbackDoesNotStopTheWatching() {
        List<Duration> seen = new ArrayList<>();
        ResumeWatcher w = new ResumeWatcher(polls, wall, monotonic::get, POLL, THRESHOLD, d -> {
            seen.add(d);
            throw new IllegalStateException("supervisor is gone");
        });
        w.start();
        polls.runDue();
        wall.advance(Duration.ofMinutes(10));
        awake(POLL);
        wall.advance(Duration.ofMinutes(10));
        awake(POLL);

        assertThat(seen).hasSize(2);
    }

    @Test
    void settingsThatAreNotPositiveAreRefused() {
        assertThatThrownBy(() -> new ResumeWatcher(polls, wall, monotonic::get, Duration.ZERO, THRESHOLD, d -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> new ResumeWatcher(polls, wall, monotonic::get, POLL, Duration.ZERO, d -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }
}
