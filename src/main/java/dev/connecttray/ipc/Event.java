package dev.connecttray.ipc;

import dev.connecttray.core.ConnectionState;
import java.time.Instant;
import java.util.Objects;

/** What a receiver process reports, one JSON object per line on its stdout. */
public sealed interface Event {
    Instant time();

    /** The connection state changed. */
    record StateChanged(Instant time, ConnectionState state) implements Event {
        public StateChanged {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(state, "state");
        }
    }

    /** The receiver is alive and its event loop responsive; sent every few seconds. */
    record Heartbeat(Instant time, long pid) implements Event {
        public Heartbeat {
            Objects.requireNonNull(time, "time");
        }
    }
}
