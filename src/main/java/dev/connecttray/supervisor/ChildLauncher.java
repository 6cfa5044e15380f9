package dev.connecttray.supervisor;

import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import java.io.IOException;

/**
 * Starts receiver child processes. A seam: the real one runs the app's own launcher, tests use a
 * scripted fake; {@link Engine} adds what an engine adapter knows besides.
 */
public interface ChildLauncher {

    /**
     * Starts a child. Its events, the lines that are not events, and its exit are reported to
     * {@code listener}, from any thread, in the order they happened; {@code exited} comes last.
     *
     * @param attemptsUsed how much of the current round's retry budget is already spent
     * @throws IOException when the process cannot be started at all
     */
    Child start(int attemptsUsed, Listener listener) throws IOException;

    /** A running child as the supervisor sees it. */
    interface Child {
        long pid();

        /** Sends a command; a child that is gone is ignored (its exit is reported anyway). */
        void send(Command command);

        /** Asks the process to end (SIGTERM on Unix). */
        void terminate();

        /** Ends the process and anything it started, at once (SIGKILL on Unix). */
        void kill();

        /** Its last log lines, oldest first, for classifying its exit; empty when its log is not read. */
        default java.util.List<String> lastLines() {
            return java.util.List.of();
        }
    }

    /** What a child reports. */
    interface Listener {
        void event(Event event);

        /** A line on the child's event channel that is not an event; {@code why} says what is wrong. */
        void malformedLine(String line, String why);

        /** The process ended with {@code status} (128 + n when a signal n ended it). */
        void exited(int status);
    }
}
