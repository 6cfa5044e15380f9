package dev.connecttray.tray;

import dorkbox.jna.rendering.ProviderType;
import dorkbox.jna.rendering.Renderer;
import javafx.application.Platform;

/**
 * Tells dorkbox that JavaFX runs GTK's main loop in this process: dorkbox then starts no loop of
 * its own (its "GTK Native Event Loop" thread) and does its GTK work on the JavaFX Application
 * Thread. Two threads each running a GTK main loop on GTK's one default context take each other's
 * work: JavaFX's {@code runLater} tasks ran on dorkbox's thread, and the loops spun against each
 * other at full CPU.
 *
 * <p>Install it with {@code dorkbox.jna.rendering.RenderProvider.set} after JavaFX started and
 * before the tray library loads GTK.
 */
final class JavaFxGtkRenderer implements Renderer {
    /** JavaFX 21 on Linux runs on GTK 3 only (it removed GTK 2). */
    static final int GTK_VERSION = 3;

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public ProviderType getType() {
        return ProviderType.JAVAFX;
    }

    @Override
    public boolean alreadyRunning() {
        return true;
    }

    @Override
    public boolean isEventThread() {
        return Platform.isFxApplicationThread();
    }

    @Override
    public int getGtkVersion() {
        return GTK_VERSION;
    }

    /**
     * Runs {@code work} on the JavaFX thread: at once when called there (dorkbox waits for some of
     * its work, and a JavaFX thread waiting for a task queued behind itself would wait out dorkbox's
     * 2 s timeout), else queued.
     */
    @Override
    public boolean dispatch(Runnable work) {
        if (Platform.isFxApplicationThread()) {
            work.run();
        } else {
            Platform.runLater(work);
        }
        return true;
    }
}
