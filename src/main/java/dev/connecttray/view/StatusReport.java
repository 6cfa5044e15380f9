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
import dev.connecttray.core.StateChange;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What {@code connect-tray status} prints: whether an instance runs, its state now, its last changes. */
public final class StatusReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StatusReport() {
    }

    /** As {@link #render(OptionalLong, Path, Optional, List, Instant, ZoneId)} without a noted engine. */
    public static String render(OptionalLong runningPid, Path stateDir, List<StateChange> recent, Instant now,
                                ZoneId zone) {
        return render(runningPid, stateDir, Optional.empty(), recent, now, zone);
    }

    /**
     * @param runningPid the pid of the instance holding {@code stateDir}, if one runs
     * @param engine     the engine the running instance noted ({@code StatusNote}), printed when there is one
     * @param recent     the newest history entries, oldest first
     */
    public static String render(OptionalLong runningPid, Path stateDir, Optional<String> engine,
                                List<StateChange> recent, Instant now, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        if (runningPid.isPresent()) {
            out.append("Connect Tray is running (pid ").append(runningPid.getAsLong()).append(", state folder ")
                    .append(stateDir).append(").\n");
            if (recent.isEmpty()) {
                out.append("Now: Starting\n");
            } else {
                out.append("Now: ").append(StateText.describe(recent.get(recent.size() - 1).state(), now)).append('\n');
            }
            engine.ifPresent(e -> out.append("Engine: ").append(e).append('\n'));
        } else {
            out.append("No Connect Tray is running with the state folder ").append(stateDir).append(".\n");
            if (!recent.isEmpty()) {
                StateChange last = recent.get(recent.size() - 1);
                out.append("Last known state, at ").append(WHEN.format(last.time().atZone(zone))).append(": ")
                        .append(lastKnown(last)).append('\n');
            }
        }
        if (!recent.isEmpty()) {
            out.append("\nRecent changes:\n");
            for (StateChange e : recent) {
                out.append("  ").append(WHEN.format(e.time().atZone(zone))).append("  ").append(change(e)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A change as the tray says it (its headline at the time), with the cause the headline leaves
     * out in brackets: "Spotify unreachable · retrying in 8 s (attempt 2 of 10: connection refused)".
     */
    static String change(StateChange e) {
        String headline = StateText.headline(e.state(), e.time());
        String detail = e.state().match(LEFT_OUT);
        return detail == null ? headline : headline + " (" + detail + ")";
    }

    /** What a state's headline leaves out, or null when it leaves out nothing. */
    private static final ConnectionState.Cases<String> LEFT_OUT = new ConnectionState.Cases<>() {
        @Override public String starting(Starting s) { return null; }

        @Override
        public String waitingForCredentials(WaitingForCredentials w) {
            return "pick \u201c" + w.deviceName() + "\u201d in a Spotify app";
        }

        @Override public String connecting(Connecting c) { return null; }
        @Override public String connected(Connected c) { return null; }
        @Override public String degraded(Degraded d) { return d.reason(); }

        @Override
        public String retrying(Retrying r) {
            return "attempt " + r.attempt() + " of " + r.maxAttempts() + ": " + StateText.lowerFirst(r.cause().message());
        }

        @Override public String cooldown(Cooldown c) { return StateText.lowerFirst(c.cause().message()); }
        @Override public String failed(Failed f) { return StateText.lowerFirst(f.cause().message()); }
        @Override public String stopped(Stopped s) { return null; }
    };

    /** Typographic characters and the plain ones that stand in for them where a console cannot show them. */
    private static final String[][] PLAIN = {
            {"\u201c", "\""}, {"\u201d", "\""}, {"\u201e", "\""}, {"\u2018", "'"}, {"\u2019", "'"},
            {"\u00b7", "-"}, {"\u2013", "-"}, {"\u2014", "-"}, {"\u2026", "..."}, {"\u2192", "->"}};

    /**
     * {@code text} as a console with {@code charset} can show it: quotes, dots and dashes it cannot
     * encode become their plain ASCII forms (under a C or POSIX locale Java would print '?' for them).
     * Anything else is left as it is: a name's letters are the user's.
     */
    public static String forConsole(String text, Charset charset) {
        CharsetEncoder encoder = charset.newEncoder();
        String result = text;
        for (String[] pair : PLAIN) {
            if (result.contains(pair[0]) && !encoder.canEncode(pair[0])) result = result.replace(pair[0], pair[1]);
        }
        return result;
    }

    /** A state as it was last seen; how long a connection lasted is not known, so none is shown. */
    private static String lastKnown(StateChange e) {
        return StateLog.changeText(e.state(), e.time());
    }
}
