package dev.connecttray.ui;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.StateText;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The status window's words that {@link StateText} does not already say: the line under the state
 * (cause, what happens next, what the user can do) and how a past state reads in the history.
 */
final class StatusTexts {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String DOT = " \u00b7 ";

    private StatusTexts() {
    }

    /** The second line: why, and what happens next. Clock times are in {@code zone}. */
    static String detail(ConnectionState state, ZoneId zone) {
        if (state instanceof Starting) return "Starting the receiver";
        if (state instanceof WaitingForCredentials) {
            return "Open Spotify on a phone or computer on the same network and pick this device"
                    + " (Spotify Connect needs a Premium account)";
        }
        if (state instanceof Connecting c) return "Attempt " + c.attempt() + " of " + c.maxAttempts() + " under way";
        if (state instanceof Connected c) return "Connected since " + time(c.since(), zone);
        if (state instanceof Degraded d) return "Connected since " + time(d.since(), zone) + DOT + "Reconnect may help";
        if (state instanceof Retrying r) {
            return "Attempt " + r.attempt() + " of " + r.maxAttempts() + " at " + time(r.nextAttemptAt(), zone)
                    + DOT + StateText.lowerFirst(r.cause().message());
        }
        if (state instanceof Cooldown c) {
            return "New round of attempts at " + time(c.until(), zone) + DOT + StateText.lowerFirst(c.cause().message());
        }
        if (state instanceof Failed f) {
            return "Exit status " + f.exitStatus().code() + " (" + f.exitStatus().meaning() + ")" + DOT
                    + advice(f.exitStatus());
        }
        if (state instanceof Stopped) return "The receiver has stopped";
        throw new IllegalArgumentException("unknown state " + state);
    }

    /** What the user can do about a failure that ended in {@code status}. */
    static String advice(ExitStatus status) {
        return switch (status) {
            case NOPERM -> "Spotify rejected the login: pick this device again in a Spotify app or replace the "
                    + "credentials file";
            case CONFIG -> "Fix the configuration file";
            default -> "Reconnect to try again";
        };
    }

    /** A past state in a few words, for the history table and the timeline's tooltips. */
    static String pastState(ConnectionState state) {
        if (state instanceof WaitingForCredentials) return "Waiting for a Spotify app";
        if (state instanceof Connecting c) return "Connecting (attempt " + c.attempt() + " of " + c.maxAttempts() + ")";
        if (state instanceof Connected c) return "Connected as " + c.user();
        if (state instanceof Degraded d) return "Degraded, as " + d.user();
        if (state instanceof Retrying r) return "Retrying (attempt " + r.attempt() + " of " + r.maxAttempts() + ")";
        if (state instanceof Cooldown) return "Cooling down";
        if (state instanceof Failed f) return "Failed (exit " + f.exitStatus().code() + ")";
        return state.name(); // Starting, Stopped
    }

    /** Why the state came about, or "" when it has no cause. */
    static String cause(ConnectionState state) {
        if (state instanceof Degraded d) return d.reason();
        if (state instanceof Retrying r) return r.cause().message();
        if (state instanceof Cooldown c) return c.cause().message();
        if (state instanceof Failed f) return f.cause().message();
        return "";
    }

    static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }
}
