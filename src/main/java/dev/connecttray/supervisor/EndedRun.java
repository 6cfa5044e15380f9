package dev.connecttray.supervisor;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.util.List;

/**
 * A run of an engine that ended by itself, as the supervisor saw it.
 *
 * @param pid            the process that ended
 * @param status         its exit status (128 + n when signal n ended it)
 * @param lastState      the last state it reported, or null when it reported none
 * @param reported       the failure it reported before it exited, or null
 * @param lastLines      its last log lines, oldest first (empty for an engine whose log is not read)
 */
public record EndedRun(long pid, int status, ConnectionState lastState, Failure reported, List<String> lastLines) {
    public EndedRun {
        lastLines = List.copyOf(lastLines);
    }

    /**
     * Whether a signal of its own making ended it (SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV): a crash.
     * One sent from outside (SIGKILL from the OOM killer or a user, SIGTERM) is not the engine's fault,
     * and every engine is restarted after it alike, without counting it towards a crash loop.
     */
    public boolean crashedBySignal() {
        int signal = status - 128;
        return status > 128 && (signal == 4 || signal == 6 || signal == 7 || signal == 8 || signal == 11);
    }

    /** Whether a signal ended it. */
    public boolean endedBySignal() {
        return status > 128 && status < 128 + 65;
    }

    /** The status in words: "status 1", "killed by SIGSEGV". */
    public String describeStatus() {
        return ReceiverProcess.describeStatus(status);
    }
}
