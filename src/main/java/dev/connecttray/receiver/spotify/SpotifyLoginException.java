package dev.connecttray.receiver.spotify;

import java.io.IOException;
import java.util.Objects;

/**
 * Spotify's login services (Login5, client token) said no, or could not be asked. An
 * {@link IOException} so that it passes through librespot's own signatures unchanged.
 */
public final class SpotifyLoginException extends IOException {

    /** Why; each says whether trying again later can help. */
    public enum Reason {
        /** Login5 INVALID_CREDENTIALS: the stored login is no longer accepted. */
        INVALID_CREDENTIALS(false),
        /** Login5 TRY_AGAIN_LATER. */
        TRY_AGAIN_LATER(true),
        /** Login5 TOO_MANY_ATTEMPTS. */
        TOO_MANY_ATTEMPTS(true),
        /** HTTP 429 or 5xx, or an answer cut short. */
        SERVICE_UNAVAILABLE(true),
        /** HTTP 401/403: the service refused this client. */
        REFUSED(false),
        /** The service asked for something this client cannot give (a code challenge, an impossible hashcash). */
        UNSUPPORTED_CHALLENGE(false),
        /** BAD_REQUEST, another 4xx or an answer that is not what the protocol says: a bug on our side. */
        PROTOCOL(false);

        private final boolean transientReason;

        Reason(boolean transientReason) {
            this.transientReason = transientReason;
        }

        public boolean isTransient() {
            return transientReason;
        }
    }

    private final Reason reason;
    private final String service;

    public SpotifyLoginException(String service, Reason reason, String message) {
        super(service + ": " + message);
        this.service = Objects.requireNonNull(service, "service");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SpotifyLoginException(String service, Reason reason, String message, Throwable cause) {
        this(service, reason, message);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** "Login5" or "client token". */
    public String service() {
        return service;
    }

    public boolean isTransient() {
        return reason.isTransient();
    }
}
