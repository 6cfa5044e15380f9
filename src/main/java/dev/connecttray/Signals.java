package dev.connecttray;

import dev.connecttray.core.ExitStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a callback instead of the JVM's default (run shutdown hooks, exit 143):
 * we want an orderly stop and status 0. Installed first thing in {@code main}, so a signal that
 * arrives before there is anything to stop still ends the process with 0.
 */
public final class Signals {
    private static final AtomicReference<Consumer<String>> HANDLER = new AtomicReference<>();
    private static final AtomicReference<String> PENDING = new AtomicReference<>();
    private static volatile Duration haltAfter = Duration.ofSeconds(5);

    private Signals() {
    }

    static void install() {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> dispatch(s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not every platform has both (Windows has no TERM); the JVM's default then applies.
                LoggerFactory.getLogger(Signals.class).debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }

    /**
     * From now on a termination signal calls {@code handler} with the signal's name; a signal that
     * came before is handed over at once.
     */
    public static void onTerminate(Consumer<String> handler) {
        HANDLER.set(handler);
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

    /** Whether a termination signal arrived before anyone could handle it. */
    public static boolean terminationPending() {
        return PENDING.get() != null;
    }

    private static void dispatch(String signal) {
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
