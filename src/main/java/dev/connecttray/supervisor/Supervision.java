package dev.connecttray.supervisor;

import dev.connecttray.core.StateChange;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import java.util.List;
import java.util.function.Consumer;

/** The running supervisor as the tray and the status window see it: its states, its engine, and two requests. */
public interface Supervision {

    /** Runs until the receiver is finished with; returns the status the process should exit with. */
    ExitStatus run() throws InterruptedException;

    /** Lets a caller (the tray) see every state as it is published, on the supervisor's thread. */
    void observe(Consumer<ConnectionState> observer);

    /** The engine this supervisor runs, for what the tray and the window say about it. */
    Engine engine();

    /** The state changes so far, oldest first, for the status window. */
    List<StateChange> history();

    /** Reconnect now (the tray's menu, the status window). */
    void reconnectNow();

    /** Quit: stops the receiver; {@link #run} then returns the status quitting gives. */
    void quit();
}
