package dev.connecttray.supervisor;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Children that do what the test says: report states, beat, print garbage, exit. */
final class FakeChildLauncher implements Engine {
    final List<FakeChild> started = new ArrayList<>();
    private final Clock clock;
    private long nextPid = 1000;
    boolean failToStart;
    /** Thrown by the next start, when set: the engine cannot run until the user acts. */
    EngineUnusable unusable;
    boolean reconnectsInPlace = true;

    FakeChildLauncher(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Child start(int attemptsUsed, Listener listener) throws IOException {
        if (failToStart) throw new IOException("launcher not found");
        if (unusable != null) throw unusable;
        FakeChild c = new FakeChild(nextPid++, attemptsUsed, listener);
        started.add(c);
        return c;
    }

    @Override
    public dev.connecttray.config.EngineKind kind() {
        return dev.connecttray.config.EngineKind.EMBEDDED;
    }

    @Override
    public ExitVerdict classifyExit(EndedRun run) {
        return EmbeddedEngine.classify(run);
    }

    @Override
    public boolean reconnectsInPlace() {
        return reconnectsInPlace;
    }

    @Override
    public boolean reportsAttempts() {
        return reconnectsInPlace; // an external engine's fake does neither
    }

    FakeChild last() {
        if (started.isEmpty()) throw new AssertionError("no child was started");
        return started.get(started.size() - 1);
    }

    final class FakeChild implements Child {
        final long pid;
        final int attemptsUsed;
        final Listener listener;
        final List<Command> received = new ArrayList<>();
        int terminated;
        int killed;

        FakeChild(long pid, int attemptsUsed, Listener listener) {
            this.pid = pid;
            this.attemptsUsed = attemptsUsed;
            this.listener = listener;
        }

        void emit(ConnectionState state) {
            listener.event(new Event.StateChanged(clock.instant(), state));
        }

        void beat() {
            listener.event(new Event.Heartbeat(clock.instant(), pid));
        }

        void exit(int status) {
            listener.exited(status);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public void send(Command command) {
            received.add(command);
        }

        @Override
        public void terminate() {
            terminated++;
        }

        @Override
        public void kill() {
            killed++;
        }
    }
}
