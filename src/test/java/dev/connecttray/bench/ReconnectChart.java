package dev.connecttray.bench;

import dev.connecttray.core.DurationText;
import dev.connecttray.bench.ReconnectData.Wait;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.RetrySettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.util.StringConverter;
import javax.imageio.ImageIO;

/**
 * Draws bench/reconnect.png: each measured wait before a retry against the configured backoff
 * curve and its jitter band, the recovery marked. Prints {@code ratio <measured/configured>} per
 * wait and {@code verdict met|missed} on stdout for bench/reconnect.sh.
 *
 * <p>Usage: {@code ReconnectChart HISTORY_FILE CONFIG_FILE PNG_FILE [TOLERANCE_MS]}. Runs JavaFX
 * headless on Monocle with software rendering unless told otherwise.
 */
public final class ReconnectChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    /** Series in this order, so that {@code default-colorN} below names them. */
    private static final String CSS = """
            .chart { -fx-background-color: white; -fx-padding: 12 20 8 8; }
            .chart-title { -fx-font-size: 17px; -fx-text-alignment: center; }
            .chart-legend { -fx-background-color: transparent; }
            .default-color0.chart-series-line { -fx-stroke: transparent; -fx-fill: rgba(31, 119, 180, 0.16); }
            .default-color0.chart-line-symbol { -fx-background-color: rgba(31, 119, 180, 0.3); -fx-background-radius: 0; }
            .default-color1.chart-series-line { -fx-stroke: #1f77b4; -fx-stroke-width: 2px; -fx-stroke-dash-array: 8 5; }
            .default-color1.chart-line-symbol { -fx-background-color: #1f77b4, white; -fx-background-radius: 0; -fx-padding: 3px; }
            .default-color2.chart-series-line { -fx-stroke: transparent; }
            .default-color2.chart-line-symbol { -fx-background-color: #d62728, white; -fx-background-insets: 0, 2;
                -fx-background-radius: 6px; -fx-padding: 6px; }
            .default-color3.chart-series-line { -fx-stroke: transparent; }
            .default-color3.chart-line-symbol { -fx-background-color: #2ca02c; -fx-padding: 9px;
                -fx-shape: "M0,5 L5,0 L10,5 L5,10 Z"; }
            """;

    private ReconnectChart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ReconnectChart HISTORY_FILE CONFIG_FILE PNG_FILE [TOLERANCE_MS]");
            System.exit(64);
        }
        Path history = Path.of(args[0]);
        RetrySettings settings = SettingsLoader.load(Path.of(args[1]), true, AfterGiveUp.EXIT).settings().retry();
        Path png = Path.of(args[2]);
        Duration tolerance = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 50);

        List<Wait> waits = ReconnectData.waits(ReconnectData.entries(Files.readAllLines(history, StandardCharsets.UTF_8)), settings);
        if (waits.isEmpty()) {
            System.err.println("no wait between a failed attempt and the next in " + history);
            System.exit(1);
        }
        for (Wait w : waits) {
            System.out.printf(Locale.ROOT, "ratio %.3f%n", w.ratio());
            System.err.printf(Locale.ROOT, "retry %d: waited %.3f s, configured %.3f s (band %.3f-%.3f s)%s%s%n",
                    w.retry(), ReconnectData.seconds(w.measured()), ReconnectData.seconds(w.configured()),
                    ReconnectData.seconds(ReconnectData.lowest(settings, w.retry())),
                    ReconnectData.seconds(ReconnectData.highest(settings, w.retry())),
                    ReconnectData.withinBand(w, settings, tolerance) ? "" : "  OUTSIDE THE BAND",
                    w.recovery() ? "  -> Connected" : "");
        }
        System.out.println("verdict " + ReconnectData.verdict(waits, settings, tolerance));

        headlessUnlessTold();
        CompletableFuture<WritableImage> snapshot = new CompletableFuture<>();
        Platform.startup(() -> {
            try {
                snapshot.complete(new Scene(chart(waits, settings), WIDTH, HEIGHT).snapshot(null));
            } catch (RuntimeException | Error e) {
                snapshot.completeExceptionally(e);
            }
        });
        try {
            writePng(snapshot.get(60, TimeUnit.SECONDS), png);
        } finally {
            Platform.exit();
        }
        System.exit(0); // a toolkit thread that lingers must not keep the bench waiting
    }

    private static void headlessUnlessTold() {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
    }

    static LineChart<Number, Number> chart(List<Wait> waits, RetrySettings s) {
        int last = waits.get(waits.size() - 1).retry();
        double top = Math.max(ReconnectData.seconds(ReconnectData.highest(s, last)),
                waits.stream().mapToDouble(w -> ReconnectData.seconds(w.measured())).max().orElse(0));
        NumberAxis x = new NumberAxis("retry n: the wait after the n-th refused attempt, before attempt n + 1", 0.5, last + 0.5, 1);
        NumberAxis y = new NumberAxis("delay before the attempt (s)", 0, Math.ceil(top * 1.1), 2);
        x.setMinorTickVisible(false);
        x.setTickLabelFormatter(new StringConverter<>() { // no labels at the half-step bounds
            @Override
            public String toString(Number n) {
                return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.intValue()) : "";
            }

            @Override
            public Number fromString(String text) {
                return Double.valueOf(text);
            }
        });
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setAnimated(false);
        chart.setAxisSortingPolicy(LineChart.SortingPolicy.NONE); // the band is a closed outline
        chart.setTitle(String.format(Locale.ROOT, "Reconnect backoff: %d refused attempts, then recovery%n"
                        + "configured delay = %s \u00d7 %s^(n\u22121), capped at %s; jitter \u2212%d %%",
                last, DurationText.duration(s.initialDelay()), trim(s.multiplier()),
                DurationText.duration(s.maxDelay()), Math.round(s.jitter() * 100)));

        XYChart.Series<Number, Number> band = series(String.format(Locale.ROOT, "jitter band: configured \u2212 up to %d %%", Math.round(s.jitter() * 100)));
        for (int n = 1; n <= last; n++) band.getData().add(point(n, ReconnectData.lowest(s, n)));
        for (int n = last; n >= 1; n--) band.getData().add(point(n, ReconnectData.highest(s, n)));
        XYChart.Series<Number, Number> curve = series("configured delay");
        for (int n = 1; n <= last; n++) curve.getData().add(point(n, ReconnectData.configured(s, n)));
        XYChart.Series<Number, Number> measured = series("measured wait (history.jsonl)");
        XYChart.Series<Number, Number> recovery = series("recovery: the fake accepted, the next attempt connected");
        for (Wait w : waits) (w.recovery() ? recovery : measured).getData().add(point(w.retry(), w.measured()));

        chart.getData().addAll(List.of(band, curve, measured, recovery));
        band.getData().forEach(d -> d.getNode().setVisible(false));
        chart.getStylesheets().add("data:text/css;base64,"
                + Base64.getEncoder().encodeToString(CSS.getBytes(StandardCharsets.UTF_8)));
        return chart;
    }

    private static XYChart.Series<Number, Number> series(String name) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }

    private static XYChart.Data<Number, Number> point(int retry, Duration delay) {
        return new XYChart.Data<>(retry, ReconnectData.seconds(delay));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Through java.desktop's ImageIO: javafx-swing's SwingFXUtils is not a dependency. */
    static void writePng(WritableImage image, Path png) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] argb = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        out.setRGB(0, 0, w, h, argb, 0, w);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(out, "png", png.toFile())) throw new IOException("no PNG writer in this JDK");
    }
}
