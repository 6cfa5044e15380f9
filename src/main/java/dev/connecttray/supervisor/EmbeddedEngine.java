package dev.connecttray.supervisor;

import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.io.IOException;
import java.util.Objects;

/**
 * The embedded engine: our own receiver (librespot-java) as the child, speaking JSON lines, ending
 * with our sysexits codes. It reconnects in place when asked.
 */
public final class EmbeddedEngine implements Engine {
    private final ChildLauncher launcher;

    /** @param launcher starts the receiver process ({@link ProcessChildLauncher} with its command line) */
    public EmbeddedEngine(ChildLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    @Override
    public EngineKind kind() {
        return EngineKind.EMBEDDED;
    }

    @Override
    public Child start(int attemptsUsed, Listener listener) throws IOException {
        return launcher.start(attemptsUsed, listener);
    }

    @Override
    public boolean reconnectsInPlace() {
        return true;
    }

    @Override
    public boolean reportsAttempts() {
        return true;
    }

    @Override
    public ExitVerdict classifyExit(EndedRun run) {
        return classify(run);
    }

    /** How our receiver's exit statuses read: the status it ends with says what it already decided. */
    public static ExitVerdict classify(EndedRun run) {
        int status = run.status();
        Failure reported = run.reported();
        ExitStatus known = ExitStatus.ofCode(status).orElse(null);
        if (known == null && run.crashedBySignal()) {
            return new ExitVerdict.Crashed(Failure.internal("the receiver process was " + run.describeStatus(),
                    "receiver exit " + status));
        }
        if (known == null) {
            return new ExitVerdict.Restart(Failure.transientFailure("The receiver process ended unexpectedly ("
                    + run.describeStatus() + "); restarting it", "receiver exit " + status));
        }
        return switch (known) {
            // Only a child told to stop may end with 0. One that stops by itself (it wrongly thought its
            // supervisor gone, or something signalled it) has left the device unannounced: a failure
            // like any other, restarted, never Stopped.
            case OK -> new ExitVerdict.Restart(Failure.transientFailure("The receiver ended without being asked to "
                    + "(status 0" + (run.lastState() instanceof ConnectionState.Stopped ? ", it said it stopped" : "")
                    + "); restarting it", "receiver exit 0"));
            case NOPERM, CONFIG -> new ExitVerdict.GiveUp(reported != null ? reported : Failure.permanent(
                    "The receiver exited with status " + status + " (" + known.meaning() + ")", ""), known);
            case UNAVAILABLE -> new ExitVerdict.GiveUp(reported != null ? reported : Failure.transientFailure(
                    "Spotify stayed unreachable through the whole retry budget", "receiver exit 69"), known);
            case USAGE -> new ExitVerdict.GiveUp(Failure.internal("The receiver refused the command line it was "
                    + "given (status 64); this is a bug", "receiver exit 64"), ExitStatus.SOFTWARE);
            case SOFTWARE -> new ExitVerdict.Crashed(reported != null ? reported
                    : Failure.internal("internal error", "receiver exit 70"));
            // A receiver stops with 75 when something other than our stop command ended it (a signal).
            case TEMPFAIL -> new ExitVerdict.Restart(reported != null ? reported
                    : run.lastState() instanceof ConnectionState.Stopped
                    ? Failure.transientFailure("The receiver stopped without being asked to (status 75); restarting it",
                    "receiver exit 75")
                    : Failure.transientFailure("The receiver lost its connection and ended; restarting it",
                    "receiver exit 75"));
        };
    }
}
