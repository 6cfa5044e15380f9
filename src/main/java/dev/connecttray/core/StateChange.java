package dev.connecttray.core;

import java.time.Instant;
import java.util.Objects;

/** One state change: the state, and when it began. What the history keeps and the window and {@code status} read. */
public record StateChange(Instant time, ConnectionState state) {
    public StateChange {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(state, "state");
    }
}
