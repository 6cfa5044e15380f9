package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;
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
        if (state instanceof ConnectionState.Failed || state instanceof ConnectionState.Retrying
                || state instanceof ConnectionState.Cooldown || state instanceof ConnectionState.Degraded) {
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
        if (state instanceof ConnectionState.Connected c) return "Connected as " + c.user();
        return StateText.describe(state, now);
    }

    private static String detail(ConnectionState state, ZoneId zone) {
        if (state instanceof ConnectionState.Retrying r) {
            return join(r.cause().detail(), "next attempt at " + CLOCK.format(r.nextAttemptAt().atZone(zone)));
        }
        if (state instanceof ConnectionState.Cooldown c) {
            return join(c.cause().detail(), "next round at " + CLOCK.format(c.until().atZone(zone)));
        }
        if (state instanceof ConnectionState.Failed f) {
            return join(f.cause().detail(), "exit status " + f.exitStatus().code());
        }
        return "";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
