package dev.connecttray.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Starts JavaFX the way a tray app needs it: from the class path, without an {@code Application}
 * subclass (whose launcher insists on owning the main thread and the module path), and without
 * quitting when the last window closes.
 */
public final class FxPlatform {
    private static final long START_TIMEOUT_SECONDS = 30;

    private FxPlatform() {
    }

    /**
     * Starts the toolkit and waits until its thread runs; harmless when it already runs.
     *
     * @throws UnsupportedOperationException JavaFX cannot run here, for example no display can be opened
     * @throws IllegalStateException         the toolkit did not start within 30 seconds
     * @throws InterruptedException          interrupted while waiting for the toolkit
     */
    public static void start() throws InterruptedException {
        Platform.setImplicitExit(false);
        CountDownLatch started = new CountDownLatch(1);
        try {
            Platform.startup(started::countDown);
        } catch (IllegalStateException alreadyRunning) {
            return;
        }
        if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JavaFX did not start within " + START_TIMEOUT_SECONDS + " s");
        }
    }
}
