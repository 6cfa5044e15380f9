package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.StateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Cuts a state history into the spans a timeline draws: one per state held within a window of time. */
public final class TimelineSegments {
    private TimelineSegments() {
    }

    /**
     * One span of time in one state.
     *
     * @param state null where nothing is known (before the first entry)
     */
    public record Segment(Instant from, Instant to, ConnectionState state) {
        public Segment {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!to.isAfter(from)) throw new IllegalArgumentException("empty segment " + from + " to " + to);
        }

        public Duration length() {
            return Duration.between(from, to);
        }
    }

    /**
     * The segments covering exactly {@code [now - window, now]}, oldest first, with no gaps: the
     * state in force at the window's start fills from the start, time before the first entry is
     * unknown, the last state lasts until {@code now}. Each entry keeps its own segment (two
     * retries in a row are two segments, each with its cause); entries that last no time are dropped.
     *
     * @param history state changes in the order they were recorded, oldest first. Should the wall
     *                clock have gone back, an entry older than the one before it counts as
     *                starting when that one did.
     * @throws IllegalArgumentException window is not positive
     */
    public static List<Segment> of(List<StateChange> history, Instant now, Duration window) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(now, "now");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        Instant start = now.minus(window);
        List<Segment> out = new ArrayList<>();
        Instant known = history.isEmpty() ? now : min(history.get(0).time(), now);
        add(out, start, known, null);

        Instant previousStart = Instant.MIN;
        for (int i = 0; i < history.size(); i++) {
            StateChange entry = history.get(i);
            Instant from = max(entry.time(), previousStart);
            previousStart = from;
            Instant to = i + 1 < history.size() ? max(history.get(i + 1).time(), from) : now;
            add(out, max(from, start), min(to, now), entry.state());
        }
        return List.copyOf(out);
    }

    /**
     * Whether a span in {@code state} says how the connection stood: not where nothing is known
     * (null), nor after a stop, where nothing is known until the next start whatever the tray showed.
     */
    public static boolean known(ConnectionState state) {
        return state != null && state.match(KNOWN);
    }

    private static final ConnectionState.Cases<Boolean> KNOWN = new ConnectionState.Cases<>() {
        @Override public Boolean starting(ConnectionState.Starting s) { return true; }
        @Override public Boolean waitingForCredentials(ConnectionState.WaitingForCredentials w) { return true; }
        @Override public Boolean connecting(ConnectionState.Connecting c) { return true; }
        @Override public Boolean connected(ConnectionState.Connected c) { return true; }
        @Override public Boolean degraded(ConnectionState.Degraded d) { return true; }
        @Override public Boolean retrying(ConnectionState.Retrying r) { return true; }
        @Override public Boolean cooldown(ConnectionState.Cooldown c) { return true; }
        @Override public Boolean failed(ConnectionState.Failed f) { return true; }
        @Override public Boolean stopped(ConnectionState.Stopped s) { return false; }
    };

    private static void add(List<Segment> out, Instant from, Instant to, ConnectionState state) {
        if (to.isAfter(from)) out.add(new Segment(from, to, state));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
