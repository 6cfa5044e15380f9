package dev.connecttray.ui;

import dev.connecttray.core.Threads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Runs a task on the JavaFX thread every so often, while started. A JavaFX {@code Timeline} would
 * do the same, but any running animation keeps JavaFX's pulse going 60 times a second, which cost
 * the tray process a steady 1-2 % of a core while the window counted down one step a second.
 * Start and stop on the JavaFX thread.
 */
final class FxTimer {
    /** One daemon thread for every timer: it only hands the tasks to the JavaFX thread. */
    private static final ScheduledExecutorService TICKS =
            Executors.newSingleThreadScheduledExecutor(Threads.factory("status-window-timer"));

    private final Duration period;
    private final Runnable task;
    private ScheduledFuture<?> running;

    FxTimer(Duration period, Runnable task) {
        this.period = period;
        this.task = task;
    }

    void start() {
        if (running != null) return;
        long millis = period.toMillis();
        running = TICKS.scheduleAtFixedRate(() -> Platform.runLater(() -> {
            if (running != null) task.run();
        }), millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (running == null) return;
        running.cancel(false);
        running = null;
    }

    boolean running() {
        return running != null;
    }
}
