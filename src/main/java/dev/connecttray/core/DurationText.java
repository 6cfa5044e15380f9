package dev.connecttray.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Durations in words, one way everywhere: the window, the tray, notifications, {@code status}, the
 * log and messages about config values.
 */
public final class DurationText {
    private DurationText() {
    }

    /** A countdown such as "8 s", "2 min 5 s", never negative; rounded up, so it never says less than is left. */
    public static String countdown(Instant now, Instant then) {
        long ms = Math.max(0, Duration.between(now, then).toMillis());
        return duration(Duration.ofSeconds((ms + 999) / 1000));
    }

    /** How long since {@code since}, in whole seconds: "42 s", "13 min 5 s", "2 h 13 min", "3 d 4 h". */
    public static String duration(Instant since, Instant now) {
        return duration(Duration.ofSeconds(Math.max(0, Duration.between(since, now).toSeconds())));
    }

    /**
     * The one way a duration reads for people, in the window, the tray, notifications, {@code status}
     * and the log: "250 ms" below a second, else at most two units, largest first: "8 s", "2 min",
     * "2 min 5 s", "1 h 5 min", "3 d 4 h". A fraction of a second is rounded up ("8 s" for 7.2 s).
     */
    public static String duration(Duration d) {
        if (d.isNegative()) d = Duration.ZERO;
        long ms = d.toMillis();
        if (ms > 0 && ms < 1000) return ms + " ms";
        if (ms == 0 && !d.isZero()) return "1 ms";
        long s = (ms + 999) / 1000;
        if (s < 60) return s + " s";
        if (s < 3600) return two(s / 60, "min", s % 60, "s");
        if (s < 86400) return two(s / 3600, "h", (s % 3600) / 60, "min");
        return two(s / 86400, "d", (s % 86400) / 3600, "h");
    }

    private static String two(long big, String bigUnit, long small, String smallUnit) {
        return big + " " + bigUnit + (small == 0 ? "" : " " + small + " " + smallUnit);
    }

    /** A duration as the config file writes it, for messages about a config value: the shortest of "500ms", "30s", "5m", "1h". */
    public static String shortDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
