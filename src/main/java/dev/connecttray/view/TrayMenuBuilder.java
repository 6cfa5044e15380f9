package dev.connecttray.view;

import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.view.TrayMenu.Action;
import dev.connecttray.view.TrayMenu.Check;
import dev.connecttray.view.TrayMenu.Entry;
import dev.connecttray.view.TrayMenu.Separator;
import dev.connecttray.view.TrayMenu.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place that turns a connection state into the tray's icon, tooltip and menu. */
public final class TrayMenuBuilder {
    private TrayMenuBuilder() {
    }

    /** The menu for the embedded engine, which the menu does not name (it is the default, and what it always was). */
    public static TrayMenu build(ConnectionState state, Instant now, Boolean startAtLogin) {
        return build(state, now, startAtLogin, EngineKind.EMBEDDED, EngineKind.EMBEDDED.displayName());
    }

    /**
     * @param now               for countdowns and durations in the status line
     * @param startAtLogin      whether the autostart entry exists, or null when this platform has none
     * @param engine            the engine the supervisor runs
     * @param engineDescription what the engine says of itself now ({@code Engine.describe()}, e.g.
     *                          "Spotify Soloist 1.3.8.9 · 42 days left"); read anew for every menu
     */
    public static TrayMenu build(ConnectionState state, Instant now, Boolean startAtLogin, EngineKind engine,
                                 String engineDescription) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(engineDescription, "engineDescription");
        String headline = StateText.headline(state, countdownClock(state, now));
        List<TrayMenu.Item> items = new java.util.ArrayList<>();
        // One short line, the same in every state: the menu keeps its shape and its width, every
        // entry stays where the hand expects it. Cause, path and advice are in "Show status…".
        items.add(new Status(fit(headline, MENU_LINE_MAX)));
        // An engine the user chose is named on a second line, there for the whole run (the menu's
        // shape does not change with it); the embedded one, the default, keeps the menu as it was.
        if (engine != EngineKind.EMBEDDED) items.add(new Status(engineLine(engineDescription)));
        items.add(new Entry("Reconnect now", Action.RECONNECT, Actions.canReconnect(state)));
        items.add(new Entry("Show status\u2026", Action.SHOW_STATUS, true));
        items.add(new Entry("Open log folder", Action.OPEN_LOG_FOLDER, true));
        if (startAtLogin != null) items.add(new Check("Start at login", Action.TOGGLE_START_AT_LOGIN, startAtLogin));
        items.add(new Separator());
        items.add(new Entry(Actions.QUIT_LABEL, Action.QUIT, true));
        String warning = engine == EngineKind.EMBEDDED ? null : expiryWarning(engine, engineDescription);
        return new TrayMenu(IconState.of(state), tooltip(headline, warning), items);
    }

    /** Within this many days of its build's end, the engine's days left show in the tooltip too. */
    static final int EXPIRY_WARNING_DAYS = 14;
    private static final String ENGINE_PREFIX = "Engine: ";
    /** How an engine's description says its days left ({@code SoloistEngine.describe}): "42 days left", "1 day left", "expired". */
    private static final Pattern DAYS_LEFT = Pattern.compile("(\\d+) days? left|\\bexpired\\b");

    /**
     * The engine's menu line: "Engine: go-librespot", "Engine: Spotify Soloist 1.3.8.9 · 42 days
     * left"; without "Engine: " when that would not fit in {@link #MENU_LINE_MAX}, cut only beyond that.
     */
    static String engineLine(String description) {
        String line = ENGINE_PREFIX + description;
        return line.length() <= MENU_LINE_MAX ? line : fit(description, MENU_LINE_MAX);
    }

    /**
     * The days left that {@code description} names ("42 days left"), 0 for "expired", empty when
     * it names none (an engine without an expiry, or a build not checked yet).
     */
    public static OptionalLong daysLeft(String description) {
        Matcher m = DAYS_LEFT.matcher(description);
        if (!m.find()) return OptionalLong.empty();
        return m.group(1) == null ? OptionalLong.of(0) : OptionalLong.of(Long.parseLong(m.group(1)));
    }

    /**
     * For the tooltip, when the engine's build runs out within {@link #EXPIRY_WARNING_DAYS} days:
     * "Spotify Soloist: 9 days left"; null otherwise.
     */
    static String expiryWarning(EngineKind engine, String description) {
        OptionalLong days = daysLeft(description);
        if (days.isEmpty() || days.getAsLong() > EXPIRY_WARNING_DAYS) return null;
        Matcher m = DAYS_LEFT.matcher(description);
        m.find();
        return engine.displayName() + ": " + m.group();
    }

    /** The longest a status line in the menu may be: the menu is as wide as its widest line. */
    static final int MENU_LINE_MAX = 48;
    /** The tray's tooltip limit (dorkbox refuses longer ones; see DorkboxTray). */
    public static final int TOOLTIP_MAX = 64;
    private static final String APP = "Connect Tray: ";

    /**
     * The tooltip: the headline, named as this app's when that fits in {@link #TOOLTIP_MAX}
     * characters, else the headline alone (cut only when a user name is absurdly long).
     */
    static String tooltip(String headline) {
        if (APP.length() + headline.length() <= TOOLTIP_MAX) return APP + headline;
        return fit(headline, TOOLTIP_MAX);
    }

    /**
     * The tooltip with an engine's expiry warning after the headline ("Connect Tray: Connected as
     * alice · Spotify Soloist: 9 days left"), the app's name dropped first to make room; where even
     * that does not fit (a long user name), the plain tooltip: the menu's engine line says it too.
     */
    static String tooltip(String headline, String warning) {
        if (warning != null) {
            String tail = DOT + warning;
            if (APP.length() + headline.length() + tail.length() <= TOOLTIP_MAX) return APP + headline + tail;
            if (headline.length() + tail.length() <= TOOLTIP_MAX) return headline + tail;
        }
        return tooltip(headline);
    }

    private static final String DOT = " \u00b7 ";

    /** {@code text}, cut with an ellipsis to at most {@code max} characters. */
    static String fit(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    /**
     * The clock a countdown is read at, so that the tray's countdown moves in steps its reader
     * needs: every second in the last 10 s, every 5 s up to a minute, every minute beyond; always
     * rounded up, so it never says less than is left. The tray then changes a few times a minute
     * instead of every second, and each change is a call into the desktop's tray (GTK, D-Bus).
     * Other states read {@code now} as it is.
     */
    static Instant countdownClock(ConnectionState state, Instant now) {
        Instant due = StateText.countdownTo(state);
        if (due == null) return now;
        long left = Duration.between(now, due).toMillis();
        if (left <= 10_000) return now;
        long step = left <= 60_000 ? 5_000 : 60_000;
        return due.minusMillis((left + step - 1) / step * step);
    }
}
