package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.DurationText;
import dev.connecttray.core.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a state change is worth a desktop notification: giving up ({@code Failed}), getting back
 * after an outage of more than a minute, and a connection that turns degraded for a new reason
 * (Spotify refusing this account's audio, say: the user hears nothing and must know why). Never a
 * storm while the connection flaps: at most one notification of each kind per five minutes, and none
 * for a failure or degradation that repeats the last one's cause. Feed it every state, repeats included.
 */
public final class NotificationPolicy {
    /** A recovery is news only after an outage longer than this. */
    static final Duration NOTABLE_OUTAGE = Duration.ofMinutes(1);
    /** At most one notification of a kind in this long. */
    static final Duration QUIET_PERIOD = Duration.ofMinutes(5);

    /** What to show. */
    public record Notification(String title, String body) {
        public Notification {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(body, "body");
        }
    }

    /** The login is made with stored credentials ({@code auth.mode} "stored"): a refused login calls for other advice. */
    private final boolean storedLogin;
    private boolean connected;
    /**
     * Since when the connection has been lost, or since the first failure when it never came up;
     * null while connected, and while starting up: the first connection is no recovery.
     */
    private Instant outageSince;
    /** The cause of the last Failed since the connection was last up. */
    private Failure lastFailure;
    private Instant lastFailedNotice;
    private Instant lastRecoveryNotice;
    /** The reason of the degradation seen last since the connection was last fully healthy. */
    private String lastDegradedReason;
    private Instant lastDegradedNotice;

    /** @param storedLogin {@code auth.mode} is "stored" (the device is not advertised), not "zeroconf" */
    public NotificationPolicy(boolean storedLogin) {
        this.storedLogin = storedLogin;
    }

    /** The notification {@code state}, seen at {@code now}, calls for, if any. */
    public synchronized Optional<Notification> onState(ConnectionState state, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        return state.match(new ConnectionState.Cases<>() {
            @Override
            public Optional<Notification> starting(ConnectionState.Starting s) {
                return onNotConnected(now);
            }

            @Override
            public Optional<Notification> waitingForCredentials(ConnectionState.WaitingForCredentials w) {
                return onNotConnected(now);
            }

            @Override
            public Optional<Notification> connecting(ConnectionState.Connecting c) {
                return onNotConnected(now);
            }

            @Override
            public Optional<Notification> connected(ConnectionState.Connected c) {
                lastDegradedReason = null;
                return onConnected(c.user(), now);
            }

            @Override
            public Optional<Notification> degraded(ConnectionState.Degraded d) {
                Optional<Notification> recovery = onConnected(d.user(), now);
                return recovery.isPresent() ? recovery : onDegraded(d, now);
            }

            @Override
            public Optional<Notification> retrying(ConnectionState.Retrying r) {
                return onNotConnected(now);
            }

            @Override
            public Optional<Notification> cooldown(ConnectionState.Cooldown c) {
                return onNotConnected(now);
            }

            @Override
            public Optional<Notification> failed(ConnectionState.Failed f) {
                onNotConnected(now);
                return onFailed(f, now);
            }

            @Override
            public Optional<Notification> stopped(ConnectionState.Stopped s) {
                // Shutting down: the user asked for it, and nothing after it is news.
                connected = false;
                outageSince = null;
                return Optional.empty();
            }
        });
    }

    /** The connection is not up (any more): an outage starts if it was. Nothing to say yet. */
    private Optional<Notification> onNotConnected(Instant now) {
        if (connected) {
            connected = false;
            outageSince = now;
        }
        return Optional.empty();
    }

    private Optional<Notification> onConnected(String user, Instant now) {
        boolean recovery = !connected && outageSince != null
                && Duration.between(outageSince, now).compareTo(NOTABLE_OUTAGE) > 0;
        Instant lost = outageSince;
        connected = true;
        outageSince = null;
        lastFailure = null;
        if (!recovery || quiet(lastRecoveryNotice, now)) return Optional.empty();
        lastRecoveryNotice = now;
        return Optional.of(new Notification("Connected to Spotify again",
                "Connected as " + user + " after " + DurationText.duration(lost, now) + " without a connection."));
    }

    private Optional<Notification> onDegraded(ConnectionState.Degraded degraded, Instant now) {
        boolean repeat = degraded.reason().equals(lastDegradedReason);
        lastDegradedReason = degraded.reason();
        if (repeat || quiet(lastDegradedNotice, now)) return Optional.empty();
        lastDegradedNotice = now;
        return Optional.of(new Notification("Connected to Spotify, but not everything works",
                sentence(degraded.reason())));
    }

    private Optional<Notification> onFailed(ConnectionState.Failed failed, Instant now) {
        if (outageSince == null) outageSince = now;
        Failure cause = failed.cause();
        boolean repeat = lastFailure != null && sameCause(lastFailure, cause);
        lastFailure = cause;
        if (repeat || quiet(lastFailedNotice, now)) return Optional.empty();
        lastFailedNotice = now;
        return Optional.of(failedNotice(failed, storedLogin));
    }

    /**
     * Worded by cause: "gave up connecting" only where attempts were made and failed; a refused login
     * or an unusable file says so. The body says what happened without file paths (the status window
     * and the log name the file) and what to do.
     */
    static Notification failedNotice(ConnectionState.Failed failed, boolean storedLogin) {
        Failure cause = failed.cause();
        String what = sentence(withoutPaths(cause.message()));
        // Spotify Soloist waiting for the user: nothing to fix in a file, a question to answer.
        if (SoloistWaits.forConsent(failed)) {
            return new Notification("Spotify Soloist needs your consent to be downloaded",
                    "Connect Tray downloads it only if you allow it: answer the question in the status window.");
        }
        if (SoloistWaits.forApiKey(failed)) {
            return new Notification("Spotify Soloist needs your API key",
                    what + " Pick Show status\u2026 to enter it.");
        }
        return switch (cause.kind()) {
            case TRANSIENT -> new Notification("Connect Tray gave up connecting: " + StateText.reason(cause),
                    what + " Pick Reconnect to try again.");
            case PERMANENT -> new Notification("Spotify refused the login",
                    what + " " + StateText.failureAdvice(failed, storedLogin) + ".");
            case CONFIG -> new Notification(StateText.reason(cause).startsWith("Credentials")
                    ? "The Spotify credentials file cannot be used" : "The configuration cannot be used",
                    withoutTitle(what) + " Fix the file, then pick Reconnect; the status window names it.");
            case INTERNAL -> new Notification("Connect Tray stopped connecting after an internal error",
                    what + " Pick Reconnect to try again; the log has the details.");
        };
    }

    private static final java.util.regex.Pattern SAYS_THE_TITLE = java.util.regex.Pattern.compile(
            "^The (Spotify )?(credentials file|configuration) cannot be used: ", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A body without the title's words again: "Not valid JSON; ..." under "The Spotify credentials file cannot be used". */
    private static String withoutTitle(String body) {
        java.util.regex.Matcher m = SAYS_THE_TITLE.matcher(body);
        if (!m.find() || m.end() >= body.length()) return body;
        String rest = body.substring(m.end());
        return Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile("(?<=^|\\s)~?/[^\\s;,]*[^\\s;,.:]");

    private static final java.util.regex.Pattern PATH_AS_SUBJECT =
            java.util.regex.Pattern.compile(": ~?/[^\\s;,]*[^\\s;,.:] (is|does|has|cannot|must) ");

    /**
     * {@code text} with absolute (and {@code ~/}) file paths left out: "The credentials file cannot
     * be used: it is not a credentials file", where the cause named the file twice.
     */
    static String withoutPaths(String text) {
        String t = PATH_AS_SUBJECT.matcher(text).replaceAll(": it $1 ");
        return PATH.matcher(t).replaceAll("").replaceAll(" {2,}", " ").replace(" :", ":").strip();
    }

    /** The same failure as far as a user can tell: the same kind and words; the technical detail may vary. */
    private static boolean sameCause(Failure a, Failure b) {
        return a.kind() == b.kind() && a.message().equals(b.message());
    }

    private static boolean quiet(Instant lastNotice, Instant now) {
        return lastNotice != null && Duration.between(lastNotice, now).compareTo(QUIET_PERIOD) < 0;
    }

    private static String sentence(String text) {
        String t = text.strip();
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }
}
