package dev.connecttray.engine.golibrespot;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * go-librespot's state in our words, from what its API and log say. Its {@code /status} is the
 * truth: 200 with a {@code username} is a session ({@code Connected}); 204 is none, the device
 * only discoverable ({@code WaitingForCredentials}). Its events ({@code active}, {@code inactive},
 * {@code playing}, {@code metadata}, …) say something changed, so {@code /status} is asked again at
 * once. A session that goes (it logs "lost session, tearing down player to start a new one", or
 * {@code /status} answers 204 after a session, whichever is seen first) is being rebuilt from the
 * stored credentials: {@code Connecting} until {@code /status} answers with one, or for at most
 * {@code restoreGrace} without one, or until it logs that the rebuild failed (then it is waiting for
 * an app again).
 *
 * <p>While its connection to Spotify's access point is down (it logs "failed receiving packet" and
 * reconnects with a backoff of its own, logging "authenticated AP as …" when it is back) the session
 * still exists, so {@code /status} still answers 200: {@code Degraded} until it is back.
 *
 * <p>Thread-safe; each method returns the state to report when it changed.
 */
public final class SessionStates {
    private final String deviceName;
    private final int maxAttempts;
    private final Duration restoreGrace;
    private ConnectionState current;
    /** When the session was lost (on a monotonic clock, ns) while a new one is being built; null otherwise. */
    private Long lostAt;

    /**
     * @param deviceName   the name phones show, for the words of {@code WaitingForCredentials}
     * @param maxAttempts  the round's budget, shown with {@code Connecting}
     * @param restoreGrace how long a lost session may take to come back before the device counts as
     *                     waiting for an app
     */
    public SessionStates(String deviceName, int maxAttempts, Duration restoreGrace) {
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.maxAttempts = maxAttempts;
        this.restoreGrace = Objects.requireNonNull(restoreGrace, "restoreGrace");
    }

    /**
     * {@code /status} answered.
     *
     * @param username the session's user (200), or null for no session (204)
     * @param now      the wall clock, for {@code Connected.since}
     * @param nanos    a monotonic clock
     */
    public synchronized Optional<ConnectionState> status(String username, Instant now, long nanos) {
        if (username != null) {
            lostAt = null;
            if (current instanceof Connected c && c.user().equals(username)) return Optional.empty();
            if (current instanceof Degraded d && d.user().equals(username)) return Optional.empty();
            return publish(new Connected(username, now));
        }
        if (current instanceof Connected || current instanceof Degraded) {
            // The session went (a drop it rebuilds from the stored credentials, or another phone taking
            // over), whether or not its log line about it has been read yet.
            lostAt = nanos;
            return publish(new Connecting(1, maxAttempts));
        }
        if (lostAt != null && nanos - lostAt < restoreGrace.toNanos()) return Optional.empty();
        lostAt = null;
        if (current instanceof WaitingForCredentials) return Optional.empty();
        return publish(new WaitingForCredentials(deviceName));
    }

    /** Why the state is {@code Degraded} while its access point connection is down. */
    static final String ACCESS_POINT_DOWN = "its connection to Spotify dropped (Spotify Connect channel down); "
            + "go-librespot is reconnecting";

    /** It logged that its access point connection broke; it reconnects by itself. */
    public synchronized Optional<ConnectionState> accessPointLost(Instant now) {
        if (!(current instanceof Connected c)) return Optional.empty();
        return publish(new Degraded(c.user(), c.since(), ACCESS_POINT_DOWN));
    }

    /** It logged that it authenticated with an access point: after a drop, connected again. */
    public synchronized Optional<ConnectionState> accessPointBack(Instant now) {
        if (!(current instanceof Degraded d)) return Optional.empty();
        return publish(new Connected(d.user(), now));
    }

    /** It logged that it lost its session and builds a new one. */
    public synchronized Optional<ConnectionState> sessionLost(long nanos) {
        if (!(current instanceof Connected || current instanceof Degraded)) return Optional.empty();
        lostAt = nanos;
        return publish(new Connecting(1, maxAttempts));
    }

    /** It logged that the new session could not be built: the next 204 means waiting for an app. */
    public synchronized void restoreFailed() {
        lostAt = null;
    }

    /** The state last reported, or null before the first. */
    public synchronized ConnectionState current() {
        return current;
    }

    private Optional<ConnectionState> publish(ConnectionState s) {
        current = s;
        return Optional.of(s);
    }
}
