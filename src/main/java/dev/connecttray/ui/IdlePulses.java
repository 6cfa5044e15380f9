package dev.connecttray.ui;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import javafx.collections.ListChangeListener;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops JavaFX's pulse timer while no window is showing, and starts it again before one shows.
 *
 * <p>JavaFX renders on a pulse, 60 times a second. It asks its timer to pause when nothing needs a
 * pulse, but the GTK glass implements pause as nothing at all ({@code GtkTimer._pause} is empty in
 * JavaFX 21), so on Linux the JavaFX thread woke 60 times a second for the whole session, tray only
 * or not: 0.4-0.6 % of a core while connected and idle ({@code bench/footprint.sh}), for a window
 * that is mostly closed. Nothing but rendering needs the pulse: {@code Platform.runLater}, the tray
 * library's GTK calls and our {@link FxTimer} run without it.
 *
 * <p>The timer is JavaFX's internal {@code QuantumToolkit.pulseTimer}; the launcher opens that
 * package ({@code --add-opens javafx.graphics/com.sun.javafx.tk.quantum=ALL-UNNAMED} and
 * {@code --add-exports javafx.graphics/com.sun.javafx.tk=ALL-UNNAMED} in jpackage.cfg). Where it
 * cannot be reached, JavaFX keeps its own pulse and only the idle CPU is lost (logged at debug).
 */
final class IdlePulses {
    private static final Logger LOG = LoggerFactory.getLogger(IdlePulses.class);

    private final Object timer;
    private final Method stop;
    private final Method start;
    private final Method isRunning;
    private final int period;
    private boolean stoppedByUs;

    private IdlePulses(Object timer, int period) throws ReflectiveOperationException {
        this.timer = timer;
        this.period = period;
        Class<?> timerClass = Class.forName("com.sun.glass.ui.Timer");
        this.stop = timerClass.getMethod("stop");
        this.start = timerClass.getMethod("start", int.class);
        this.isRunning = timerClass.getMethod("isRunning");
    }

    /**
     * On the JavaFX thread, once it runs: follows the showing windows from now on (tooltips and
     * menus are windows too), stopping the pulse at once when none shows.
     */
    static void install() {
        IdlePulses pulses;
        try {
            pulses = reach();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("JavaFX's pulse timer cannot be reached; it keeps running while no window shows: {}", e.toString());
            return;
        }
        Window.getWindows().addListener((ListChangeListener<Window>) change -> pulses.follow(!Window.getWindows().isEmpty()));
        // JavaFX starts its timer after the start-up runnable that calls this: look again once it has.
        javafx.application.Platform.runLater(() -> pulses.follow(!Window.getWindows().isEmpty()));
    }

    private static IdlePulses reach() throws ReflectiveOperationException {
        Object toolkit = Class.forName("com.sun.javafx.tk.Toolkit").getMethod("getToolkit").invoke(null);
        Class<?> quantum = toolkit.getClass();
        Field timerField = quantum.getDeclaredField("pulseTimer");
        timerField.setAccessible(true);
        Field intervalField = quantum.getDeclaredField("PULSE_INTERVAL");
        intervalField.setAccessible(true);
        Object timer = timerField.get(toolkit);
        if (timer == null) throw new IllegalStateException("no pulse timer yet");
        return new IdlePulses(timer, intervalField.getInt(toolkit));
    }

    /** Runs the timer while a window shows; stops it, only if it runs at the period we restore, while none does. */
    private void follow(boolean windowShowing) {
        try {
            if (windowShowing) {
                if (stoppedByUs) {
                    start.invoke(timer, period);
                    stoppedByUs = false;
                    LOG.debug("A window shows: JavaFX's pulse runs again");
                }
            } else if (!stoppedByUs && (boolean) isRunning.invoke(timer)) {
                stop.invoke(timer);
                stoppedByUs = true;
                LOG.debug("No window shows: JavaFX's pulse stopped");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Could not {} JavaFX's pulse timer: {}", windowShowing ? "restart" : "stop", e.toString());
        }
    }

    /** For tests: whether JavaFX's pulse timer runs now, or null when it cannot be reached. */
    static Boolean pulseRunning() {
        try {
            IdlePulses p = reach();
            return (boolean) p.isRunning.invoke(p.timer);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
