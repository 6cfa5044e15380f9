package dev.connecttray.ui;

import dev.connecttray.core.Threads;
import dev.connecttray.desktop.GtkEnvironment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts JavaFX the way a tray app needs it: from the class path, without an {@code Application}
 * subclass (whose launcher insists on owning the main thread and the module path), and without
 * quitting when the last window closes.
 *
 * <p>In tray mode JavaFX starts before the tray library, because both use GTK on Linux and only one
 * may run its main loop: the tray library is then told to use JavaFX's (see
 * {@code dev.connecttray.tray.JavaFxGtkRenderer}). Starting takes a few hundred milliseconds, so
 * {@link #startInBackground} begins it while the app reads its configuration.
 */
public final class FxPlatform {
    private static final Logger LOG = LoggerFactory.getLogger(FxPlatform.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    /**
     * The application name JavaFX gives its windows' WM_CLASS on X11 (both parts; JavaFX's own default
     * is "java"), which desktops match with a desktop file's StartupWMClass.
     */
    public static final String WM_CLASS = "connect-tray";

    private static CompletableFuture<Void> starting;

    private FxPlatform() {
    }

    /** Begins starting the toolkit on a thread of its own; {@link #start} waits for it. Any thread, any number of times. */
    public static synchronized void startInBackground() {
        if (starting != null) return;
        CompletableFuture<Void> result = new CompletableFuture<>();
        starting = result;
        Threads.start("javafx-start", () -> {
            try {
                startNow();
                result.complete(null);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
    }

    /**
     * Starts the toolkit (or waits for {@link #startInBackground}) until its thread runs; harmless when it already runs.
     *
     * @throws UnsupportedOperationException JavaFX cannot run here, for example no display can be opened
     * @throws IllegalStateException         the toolkit did not start within 30 seconds
     * @throws InterruptedException          interrupted while waiting for the toolkit
     */
    public static void start() throws InterruptedException {
        startInBackground();
        CompletableFuture<Void> result;
        synchronized (FxPlatform.class) {
            result = starting;
        }
        try {
            result.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("JavaFX did not start within " + START_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    /** Whether the toolkit has started (and not failed to). */
    public static synchronized boolean started() {
        return starting != null && starting.isDone() && !starting.isCompletedExceptionally();
    }

    private static void startNow() throws InterruptedException {
        long begun = System.nanoTime();
        GtkEnvironment.prepare();
        // JavaFX's OpenGL pipeline maps the Mesa driver and LLVM (some 60 MB resident, measured on
        // Debian 12) into a process that lives as long as the session, for one small window that
        // software draws as well. A user's own -Dprism.order stands.
        if (System.getProperty("prism.order") == null) System.setProperty("prism.order", "sw");
        // The tray library starts AWT's X11 toolkit, which installs its own X error handler: after
        // GTK had opened the display, GTK then warned on stderr ("XSetErrorHandler() called with a
        // GDK error trap pushed"). AWT first, and GTK installs its handler over AWT's.
        if (!java.awt.GraphicsEnvironment.isHeadless()) java.awt.Toolkit.getDefaultToolkit();
        long awtReady = System.nanoTime();
        Platform.setImplicitExit(false);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        try {
            Platform.startup(() -> {
                nameApplication();
                IdlePulses.install();
                started.countDown();
            });
        } catch (IllegalStateException alreadyRunning) {
            return;
        }
        if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JavaFX did not start within " + START_TIMEOUT_SECONDS + " s");
        }
        LOG.debug("JavaFX started in {} ms (GTK environment and AWT {} ms)", (System.nanoTime() - begun) / 1_000_000,
                (awtReady - begun) / 1_000_000);
    }

    /**
     * Names the application for the windowing system, as JavaFX's own launcher does with the
     * {@code Application} subclass's name: the GTK glass reads it for every window's WM_CLASS.
     * {@code com.sun.glass.ui} is JavaFX's internal package: the launcher opens it
     * ({@code --add-exports javafx.graphics/com.sun.glass.ui=ALL-UNNAMED} in jpackage.cfg); without
     * that the class stays "java", which costs only the desktop's grouping of the window.
     */
    private static void nameApplication() {
        try {
            Class<?> glass = Class.forName("com.sun.glass.ui.Application");
            Object app = glass.getMethod("GetApplication").invoke(null);
            if (app != null) glass.getMethod("setName", String.class).invoke(app, WM_CLASS);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Could not name the application for its windows' WM_CLASS: {}", e.toString());
        }
    }
}
