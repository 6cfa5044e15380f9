package dev.connecttray.supervisor;

import dev.connecttray.core.StateText;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;

/** What {@code connect-tray status} prints: whether an instance runs, its state now, its last changes. */
public final class StatusReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StatusReport() {
    }

    /**
     * @param runningPid the pid of the instance holding {@code stateDir}, if one runs
     * @param recent     the newest history entries, oldest first
     */
    public static String render(OptionalLong runningPid, Path stateDir, List<StateHistory.Entry> recent, Instant now,
                                ZoneId zone) {
        StringBuilder out = new StringBuilder();
        if (runningPid.isPresent()) {
            out.append("Connect Tray is running (pid ").append(runningPid.getAsLong()).append(", state folder ")
                    .append(stateDir).append(").\n");
            if (recent.isEmpty()) {
                out.append("Now: Starting\n");
            } else {
                out.append("Now: ").append(StateText.describe(recent.get(recent.size() - 1).state(), now)).append('\n');
            }
        } else {
            out.append("No Connect Tray is running with the state folder ").append(stateDir).append(".\n");
            if (!recent.isEmpty()) {
                StateHistory.Entry last = recent.get(recent.size() - 1);
                out.append("Last known state, at ").append(WHEN.format(last.time().atZone(zone))).append(": ")
                        .append(lastKnown(last)).append('\n');
            }
        }
        if (!recent.isEmpty()) {
            out.append("\nRecent changes:\n");
            for (StateHistory.Entry e : recent) {
                out.append("  ").append(WHEN.format(e.time().atZone(zone))).append("  ")
                        .append(String.format("%-21s", e.state().name())).append(' ')
                        .append(StateText.describe(e.state(), e.time())).append('\n');
            }
        }
        return out.toString();
    }

    /** A state as it was last seen; how long a connection lasted is not known, so none is shown. */
    private static String lastKnown(StateHistory.Entry e) {
        if (e.state() instanceof dev.connecttray.core.ConnectionState.Connected c) return "Connected as " + c.user();
        return StateText.describe(e.state(), e.time());
    }
}
