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
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;

/**
 * The log line for a state change: the state in words, and for a failure its technical cause
 * and when the next attempt comes; a warning when something is wrong, else info.
 */
public final class StateLog {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private StateLog() {
    }

    public static void log(Logger log, ConnectionState state, Instant now, ZoneId zone) {
        String line = changeText(state, now);
        String detail = detail(state, zone);
        String text = detail.isEmpty() ? line : line + " [" + detail + "]";
        if (state.match(SOMETHING_WRONG)) {
            log.warn("{}", text);
        } else {
            log.info("{}", text);
        }
    }

    /**
     * A state in words as it begins: as {@link StateText#describe}, without how long it has lasted
     * (a connection that has just come up would read "Connected as alice · 0 s").
     */
    public static String changeText(ConnectionState state, Instant now) {
        if (state instanceof Connected c) return "Connected as " + c.user();
        return StateText.describe(state, now);
    }

    /** Whether a state is logged as a warning: something is wrong, not merely on its way. */
    private static final ConnectionState.Cases<Boolean> SOMETHING_WRONG = new ConnectionState.Cases<>() {
        @Override public Boolean starting(Starting s) { return false; }
        @Override public Boolean waitingForCredentials(WaitingForCredentials w) { return false; }
        @Override public Boolean connecting(Connecting c) { return false; }
        @Override public Boolean connected(Connected c) { return false; }
        @Override public Boolean degraded(Degraded d) { return true; }
        @Override public Boolean retrying(Retrying r) { return true; }
        @Override public Boolean cooldown(Cooldown c) { return true; }
        @Override public Boolean failed(Failed f) { return true; }
        @Override public Boolean stopped(Stopped s) { return false; }
    };

    /** The technical cause and what comes next, in brackets after the line; "" for a state that has none. */
    private static String detail(ConnectionState state, ZoneId zone) {
        return state.match(new ConnectionState.Cases<>() {
            @Override public String starting(Starting s) { return ""; }
            @Override public String waitingForCredentials(WaitingForCredentials w) { return ""; }
            @Override public String connecting(Connecting c) { return ""; }
            @Override public String connected(Connected c) { return ""; }
            @Override public String degraded(Degraded d) { return ""; }

            @Override
            public String retrying(Retrying r) {
                return join(r.cause().detail(), "next attempt at " + CLOCK.format(r.nextAttemptAt().atZone(zone)));
            }

            @Override
            public String cooldown(Cooldown c) {
                return join(c.cause().detail(), "next round at " + CLOCK.format(c.until().atZone(zone)));
            }

            @Override
            public String failed(Failed f) {
                return join(f.cause().detail(), "exit status " + f.exitStatus().code());
            }

            @Override public String stopped(Stopped s) { return ""; }
        });
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
