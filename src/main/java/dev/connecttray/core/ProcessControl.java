package dev.connecttray.core;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a running service needs of its process: to hear the stop signals (SIGTERM, SIGINT, SIGHUP)
 * and to make sure the process ends in time. The composition root gives the real one; a test
 * gives one that records what was asked and sends a signal when it likes.
 */
public interface ProcessControl {

    /**
     * From now on a stop signal calls {@code handler} with the signal's name; a signal that came
     * before is handed over at once.
     */
    void onTerminate(Consumer<String> handler);

    /** Whether a stop signal has arrived: the process is on its way out. */
    boolean stopping();

    /** How long after a stop signal the process is halted (with 0) if it has not exited by then. */
    void haltAfterSignal(Duration delay);

    /** Halts the process with {@code status} after {@code delay} unless it has exited by then. */
    void armHalt(ExitStatus status, Duration delay);
}
