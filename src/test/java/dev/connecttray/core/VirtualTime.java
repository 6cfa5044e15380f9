package dev.connecttray.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Scheduler} and a {@link Clock} on virtual time: tasks run only when a test advances
 * the time, so a ten-attempt backoff sequence runs in microseconds.
 */
public final class VirtualTime extends Clock implements Scheduler {
    private Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private long sequence;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Cancellable {
        final Instant due;
        final long seq = sequence++;
        final Runnable body;
        boolean cancelled;

        Task(Instant due, Runnable body) {
            this.due = due;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
            tasks.remove(this);
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(new Task(now, task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(now.plus(delay), task);
        tasks.add(t);
        return t;
    }

    /** Runs everything that is due now, including what those tasks schedule for now. */
    public void runDue() {
        while (true) {
            Optional<Task> next = tasks.stream()
                    .filter(t -> !t.due.isAfter(now))
                    .min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq));
            if (next.isEmpty()) return;
            tasks.remove(next.get());
            next.get().body.run();
        }
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
    public void advance(Duration d) {
        Instant end = now.plus(d);
        runDue();
        while (true) {
            Optional<Task> next = nextTask();
            if (next.isEmpty() || next.get().due.isAfter(end)) break;
            now = next.get().due;
            runDue();
        }
        now = end;
        runDue();
    }

    /**
     * Moves time forward by {@code d} without running anything, as a process stopped (SIGSTOP, a
     * suspended machine) finds it when it runs again; {@link #runDue()} then runs what fell due, oldest first.
     */
    public void pause(Duration d) {
        now = now.plus(d);
    }

    /** Jumps to the next scheduled task and runs it (and whatever is then due); returns the jump. */
    public Duration advanceToNext() {
        runDue();
        Task next = nextTask().orElseThrow(() -> new AssertionError("nothing is scheduled"));
        Duration jump = Duration.between(now, next.due);
        now = next.due;
        runDue();
        return jump;
    }

    public int pendingTasks() {
        return tasks.size();
    }

    private Optional<Task> nextTask() {
        return tasks.stream().min(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
