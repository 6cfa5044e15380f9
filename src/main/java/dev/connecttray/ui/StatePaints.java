package dev.connecttray.ui;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.view.IconState;
import dev.connecttray.view.TimelineSegments;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Paint;
import javafx.scene.paint.Stop;

/** The colour of a state in the window: the tray icon's colours, so both read alike. */
final class StatePaints {
    static final Color GREEN = Color.web("#2e9d4f");
    static final Color AMBER = Color.web("#e8a317");
    static final Color DARK_AMBER = Color.web("#9a6700");
    static final Color BLUE_GREY = Color.web("#6b8299");
    static final Color RED = Color.web("#d0342c");
    static final Color UNKNOWN = Color.web("#9e9e9e");
    /** Amber with darker diagonal stripes: connected, but not all well. */
    static final Paint DEGRADED = new LinearGradient(0, 0, 6, 6, false, CycleMethod.REPEAT,
            new Stop(0, AMBER), new Stop(0.5, AMBER), new Stop(0.5, DARK_AMBER), new Stop(1, DARK_AMBER));

    private StatePaints() {
    }

    /** What each colour means, for the band's legend; every state's colour is here. */
    static final java.util.List<LegendEntry> LEGEND = java.util.List.of(
            new LegendEntry("Connected", GREEN),
            new LegendEntry("Connecting or retrying", AMBER),
            new LegendEntry("Connected, degraded", DEGRADED),
            new LegendEntry("Waiting for a Spotify app", BLUE_GREY),
            new LegendEntry("Failed", RED),
            new LegendEntry("Not running or unknown", UNKNOWN));

    /** One colour and what it means. */
    record LegendEntry(String label, Paint paint) {
    }

    /** The fill for a span of history in this state; grey where nothing is known ({@link TimelineSegments#known}). */
    static Paint of(ConnectionState state) {
        if (!TimelineSegments.known(state)) return UNKNOWN;
        return of(IconState.of(state));
    }

    static Paint of(IconState icon) {
        return switch (icon) {
            case CONNECTED -> GREEN;
            case BUSY -> AMBER;
            case WAITING -> BLUE_GREY;
            case DEGRADED -> DEGRADED;
            case FAILED -> RED;
        };
    }
}
