package dev.connecttray.view;

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
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.format.DateTimeFormatter;

/**
 * The status window's words that {@link StateText#headline} does not already say: the line under
 * the headline (the technical cause, what happens next, what the user can do; never the headline
 * again), the rows of the recent-changes table, and how a past state reads.
 */
public final class StatusTexts {
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String DOT = " \u00b7 ";

    private StatusTexts() {
    }

    /**
     * The line under the headline: why, and what happens next. Clock times are in {@code zone}.
     *
     * @param storedLogin the login is made with stored credentials ({@code auth.mode} "stored"), not zeroconf
     */
    public static String detail(ConnectionState state, ZoneId zone, boolean storedLogin) {
        return state.match(new ConnectionState.Cases<>() {
            @Override
            public String starting(Starting s) {
                return "Starting the receiver";
            }

            @Override
            public String waitingForCredentials(WaitingForCredentials w) {
                return "Open Spotify on a phone or computer on the same network and pick \u201c" + w.deviceName()
                        + "\u201d (Spotify Connect needs a Premium account)";
            }

            @Override
            public String connecting(Connecting c) {
                return "Attempt " + c.attempt() + " of " + c.maxAttempts() + " under way";
            }

            @Override
            public String connected(Connected c) {
                return "Connected since " + time(c.since(), zone);
            }

            @Override
            public String degraded(Degraded d) {
                return sentence(d.reason()) + " Connected since " + time(d.since(), zone) + "; Reconnect may help.";
            }

            @Override
            public String retrying(Retrying r) {
                return sentence(r.cause().message()) + " Attempt " + r.attempt() + " of " + r.maxAttempts() + " at "
                        + time(r.nextAttemptAt(), zone) + ".";
            }

            @Override
            public String cooldown(Cooldown c) {
                return sentence(c.cause().message()) + " A new round of attempts starts at " + time(c.until(), zone)
                        + ".";
            }

            @Override
            public String failed(Failed f) {
                // Spotify Soloist waiting for the user: its own words say what to do, and a button offers it.
                if (SoloistWaits.forConsent(f) || SoloistWaits.forApiKey(f)) {
                    return sentence(f.cause().message());
                }
                return sentence(f.cause().message()) + " " + StateText.failureAdvice(f, storedLogin) + ".";
            }

            @Override
            public String stopped(Stopped s) {
                return "The receiver has stopped";
            }
        });
    }

    /** One row of the recent-changes table. */
    public record Row(Instant time, String state, String cause) {
    }

    /**
     * The table's rows, newest first: one row per change of what is going on. A run of attempts and
     * waits (Connecting, Retrying, Connecting, ...) is one episode and one row, at the time it began,
     * with the number of attempts and the latest cause; so an outage adds one row, however many
     * attempts and countdowns it took. Other states get a row each, a repeat of the same kind merged
     * into the row before (a degradation whose reason changes, say).
     */
    public static List<Row> rows(List<StateChange> history) {
        List<Row> rows = new ArrayList<>();
        int i = 0;
        while (i < history.size()) {
            StateChange first = history.get(i);
            int j = i + 1;
            if (attempting(first.state())) {
                while (j < history.size() && attempting(history.get(j).state())) j++;
                int attempts = 0;
                Failure cause = null;
                for (int k = i; k < j; k++) {
                    ConnectionState s = history.get(k).state();
                    if (s instanceof Connecting) attempts++;
                    if (s instanceof Retrying r) cause = r.cause();
                }
                String label = cause == null ? "Connecting"
                        : "Retrying" + (attempts == 0 ? "" : ", " + attempts + (attempts == 1 ? " attempt" : " attempts"));
                rows.add(new Row(first.time(), label, cause == null ? "" : cause.message()));
            } else {
                String kind = first.state().name();
                while (j < history.size() && history.get(j).state().name().equals(kind)) j++;
                ConnectionState latest = history.get(j - 1).state();
                rows.add(new Row(first.time(), pastState(latest), cause(latest)));
            }
            i = j;
        }
        Collections.reverse(rows);
        return rows;
    }

    private static boolean attempting(ConnectionState s) {
        return s.match(ATTEMPTING);
    }

    /** The states of a run of attempts, which the table shows as one row. */
    private static final ConnectionState.Cases<Boolean> ATTEMPTING = new ConnectionState.Cases<>() {
        @Override public Boolean starting(Starting s) { return false; }
        @Override public Boolean waitingForCredentials(WaitingForCredentials w) { return false; }
        @Override public Boolean connecting(Connecting c) { return true; }
        @Override public Boolean connected(Connected c) { return false; }
        @Override public Boolean degraded(Degraded d) { return false; }
        @Override public Boolean retrying(Retrying r) { return true; }
        @Override public Boolean cooldown(Cooldown c) { return false; }
        @Override public Boolean failed(Failed f) { return false; }
        @Override public Boolean stopped(Stopped s) { return false; }
    };

    /** A past state in a few words, for the history table and the timeline's tooltips. */
    public static String pastState(ConnectionState state) {
        return state.match(PAST_STATE);
    }

    private static final ConnectionState.Cases<String> PAST_STATE = new ConnectionState.Cases<>() {
        @Override public String starting(Starting s) { return s.name(); }
        @Override public String waitingForCredentials(WaitingForCredentials w) { return "Waiting for a Spotify app"; }

        @Override
        public String connecting(Connecting c) {
            return "Connecting (attempt " + c.attempt() + " of " + c.maxAttempts() + ")";
        }

        @Override public String connected(Connected c) { return "Connected as " + c.user(); }
        @Override public String degraded(Degraded d) { return "Connected as " + d.user() + ", degraded"; }
        @Override public String retrying(Retrying r) { return "Retrying: " + StateText.reason(r.cause()); }
        @Override public String cooldown(Cooldown c) { return "Waiting for a new round: " + StateText.reason(c.cause()); }
        @Override public String failed(Failed f) { return "Failed: " + StateText.reason(f.cause()); }
        @Override public String stopped(Stopped s) { return s.name(); }
    };

    /** Why the state came about, or "" when it has no cause. */
    public static String cause(ConnectionState state) {
        return state.match(CAUSE);
    }

    private static final ConnectionState.Cases<String> CAUSE = new ConnectionState.Cases<>() {
        @Override public String starting(Starting s) { return ""; }
        @Override public String waitingForCredentials(WaitingForCredentials w) { return ""; }
        @Override public String connecting(Connecting c) { return ""; }
        @Override public String connected(Connected c) { return ""; }
        @Override public String degraded(Degraded d) { return d.reason(); }
        @Override public String retrying(Retrying r) { return r.cause().message(); }
        @Override public String cooldown(Cooldown c) { return c.cause().message(); }
        @Override public String failed(Failed f) { return f.cause().message(); }
        @Override public String stopped(Stopped s) { return ""; }
    };

    private static final DateTimeFormatter OTHER_DAY = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", java.util.Locale.ENGLISH);
    /** The widest time {@link #tableTime} writes, to size its column. */
    public static final String LONGEST_TABLE_TIME = "Mmm 00 00:00:00";

    /** A row's time: "14:03:27" today, "Dec 4 23:59:01" on another day. */
    public static String tableTime(Instant t, Instant now, ZoneId zone) {
        boolean today = t.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return today ? TIME.format(t.atZone(zone)) : OTHER_DAY.format(t.atZone(zone));
    }

    public static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }

    /** {@code text} as a sentence: ending in a full stop unless it ends in one already. */
    public static String sentenceOf(String text) {
        return sentence(text);
    }

    private static String sentence(String text) {
        String t = text.strip();
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }
}
