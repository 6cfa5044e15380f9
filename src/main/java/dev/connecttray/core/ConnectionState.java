package dev.connecttray.core;

import java.time.Instant;
import java.util.Objects;

/** Where the connection to Spotify stands. A closed set: every consumer switches over all of it. */
public sealed interface ConnectionState {

    /** The state's name as used in events, logs and history ({@code "Connected"}, ...). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The process is starting; nothing is known yet. */
    record Starting() implements ConnectionState {}

    /** Discoverable on the LAN (Zeroconf), waiting for a Spotify app to pick the device. */
    record WaitingForCredentials(String deviceName) implements ConnectionState {
        public WaitingForCredentials {
            Objects.requireNonNull(deviceName, "deviceName");
        }
    }

    /** An attempt is under way. */
    record Connecting(int attempt, int maxAttempts) implements ConnectionState {}

    /** Logged in, player up, the Connect channel open. */
    record Connected(String user, Instant since) implements ConnectionState {
        public Connected {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(since, "since");
        }
    }

    /** Logged in, but a part is failing (dealer websocket, audio output). */
    record Degraded(String user, Instant since, String reason) implements ConnectionState {
        public Degraded {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The last attempt failed; attempt number {@code attempt} starts at {@code nextAttemptAt}. */
    record Retrying(int attempt, int maxAttempts, Instant nextAttemptAt, Failure cause) implements ConnectionState {
        public Retrying {
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** A round of attempts was used up; a new round starts at {@code until}. */
    record Cooldown(Instant until, Failure cause) implements ConnectionState {
        public Cooldown {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Given up; {@code exitStatus} says why to a process supervisor. */
    record Failed(Failure cause, ExitStatus exitStatus) implements ConnectionState {
        public Failed {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(exitStatus, "exitStatus");
        }
    }

    /** Shut down cleanly. */
    record Stopped() implements ConnectionState {}
}
