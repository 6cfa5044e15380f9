package dev.connecttray.bench;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import dev.connecttray.core.StateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The numbers behind the reconnect picture, without JavaFX: the waits between failed attempts as
 * a state history recorded them, and the backoff the retry settings promise for each.
 *
 * <p>Retry {@code n} is the wait after the {@code n}-th failed attempt of a round, before attempt
 * {@code n + 1}: from the {@code Retrying} entry announcing attempt {@code n + 1} to the
 * {@code Connecting} entry that starts it. Its configured delay is
 * {@code initialDelay × multiplier^(n-1)}, capped at {@code maxDelay}; jitter then shortens it by up
 * to the fraction {@code jitter}, never lengthens it ({@link dev.connecttray.core.Backoff}).
 */
public final class ReconnectData {
    private ReconnectData() {
    }

    /** One wait before a retry; {@code recovery} when the attempt it led to connected. */
    public record Wait(int retry, Duration measured, Duration configured, boolean recovery) {
        public Wait {
            if (retry < 1) throw new IllegalArgumentException("retry must be at least 1, was " + retry);
            Objects.requireNonNull(measured, "measured");
            Objects.requireNonNull(configured, "configured");
        }

        /** Measured over configured: 1.0 on the curve, 1 − jitter at the band's lower edge. */
        public double ratio() {
            return seconds(measured) / seconds(configured);
        }
    }

    /** The history file's state changes, oldest first; heartbeats and unreadable lines are skipped. */
    public static List<StateChange> entries(List<String> historyLines) {
        List<StateChange> entries = new ArrayList<>();
        for (String line : historyLines) {
            if (line.isBlank()) continue;
            try {
                if (JsonLines.decodeEvent(line) instanceof Event.StateChanged s) entries.add(new StateChange(s.time(), s.state()));
            } catch (JsonLines.MalformedMessageException e) {
                // a torn last line, or not ours: not a wait either way
            }
        }
        return entries;
    }

    /**
     * Every backoff wait in {@code entries}: a {@code Retrying} for attempt {@code a} directly
     * followed by the {@code Connecting} of attempt {@code a}. The fixed first wait after a dropped
     * connection ({@code Retrying} for attempt 1) is not a backoff wait and is left out.
     */
    public static List<Wait> waits(List<StateChange> entries, RetrySettings settings) {
        List<Wait> waits = new ArrayList<>();
        for (int i = 1; i < entries.size(); i++) {
            ConnectionState before = entries.get(i - 1).state();
            ConnectionState now = entries.get(i).state();
            if (!(before instanceof Retrying r && now instanceof Connecting c && r.attempt() == c.attempt())) continue;
            int retry = c.attempt() - 1;
            if (retry < 1) continue;
            boolean recovery = i + 1 < entries.size() && entries.get(i + 1).state() instanceof Connected;
            Duration measured = Duration.between(entries.get(i - 1).time(), entries.get(i).time());
            waits.add(new Wait(retry, measured, configured(settings, retry), recovery));
        }
        return waits;
    }

    /** The configured delay before retry {@code n}, without jitter. */
    public static Duration configured(RetrySettings settings, int retry) {
        if (retry < 1) throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        double nanos = settings.initialDelay().toNanos() * Math.pow(settings.multiplier(), retry - 1);
        return Duration.ofNanos((long) Math.min(nanos, settings.maxDelay().toNanos()));
    }

    /** The shortest delay jitter allows before retry {@code n}. */
    public static Duration lowest(RetrySettings settings, int retry) {
        return scaled(configured(settings, retry), 1 - settings.jitter());
    }

    /** The longest delay jitter allows before retry {@code n}: the curve itself. */
    public static Duration highest(RetrySettings settings, int retry) {
        return configured(settings, retry);
    }

    /** Whether the wait lies in the jitter band widened by {@code tolerance} on both sides (timer and pipe latency). */
    public static boolean withinBand(Wait wait, RetrySettings settings, Duration tolerance) {
        Duration low = lowest(settings, wait.retry()).minus(tolerance);
        Duration high = highest(settings, wait.retry()).plus(tolerance);
        return wait.measured().compareTo(low) >= 0 && wait.measured().compareTo(high) <= 0;
    }

    /** "met" when there is at least one wait and every one lies within the widened band, else "missed". */
    public static String verdict(List<Wait> waits, RetrySettings settings, Duration tolerance) {
        boolean all = !waits.isEmpty() && waits.stream().allMatch(w -> withinBand(w, settings, tolerance));
        return all ? "met" : "missed";
    }

    public static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static Duration scaled(Duration d, double factor) {
        return Duration.ofNanos(Math.round(d.toNanos() * factor));
    }
}
