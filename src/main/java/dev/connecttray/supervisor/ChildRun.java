package dev.connecttray.supervisor;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.util.Objects;

/**
 * One run of an engine as {@link ReceiverProcess} follows it: the process, its generation (a late
 * report from an earlier run is told apart by it), what it said, when it was last heard from, and
 * whether the supervisor is ending it. Touched only on the supervisor's scheduler thread.
 */
final class ChildRun {
    final long generation;
    final ChildLauncher.Child child;
    /** When it started, on the supervisor's monotonic clock. */
    final long startedAt;
    /** Its last state: says whether it died during an attempt or between attempts; null before any. */
    ConnectionState state;
    /** The failure it reported before it exited, or null. */
    Failure failure;
    /** When it said it began its latest attempt, on the monotonic clock; null before one. */
    Long attemptStartedAt;
    /** When it was last heard from, and when the watchdog last looked, on the monotonic clock. */
    long lastHeard;
    long lastCheck;
    /** After a pause of the supervisor itself: no verdict of "wedged" before this. */
    long judgeNotBefore;
    /** Why the supervisor is ending it, or null when it is not. */
    Failure endingBecause;
    /** Ended for "reconnect now": its successor starts at once, with a fresh budget. */
    boolean relaunchAtOnce;

    ChildRun(long generation, ChildLauncher.Child child, long startedAt) {
        this.generation = generation;
        this.child = Objects.requireNonNull(child, "child");
        this.startedAt = startedAt;
        this.lastHeard = startedAt;
        this.lastCheck = startedAt;
        this.judgeNotBefore = startedAt;
    }

    long pid() {
        return child.pid();
    }

    boolean isEnding() {
        return endingBecause != null;
    }

    /** Attempts it made in this round, as far as its states told. */
    int attemptsMade() {
        if (state instanceof ConnectionState.Connecting c) return c.attempt();
        if (state instanceof ConnectionState.Retrying r) return r.attempt() - 1;
        return 0;
    }

    /** What the engine's adapter classifies when it ended by itself. */
    EndedRun ended(int status) {
        return new EndedRun(pid(), status, state, failure, child.lastLines());
    }
}
