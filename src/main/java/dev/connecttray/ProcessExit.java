package dev.connecttray;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Threads;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way out of the program: logs the status (when a service ran), then exits; if anything (a library's shutdown
 * hook, a stuck thread) keeps the JVM from exiting in time, halts it with the same status.
 */
public final class ProcessExit {
    /** How long {@link System#exit} may take before the JVM is halted. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(3);

    private ProcessExit() {
    }

    public static void exit(ExitStatus status) {
        // Looked up here, not in a static field: armHalt runs on a signal thread, possibly while SLF4J starts.
        Logger log = LoggerFactory.getLogger(ProcessExit.class);
        if (status == ExitStatus.OK) {
            log.info("Exiting with status 0");
        } else {
            log.info("Exiting with status {} ({})", status.code(), status.meaning());
        }
        exitSilently(status);
    }

    /**
     * Exits without a log line: for a command that answers a question ({@code --help}, {@code
     * status}, a bad flag), whose output is its answer alone.
     */
    public static void exitSilently(ExitStatus status) {
        armHalt(status, EXIT_GRACE);
        System.out.flush();
        System.err.flush();
        System.exit(status.code());
    }

    /**
     * Makes every uncaught exception on any thread reach the log, and ends the process with 75
     * (a service manager or the parent starts a fresh one) when the JVM is out of memory or
     * threads: nothing in a process that cannot make a thread can be trusted to work.
     */
    public static void installUncaughtHandler() {
        Thread.setDefaultUncaughtExceptionHandler(uncaughtHandler(
                code -> Runtime.getRuntime().halt(code), LoggerFactory.getLogger(ProcessExit.class)));
    }

    static Thread.UncaughtExceptionHandler uncaughtHandler(java.util.function.IntConsumer halt, Logger log) {
        return (thread, thrown) -> {
            if (thrown instanceof VirtualMachineError) {
                // Say it on stderr first: logging itself may need memory or a thread it cannot get.
                System.err.println("connect-tray: the JVM ran out of memory or threads (" + thrown
                        + ", in thread \"" + thread.getName() + "\"); halting with status "
                        + ExitStatus.TEMPFAIL.code() + " so that a fresh process starts");
                System.err.flush();
                halt.accept(ExitStatus.TEMPFAIL.code());
                return;
            }
            log.error("Uncaught exception in thread \"{}\": {}", thread.getName(), thrown.toString(), thrown);
        };
    }

    /** Halts the JVM with {@code status} after {@code delay} unless it has exited by then. */
    public static void armHalt(ExitStatus status, Duration delay) {
        Threads.start("exit-watchdog", () -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("connect-tray: shutdown took longer than " + delay.toSeconds()
                    + " s; halting with status " + status.code());
            System.err.flush();
            Runtime.getRuntime().halt(status.code());
        });
    }
}
