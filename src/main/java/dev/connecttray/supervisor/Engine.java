package dev.connecttray.supervisor;

import dev.connecttray.config.EngineKind;

/**
 * A Spotify Connect engine run as the supervisor's child: the adapter between one engine's own
 * ways and the supervision every engine gets alike ({@link ReceiverProcess}: backoff with a budget,
 * cooldown, the watchdog, network and resume triggers, history, tray, exit status).
 *
 * <p>An adapter owns four things:
 * <ul>
 *   <li><b>Starting</b> a run ({@link #start}): argv, environment, its private data folder. A
 *       start that cannot succeed until the user acts (no binary, an expired build, no API key)
 *       throws {@link EngineUnusable}.</li>
 *   <li><b>Reading its state</b>: whatever the engine speaks (our JSON lines, a WebSocket, an HTTP
 *       API), reported to the {@link ChildLauncher.Listener} as {@link dev.connecttray.ipc.Event}s:
 *       a state change, or a heartbeat each time the engine was heard from. Silence beyond the
 *       heartbeat limit is a wedged engine. An adapter that decides its engine must be restarted
 *       (a playback stall that persists) reports {@code Failed(transient, TEMPFAIL)} and ends it.</li>
 *   <li><b>Classifying its exit</b> ({@link #classifyExit}): the status plus its last log lines,
 *       into a restart, a counted crash, or a final failure with its exit status.</li>
 *   <li><b>Stopping it</b>: {@link ChildLauncher.Child#send} of {@code STOP}, then
 *       {@link ChildLauncher.Child#terminate} and {@link ChildLauncher.Child#kill}, each as the
 *       engine needs (a whole process group for Soloist).</li>
 * </ul>
 */
public interface Engine extends ChildLauncher {

    EngineKind kind();

    /**
     * Classifies an exit the supervisor did not ask for (not a quit, not a wedged child it ended).
     * Called on the supervisor's thread: it must not block.
     */
    ExitVerdict classifyExit(EndedRun run);

    /**
     * Whether a running child can reconnect in place when sent {@code RECONNECT}. When not (an
     * external engine has no such command), "reconnect now" ends the run and starts a fresh one at
     * once, with a fresh budget.
     */
    default boolean reconnectsInPlace() {
        return false;
    }

    /**
     * Whether the engine reports its own connection attempts ({@code Connecting}), as our receiver
     * does. For one that does not, the supervisor shows {@code Connecting} itself while a restarted
     * run comes up, so no stale "retrying in 0 s" stands meanwhile.
     */
    default boolean reportsAttempts() {
        return false;
    }

    /** What the status window and the tray say about the engine, e.g. "Spotify Soloist 1.3.8.9 · 42 days left". */
    default String describe() {
        return kind().displayName();
    }
}
