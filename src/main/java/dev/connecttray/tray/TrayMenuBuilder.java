package dev.connecttray.tray;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.StateText;
import dev.connecttray.tray.TrayMenu.Action;
import dev.connecttray.tray.TrayMenu.Check;
import dev.connecttray.tray.TrayMenu.Entry;
import dev.connecttray.tray.TrayMenu.Separator;
import dev.connecttray.tray.TrayMenu.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The one place that turns a connection state into the tray's icon, tooltip and menu. */
public final class TrayMenuBuilder {
    private TrayMenuBuilder() {
    }

    /**
     * @param now          for countdowns and durations in the status line
     * @param startAtLogin whether the autostart entry exists, or null when this platform has none
     */
    public static TrayMenu build(ConnectionState state, Instant now, Boolean startAtLogin) {
        String line = StateText.describe(state, countdownClock(state, now));
        ExitStatus quitStatus = state instanceof ConnectionState.Failed f ? f.exitStatus() : ExitStatus.OK;
        List<TrayMenu.Item> items = new java.util.ArrayList<>();
        items.add(new Status(line));
        items.add(new Entry("Reconnect now", Action.RECONNECT, canReconnect(state)));
        items.add(new Entry("Show status\u2026", Action.SHOW_STATUS, true));
        items.add(new Entry("Open log folder", Action.OPEN_LOG_FOLDER, true));
        if (startAtLogin != null) items.add(new Check("Start at login", Action.TOGGLE_START_AT_LOGIN, startAtLogin));
        items.add(new Separator());
        items.add(new Entry(quitLabel(quitStatus), Action.QUIT, true));
        return new TrayMenu(IconState.of(state), line, items);
    }

    /**
     * The clock a countdown is read at, so that the tray's countdown moves in steps its reader
     * needs: every second in the last 10 s, every 5 s up to a minute, every minute beyond; always
     * rounded up, so it never says less than is left. The tray then changes a few times a minute
     * instead of every second, and each change is a call into the desktop's tray (GTK, D-Bus).
     * Other states read {@code now} as it is.
     */
    static Instant countdownClock(ConnectionState state, Instant now) {
        Instant due = state instanceof ConnectionState.Retrying r ? r.nextAttemptAt()
                : state instanceof ConnectionState.Cooldown c ? c.until() : null;
        if (due == null) return now;
        long left = Duration.between(now, due).toMillis();
        if (left <= 10_000) return now;
        long step = left <= 60_000 ? 5_000 : 60_000;
        return due.minusMillis((left + step - 1) / step * step);
    }

    /** "Quit", or "Quit (exit 77)" when quitting would return a failure's status. */
    public static String quitLabel(ExitStatus quitStatus) {
        return quitStatus == ExitStatus.OK ? "Quit" : "Quit (exit " + quitStatus.code() + ")";
    }

    /**
     * Reconnecting means something in every state but these: an attempt is already under way,
     * nothing has started, no Spotify app has handed over credentials yet, or all has stopped.
     */
    public static boolean canReconnect(ConnectionState state) {
        return !(state instanceof ConnectionState.Connecting || state instanceof ConnectionState.Starting
                || state instanceof ConnectionState.WaitingForCredentials || state instanceof ConnectionState.Stopped);
    }
}
