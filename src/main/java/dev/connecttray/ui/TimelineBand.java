package dev.connecttray.ui;

import dev.connecttray.view.StatusTexts;
import dev.connecttray.view.TimelineSegments.Segment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.layout.Region;

/**
 * The last hours as a horizontal band coloured by state, with a tick at every full hour and a time
 * under every third. Hovering a span tells its times, state and cause.
 */
final class TimelineBand extends Region {
    static final double BAND_HEIGHT = 22;
    private static final double TICK = 4;
    private static final double MAJOR_TICK = 8;
    private static final int HOURS_PER_LABEL = 3;

    private final List<Rectangle> bars = new ArrayList<>();
    private final List<Segment> barSegments = new ArrayList<>();
    private final List<Line> ticks = new ArrayList<>();
    private final List<Instant> tickTimes = new ArrayList<>();
    private final List<Label> hourLabels = new ArrayList<>();
    private final List<Instant> hourLabelTimes = new ArrayList<>();
    private Instant start = Instant.EPOCH;
    private Instant end = Instant.EPOCH.plusSeconds(1);

    TimelineBand() {
        getStyleClass().add("timeline");
        setMinHeight(Region.USE_PREF_SIZE);
        setAccessibleText("Connection state over the last 24 hours; the table below lists every change");
    }

    /** Draws {@code segments}, which cover {@code [now - window, now]}; times of day are in {@code zone}. */
    void show(List<Segment> segments, Instant now, Duration window, ZoneId zone) {
        start = now.minus(window);
        end = now;
        getChildren().clear();
        bars.clear();
        barSegments.clear();
        ticks.clear();
        tickTimes.clear();
        hourLabels.clear();
        hourLabelTimes.clear();

        for (Segment s : segments) {
            Rectangle bar = new Rectangle();
            bar.getStyleClass().add("timeline-segment");
            bar.setFill(StatePaints.of(s.state()));
            Tooltip tip = new Tooltip(tooltip(s, zone));
            tip.setShowDelay(javafx.util.Duration.millis(150));
            Tooltip.install(bar, tip);
            bars.add(bar);
            barSegments.add(s);
        }
        getChildren().addAll(bars);

        ZonedDateTime hour = start.atZone(zone).truncatedTo(ChronoUnit.HOURS);
        for (; !hour.toInstant().isAfter(end); hour = hour.plusHours(1)) {
            if (hour.toInstant().isBefore(start)) continue;
            Line tick = new Line();
            tick.getStyleClass().add("timeline-tick");
            ticks.add(tick);
            tickTimes.add(hour.toInstant());
            if (hour.getHour() % HOURS_PER_LABEL == 0) {
                tick.getStyleClass().add("major");
                Label label = new Label(String.format(Locale.ROOT, "%02d:00", hour.getHour()));
                label.getStyleClass().add("timeline-hour");
                hourLabels.add(label);
                hourLabelTimes.add(hour.toInstant());
            }
        }
        getChildren().addAll(ticks);
        getChildren().addAll(hourLabels);
        requestLayout();
    }

    /** The legend under the band: a swatch and a word for every colour it can show. Wraps when narrow. */
    static javafx.scene.layout.FlowPane legend() {
        javafx.scene.layout.FlowPane legend = new javafx.scene.layout.FlowPane(14, 4);
        legend.setId("timeline-legend");
        legend.getStyleClass().add("timeline-legend");
        for (StatePaints.LegendEntry e : StatePaints.LEGEND) {
            Rectangle swatch = new Rectangle(12, 12, e.paint());
            swatch.getStyleClass().add("timeline-swatch");
            Label label = new Label(e.label(), swatch);
            label.setGraphicTextGap(5);
            label.getStyleClass().add("timeline-legend-entry");
            legend.getChildren().add(label);
        }
        return legend;
    }

    static String tooltip(Segment s, ZoneId zone) {
        String range = StatusTexts.time(s.from(), zone) + " \u2013 " + StatusTexts.time(s.to(), zone);
        if (s.state() == null) return range + "\nNothing known: Connect Tray was not running or kept no history";
        String cause = StatusTexts.cause(s.state());
        return range + "\n" + StatusTexts.pastState(s.state()) + (cause.isEmpty() ? "" : "\n" + cause);
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset();
        double top = snappedTopInset();
        double width = Math.max(1, getWidth() - left - snappedRightInset());
        for (int i = 0; i < bars.size(); i++) {
            Segment s = barSegments.get(i);
            double x0 = x(s.from(), left, width);
            double x1 = x(s.to(), left, width);
            Rectangle bar = bars.get(i);
            bar.setX(x0);
            bar.setY(top);
            // A drop-out of seconds is a fraction of a pixel in a day: keep it visible.
            bar.setWidth(Math.max(1, x1 - x0));
            bar.setHeight(BAND_HEIGHT);
        }
        for (int i = 0; i < ticks.size(); i++) {
            double x = snapPositionX(x(tickTimes.get(i), left, width)) + 0.5;
            Line tick = ticks.get(i);
            tick.setStartX(x);
            tick.setEndX(x);
            tick.setStartY(top + BAND_HEIGHT);
            tick.setEndY(top + BAND_HEIGHT + (tick.getStyleClass().contains("major") ? MAJOR_TICK : TICK));
        }
        for (int i = 0; i < hourLabels.size(); i++) {
            Label label = hourLabels.get(i);
            double w = label.prefWidth(-1);
            double h = label.prefHeight(w);
            double x = x(hourLabelTimes.get(i), left, width) - w / 2;
            x = Math.max(left, Math.min(x, left + width - w));
            label.resizeRelocate(snapPositionX(x), top + BAND_HEIGHT + MAJOR_TICK, w, h);
        }
    }

    private double x(Instant t, double left, double width) {
        double span = Duration.between(start, end).toMillis();
        return left + width * Duration.between(start, t).toMillis() / span;
    }

    @Override
    protected double computePrefHeight(double width) {
        double label = hourLabels.isEmpty() ? 16 : hourLabels.get(0).prefHeight(-1);
        return snappedTopInset() + BAND_HEIGHT + MAJOR_TICK + label + snappedBottomInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 480;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 240;
    }
}
