package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerEveryTest {
    private final VirtualTime time = new VirtualTime();
    private final List<Instant> runs = new ArrayList<>();

    @Test
    void runsAtOnceAndThenOncePerPeriod() {
        Instant start = time.instant();
        time.every(Duration.ofSeconds(10), () -> runs.add(time.instant()));
        time.runDue();
        assertThat(runs).containsExactly(start);
        time.advance(Duration.ofSeconds(35));
        assertThat(runs).containsExactly(start, start.plusSeconds(10), start.plusSeconds(20), start.plusSeconds(30));
        assertThat(time.pendingTasks()).isEqualTo(1);
    }

    @Test
    void cancellingStopsTheRunsAndLeavesNothingScheduled() {
        Scheduler.Cancellable handle = time.every(Duration.ofSeconds(10), () -> runs.add(time.instant()));
        time.advance(Duration.ofSeconds(15));
        assertThat(runs).hasSize(2);
        handle.cancel();
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofMinutes(5));
        assertThat(runs).hasSize(2);
    }

    @Test
    void cancellingBeforeTheFirstRunMeansNoRunAtAll() {
        time.every(Duration.ofSeconds(10), () -> runs.add(time.instant())).cancel();
        time.advance(Duration.ofMinutes(1));
        assertThat(runs).isEmpty();
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aTaskMayCancelItsOwnRepetition() {
        Scheduler.Cancellable[] handle = new Scheduler.Cancellable[1];
        handle[0] = time.every(Duration.ofSeconds(1), () -> {
            runs.add(time.instant());
            if (runs.size() == 3) handle[0].cancel();
        });
        time.advance(Duration.ofSeconds(10));
        assertThat(runs).hasSize(3);
        assertThat(time.pendingTasks()).isZero();
    }
}
