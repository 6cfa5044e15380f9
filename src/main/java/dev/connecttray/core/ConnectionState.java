package dev.connecttray.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the connection to Spotify stands. A closed set: every presentation of a state (its words,
 * its icon, its menu line, its notification) is a {@link Cases}, so a new state does not compile
 * until each of them says what it shows for it.
 */
public sealed interface ConnectionState {

    /** What {@code cases} makes of this state: the one method of it that names this state's record. */
    <R> R match(Cases<R> cases);

    /** One method per state; Java 17 has no exhaustive switch over a sealed interface, this stands in for it. */
    interface Cases<R> {
        R starting(Starting s);

        R waitingForCredentials(WaitingForCredentials w);

        R connecting(Connecting c);

        R connected(Connected c);

        R degraded(Degraded d);

        R retrying(Retrying r);

        R cooldown(Cooldown c);

        R failed(Failed f);

        R stopped(Stopped s);
    }

    /** The state's name as used in events, logs and history ({@code "Connected"}, ...). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The process is starting; nothing is known yet. */
    record Starting() implements ConnectionState {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.starting(this);
        }
    }

    /** Discoverable on the LAN (Zeroconf), waiting for a Spotify app to pick the device. */
    record WaitingForCredentials(String deviceName) implements ConnectionState {
        public WaitingForCredentials {
            Objects.requireNonNull(deviceName, "deviceName");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.waitingForCredentials(this);
        }
    }

    /** An attempt is under way. */
    record Connecting(int attempt, int maxAttempts) implements ConnectionState {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.connecting(this);
        }
    }

    /** Logged in, player up, the Connect channel open. */
    record Connected(String user, Instant since) implements ConnectionState {
        public Connected {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(since, "since");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.connected(this);
        }
    }

    /** Logged in, but a part is failing (dealer websocket, audio output). */
    record Degraded(String user, Instant since, String reason) implements ConnectionState {
        public Degraded {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.degraded(this);
        }
    }

    /** The last attempt failed; attempt number {@code attempt} starts at {@code nextAttemptAt}. */
    record Retrying(int attempt, int maxAttempts, Instant nextAttemptAt, Failure cause) implements ConnectionState {
        public Retrying {
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.retrying(this);
        }
    }

    /** A round of attempts was used up; a new round starts at {@code until}. */
    record Cooldown(Instant until, Failure cause) implements ConnectionState {
        public Cooldown {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.cooldown(this);
        }
    }

    /** Given up; {@code exitStatus} says why to a process supervisor. */
    record Failed(Failure cause, ExitStatus exitStatus) implements ConnectionState {
        public Failed {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(exitStatus, "exitStatus");
        }

        @Override
        public <R> R match(Cases<R> cases) {
            return cases.failed(this);
        }
    }

    /** Shut down cleanly. */
    record Stopped() implements ConnectionState {
        @Override
        public <R> R match(Cases<R> cases) {
            return cases.stopped(this);
        }
    }
}
