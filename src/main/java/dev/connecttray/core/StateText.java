package dev.connecttray.core;

import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import java.time.Duration;
import java.time.Instant;

/** Says a {@link ConnectionState} in words, the same way in logs, status lines and tooltips. */
public final class StateText {
    private StateText() {
    }

    /** One line: the state, what happens next and why, as seen at {@code now}. */
    public static String describe(ConnectionState state, Instant now) {
        if (state instanceof Starting) return "Starting";
        if (state instanceof WaitingForCredentials w) {
            return "Waiting for a Spotify app to pick \u201c" + w.deviceName() + "\u201d";
        }
        if (state instanceof Connecting c) return "Connecting (attempt " + c.attempt() + " of " + c.maxAttempts() + ")";
        if (state instanceof Connected c) return "Connected as " + c.user() + " \u00b7 " + duration(c.since(), now);
        if (state instanceof Degraded d) return "Connected as " + d.user() + ", degraded: " + d.reason();
        if (state instanceof Retrying r) {
            return "Retrying in " + countdown(now, r.nextAttemptAt()) + " (attempt " + r.attempt() + " of "
                    + r.maxAttempts() + "): " + lowerFirst(r.cause().message());
        }
        if (state instanceof Cooldown c) {
            return "Gave up for now; trying again in " + countdown(now, c.until()) + ": " + lowerFirst(c.cause().message());
        }
        if (state instanceof Failed f) return "Failed: " + f.cause().message();
        if (state instanceof Stopped) return "Stopped";
        throw new IllegalArgumentException("unknown state " + state);
    }

    /** A countdown such as "8 s", "2 min 5 s", never negative. */
    public static String countdown(Instant now, Instant then) {
        Duration d = Duration.between(now, then);
        if (d.isNegative()) d = Duration.ZERO;
        if (!d.isZero() && d.toMillis() < 1000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", Math.max(0.1, d.toMillis() / 1000.0));
        }
        long s = (d.toMillis() + 999) / 1000; // round up: "in 1 s" until it is due
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }

    /** How long since {@code since}: "42 s", "13 min", "2 h 13 min", "3 d 4 h". */
    public static String duration(Instant since, Instant now) {
        long s = Math.max(0, Duration.between(since, now).toSeconds());
        if (s < 60) return s + " s";
        if (s < 3600) return (s / 60) + " min";
        if (s < 86400) return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
        return (s / 86400) + " d " + ((s % 86400) / 3600) + " h";
    }

    /** A duration as the config file writes it: the shortest of "500ms", "30s", "5m", "1h". */
    public static String shortDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    /** A cause as it reads after a colon or a dot: "connection refused", but "Spotify ..." and "DNS ..." kept. */
    public static String lowerFirst(String s) {
        if (s.length() < 2 || !Character.isUpperCase(s.charAt(0)) || Character.isUpperCase(s.charAt(1))) return s;
        // Keep proper names such as "Spotify" as they are.
        if (s.startsWith("Spotify")) return s;
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
