package dev.connecttray.engine.soloist;

import dev.connecttray.core.DurationText;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of Soloist says over its WebSocket, as our connection states: {@code auth_state}
 * with {@code logged_in:false} is waiting for a Spotify app to pick the device (the first pairing),
 * {@code logged_in:true} is connected, and a playback stall ({@link StallWatch}) degrades the
 * connection, then asks for a restart. Not thread-safe: one thread feeds it.
 */
public final class SoloistSession {
    /**
     * Soloist never says which account is logged in; the connection states name a user, so this is
     * what they say: the account that picked the device (or paired it).
     */
    public static final String USER = "the paired account";

    private final String deviceName;
    private final StallWatch stall;
    private final Duration stallLimit;
    private Boolean loggedIn;
    private Instant connectedSince;
    private ConnectionState current;

    public SoloistSession(String deviceName, Duration stallLimit) {
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.stallLimit = Objects.requireNonNull(stallLimit, "stallLimit");
        this.stall = new StallWatch(stallLimit);
    }

    /**
     * One message from Soloist. Returns the state to report when it changed.
     *
     * @param now      the wall clock, for "connected since"
     * @param nanoTime the monotonic clock, for the stall
     */
    public Optional<ConnectionState> onMessage(JsonObject message, Instant now, long nanoTime) {
        String type = string(message, "type");
        if (type == null) return Optional.empty();
        switch (type) {
            case "auth_state" -> {
                JsonElement li = message.get("logged_in");
                if (li != null && li.isJsonPrimitive() && li.getAsJsonPrimitive().isBoolean()) {
                    boolean in = li.getAsBoolean();
                    if (in && !Boolean.TRUE.equals(loggedIn)) connectedSince = now;
                    if (!in) connectedSince = null;
                    loggedIn = in;
                }
            }
            case "playback_state", "playback_changed" -> {
                String status = string(message, "status");
                if (status != null) stall.status(status, nanoTime);
                position(message.get("position"), nanoTime);
            }
            case "position_sync" -> position(message.get("position"), nanoTime);
            default -> {
                // track, volume, queue, command results, errors: nothing for the connection state
            }
        }
        return evaluate(now, nanoTime);
    }

    /** A look at the clock between messages: a stall grows without any message. */
    public Optional<ConnectionState> onTick(Instant now, long nanoTime) {
        return evaluate(now, nanoTime);
    }

    /** Whether the last state said is playing (worth polling the position for). */
    public boolean playing() {
        return stall.playing();
    }

    /** A stall that persisted through twice the limit: the engine must be restarted; empty otherwise. */
    public Optional<Failure> restartDue(long nanoTime) {
        if (!Boolean.TRUE.equals(loggedIn) || stall.verdict(nanoTime) != StallWatch.Verdict.RESTART) return Optional.empty();
        return Optional.of(Failure.transientFailure("Playback stalled: Spotify Soloist said it was playing while the "
                + "position stood still for " + DurationText.duration(stall.stillFor(nanoTime)) + "; it must be restarted",
                "soloist stall, limit " + DurationText.shortDuration(stallLimit)));
    }

    private void position(JsonElement position, long nanoTime) {
        if (position == null || !position.isJsonObject()) return;
        JsonElement ms = position.getAsJsonObject().get("position_ms");
        if (ms != null && ms.isJsonPrimitive() && ms.getAsJsonPrimitive().isNumber()) {
            stall.position(ms.getAsLong(), nanoTime);
        }
    }

    private Optional<ConnectionState> evaluate(Instant now, long nanoTime) {
        ConnectionState next;
        if (loggedIn == null) {
            return Optional.empty();
        } else if (!loggedIn) {
            next = new ConnectionState.WaitingForCredentials(deviceName);
        } else if (stall.verdict(nanoTime) != StallWatch.Verdict.FINE) {
            Long pos = stall.lastPosition();
            next = new ConnectionState.Degraded(USER, connectedSince, "Playback stalled: Spotify Soloist says it is "
                    + "playing but the position has not moved" + (pos == null ? "" : " from " + clock(pos)) + " for "
                    + DurationText.duration(stall.stillFor(nanoTime)));
        } else {
            next = new ConnectionState.Connected(USER, connectedSince);
        }
        if (sameKind(current, next)) return Optional.empty();
        current = next;
        return Optional.of(next);
    }

    /** A degraded state's words grow every second; only a change of state is reported. */
    private static boolean sameKind(ConnectionState a, ConnectionState b) {
        if (a == null) return false;
        if (a instanceof ConnectionState.Degraded && b instanceof ConnectionState.Degraded) return true;
        return a.equals(b);
    }

    /** A position as a player shows it: "1:23". */
    static String clock(long ms) {
        long s = Math.max(0, ms) / 1000;
        return s / 60 + ":" + String.format("%02d", s % 60);
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
}
