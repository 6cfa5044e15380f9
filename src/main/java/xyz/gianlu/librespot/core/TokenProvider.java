package xyz.gianlu.librespot.core;

import com.spotify.Authentication;
import dev.connecttray.receiver.spotify.Login5Client;
import dev.connecttray.receiver.spotify.Login5Tokens;
import dev.connecttray.receiver.spotify.OkHttpTransport;
import dev.connecttray.receiver.spotify.ReplacesLibraryClass;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import xyz.gianlu.librespot.mercury.MercuryClient;

/**
 * The session's access tokens, from Login5. Takes the place of librespot-java 1.6.3's class, which
 * asks the keymaster over Mercury: Spotify has answered that with 403 since 2025-08-12, and the first
 * token is asked for inside {@code Session.Builder.create()} (the dealer connects there), so no login
 * could complete. Same name, package and public surface as the library's, which its callers need;
 * the work is done by {@link Login5Tokens}.
 */
@ReplacesLibraryClass("the keymaster refuses tokens (403) since 2025-08")
public final class TokenProvider {
    private final Login5Tokens tokens;

    TokenProvider(Session session) {
        Objects.requireNonNull(session, "session");
        this.tokens = new Login5Tokens(new Login5Client(new OkHttpTransport(session.client())),
                () -> firstCredential(session), session.deviceId(), Clock.systemUTC());
    }

    /** The access point's welcome holds the reusable credentials Login5 takes as its stored credential. */
    private static Login5Client.Credential firstCredential(Session session) {
        Authentication.APWelcome welcome = session.apWelcome();
        return new Login5Client.Credential(welcome.getCanonicalUsername(),
                welcome.getReusableAuthCredentials().toByteArray());
    }

    /**
     * One Login5 token serves every scope; {@code scopes} only label the answer.
     *
     * @throws IOException a {@link dev.connecttray.receiver.spotify.SpotifyLoginException} when Login5
     *                     refuses or cannot be reached
     */
    public synchronized StoredToken getToken(String... scopes) throws IOException, MercuryClient.MercuryException {
        if (scopes.length == 0) throw new IllegalArgumentException("at least one scope");
        Login5Tokens.Issued issued = tokens.current();
        return new StoredToken(issued, scopes);
    }

    public String get(String scope) throws IOException, MercuryClient.MercuryException {
        return getToken(scope).accessToken;
    }

    /** A token as the library's callers read it. */
    public static class StoredToken {
        public final int expiresIn;
        public final String accessToken;
        public final String[] scopes;
        public final long timestamp;
        private final long expiresAtMillis;

        private StoredToken(Login5Tokens.Issued issued, String[] scopes) {
            this.accessToken = issued.accessToken();
            this.timestamp = issued.issuedAt().toEpochMilli();
            this.expiresAtMillis = issued.expiresAt().toEpochMilli();
            this.expiresIn = (int) ((expiresAtMillis - timestamp) / 1000);
            this.scopes = scopes.clone();
        }

        public boolean expired() {
            return System.currentTimeMillis() >= expiresAtMillis;
        }

        public boolean hasScope(String scope) {
            return true;
        }

        public boolean hasScopes(String[] sc) {
            return true;
        }

        /** Never the token itself: this ends up in logs. */
        @Override
        public String toString() {
            return "StoredToken{expiresIn=" + expiresIn + ", scopes=" + Arrays.toString(scopes) + "}";
        }
    }
}
