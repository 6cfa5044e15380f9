package dev.connecttray;

import dev.connecttray.core.ExitStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * SIGTERM, SIGINT and SIGHUP as a callback instead of the JVM's default (run shutdown hooks, exit
 * 128 + the signal's number): we want an orderly stop and status 0. SIGHUP (the terminal or SSH
 * session that started us closed) is a stop like the others: the history gets its {@code Stopped}
 * and the state folder's lock is released. Installed first thing in {@code main}, so a signal that
 * arrives before there is anything to stop still ends the process with 0.
 *
 * <p>What remains is the JVM's own start, before {@code main} runs (some 0.1 s with the app
 * image's class data archive): a signal then gets the JVM's default, status 128 + its number.
 */
public final class Signals {
    private static final AtomicReference<Consumer<String>> HANDLER = new AtomicReference<>();
    private static final AtomicReference<String> PENDING = new AtomicReference<>();
    private static final java.util.List<String> UNHANDLED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile Duration haltAfter = Duration.ofSeconds(5);
    private static volatile boolean stopping;

    private Signals() {
    }

    /** The signals that stop the program cleanly. */
    static final String[] STOP_SIGNALS = {"TERM", "INT", "HUP"};

    /**
     * Takes over the stop signals. A plain class rather than a lambda: the first lambda costs the
     * JVM tens of milliseconds of bootstrapping, and this runs before anything else.
     */
    static void install() {
        Handler handler = new Handler();
        for (String name : STOP_SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not every platform has them all (Windows has no HUP); the JVM's default then applies.
                // Said once logging runs (onTerminate): logging now would start SLF4J before the rest.
                UNHANDLED.add("SIG" + name + " (" + e.getMessage() + ")");
            }
        }
    }

    private static final class Handler implements sun.misc.SignalHandler {
        @Override
        public void handle(sun.misc.Signal signal) {
            dispatch(signal.getName());
        }
    }

    /**
     * From now on a termination signal calls {@code handler} with the signal's name; a signal that
     * came before is handed over at once.
     */
    public static void onTerminate(Consumer<String> handler) {
        HANDLER.set(handler);
        if (!UNHANDLED.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(Signals.class).debug("Not handled, the JVM's default applies: {}", UNHANDLED);
        }
        String early = PENDING.getAndSet(null);
        if (early != null) handler.accept(early);
    }

    /**
     * How long after a termination signal the JVM is halted with status 0 if it has not exited:
     * 5 s by default; a supervisor, which gives its child 5 s to stop, needs longer.
     */
    public static void haltAfter(Duration delay) {
        haltAfter = delay;
    }

    /** Whether a stop signal has arrived: the process is on its way out. */
    public static boolean stopping() {
        return stopping;
    }

    private static void dispatch(String signal) {
        stopping = true;
        // Whatever happens next, the process is gone with status 0 soon.
        ProcessExit.armHalt(ExitStatus.OK, haltAfter);
        Consumer<String> h = HANDLER.get();
        if (h != null) {
            h.accept(signal);
        } else {
            // Still starting: the start-up path hands it to the handler it registers.
            PENDING.set(signal);
            h = HANDLER.get();
            if (h != null && PENDING.getAndSet(null) != null) h.accept(signal);
        }
    }
}
