package dev.connecttray.receiver.spotify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one access token of a session, from Login5: fetched on first use, renewed before it expires
 * by logging in again with the newest stored credential. When a renewal fails for a reason that
 * passes (the service busy, the network gone) while the old token is still good, the old one serves.
 * Thread-safe.
 */
public final class Login5Tokens {
    private static final Logger LOG = LoggerFactory.getLogger(Login5Tokens.class);
    /** Renew this long before expiry (at most half the token's lifetime). */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    /** A token and when it stops being good. */
    public record Issued(String accessToken, Instant issuedAt, Instant expiresAt) {
        public Issued {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Issued[expires at " + expiresAt + "]";
        }
    }

    private final Login5Client client;
    private final Supplier<Login5Client.Credential> firstCredential;
    private final String deviceId;
    private final Clock clock;
    private Login5Client.Credential credential;
    private Issued current;
    private Instant renewAt;

    /**
     * @param firstCredential asked once, at the first login: the access point's reusable credentials
     */
    public Login5Tokens(Login5Client client, Supplier<Login5Client.Credential> firstCredential, String deviceId,
                        Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.firstCredential = Objects.requireNonNull(firstCredential, "firstCredential");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A token good for now, renewed first when it is near its expiry.
     *
     * @throws SpotifyLoginException when there is no good token and Login5 would not give one
     */
    public synchronized Issued current() throws SpotifyLoginException {
        Instant now = clock.instant();
        if (current != null && now.isBefore(renewAt)) return current;
        if (credential == null) credential = firstCredential.get();
        try {
            Login5Client.Token token = client.login(credential, deviceId);
            credential = token.nextCredential();
            Duration lifetime = token.expiresIn();
            Duration early = lifetime.dividedBy(2).compareTo(RENEW_BEFORE_EXPIRY) < 0
                    ? lifetime.dividedBy(2) : RENEW_BEFORE_EXPIRY;
            boolean renewal = current != null;
            current = new Issued(token.accessToken(), now, now.plus(lifetime));
            renewAt = current.expiresAt().minus(early);
            LOG.info("{} an access token from Login5, good for {} s", renewal ? "Renewed" : "Got",
                    lifetime.toSeconds());
            return current;
        } catch (SpotifyLoginException e) {
            if (e.isTransient() && current != null && now.isBefore(current.expiresAt())) {
                LOG.warn("Could not renew the access token ({}); the current one is good until {}", e.getMessage(),
                        current.expiresAt());
                return current;
            }
            throw e;
        }
    }
}
