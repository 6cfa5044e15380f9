package dev.connecttray.receiver.spotify;

import com.google.protobuf.ByteString;
import com.spotify.login5v3.ClientInfoOuterClass.ClientInfo;
import com.spotify.login5v3.Credentials.StoredCredential;
import com.spotify.login5v3.Hashcash.HashcashChallenge;
import com.spotify.login5v3.Hashcash.HashcashSolution;
import com.spotify.login5v3.Login5.Challenge;
import com.spotify.login5v3.Login5.ChallengeSolution;
import com.spotify.login5v3.Login5.ChallengeSolutions;
import com.spotify.login5v3.Login5.LoginRequest;
import com.spotify.login5v3.Login5.LoginResponse;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spotify's Login5 service: trades a stored credential (the reusable credentials of the access
 * point's welcome, or the newer one Login5 itself handed out) for an access token that serves every
 * scope. Answers hashcash challenges. Replaces the keymaster, which has refused tokens since 2025-08.
 */
public final class Login5Client {
    public static final String URL = "https://login5.spotify.com/v3/login";
    /** The desktop client's id, the one librespot-based clients log in as. */
    public static final String CLIENT_ID = "65b708073fc0480ea92a077233ca87bd";
    private static final String SERVICE = "Login5";
    private static final int MAX_CHALLENGE_ROUNDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Login5Client.class);

    /** A credential Login5 accepts: the account name and the opaque stored-credential bytes. Never logged. */
    public record Credential(String username, byte[] data) {
        public Credential {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public String toString() {
            return "Credential[" + username + ", " + data.length + " bytes]";
        }
    }

    /** A granted token, with the credential to use for the next login. */
    public record Token(String accessToken, Duration expiresIn, Credential nextCredential) {
        public Token {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(expiresIn, "expiresIn");
            Objects.requireNonNull(nextCredential, "nextCredential");
        }

        @Override
        public String toString() {
            return "Token[expires in " + expiresIn.toSeconds() + " s]";
        }
    }

    private final HttpTransport http;

    public Login5Client(HttpTransport http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * @throws SpotifyLoginException when Login5 refuses, asks for what we cannot give, or cannot be reached
     *                               (the cause is then the network error)
     */
    public Token login(Credential credential, String deviceId) throws SpotifyLoginException {
        LoginRequest first = LoginRequest.newBuilder()
                .setClientInfo(ClientInfo.newBuilder().setClientId(CLIENT_ID).setDeviceId(deviceId))
                // The login methods form one oneof in spirit: set only this one.
                .setStoredCredential(StoredCredential.newBuilder()
                        .setUsername(credential.username())
                        .setData(ByteString.copyFrom(credential.data())))
                .build();
        LoginRequest request = first;
        for (int round = 0; round <= MAX_CHALLENGE_ROUNDS; round++) {
            LoginResponse response = send(request);
            if (response.hasOk()) {
                var ok = response.getOk();
                byte[] next = ok.getStoredCredential().isEmpty() ? credential.data() : ok.getStoredCredential().toByteArray();
                String user = ok.getUsername().isEmpty() ? credential.username() : ok.getUsername();
                int seconds = ok.getAccessTokenExpiresIn() > 0 ? ok.getAccessTokenExpiresIn() : 3600;
                return new Token(ok.getAccessToken(), Duration.ofSeconds(seconds), new Credential(user, next));
            }
            if (response.getError() != com.spotify.login5v3.Login5.LoginError.UNKNOWN_ERROR) {
                throw refused(response.getError());
            }
            if (!response.hasChallenges() || response.getChallenges().getChallengesCount() == 0) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.PROTOCOL,
                        "the answer has neither a token, an error nor a challenge");
            }
            request = first.toBuilder()
                    .setLoginContext(response.getLoginContext())
                    .setChallengeSolutions(solve(response))
                    .build();
        }
        throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                "still challenged after " + MAX_CHALLENGE_ROUNDS + " answers");
    }

    private LoginResponse send(LoginRequest request) throws SpotifyLoginException {
        return LoginServices.post(http, SERVICE, URL, request.toByteArray(), LoginResponse.parser());
    }

    private static ChallengeSolutions solve(LoginResponse response) throws SpotifyLoginException {
        ChallengeSolutions.Builder solutions = ChallengeSolutions.newBuilder();
        byte[] context = response.getLoginContext().toByteArray();
        for (Challenge challenge : response.getChallenges().getChallengesList()) {
            if (!challenge.hasHashcash()) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                        "Spotify asks for a verification code, which only its own apps can answer");
            }
            HashcashChallenge hashcash = challenge.getHashcash();
            if (hashcash.getLength() > Hashcash.MAX_ZERO_BITS) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                        "hashcash of " + hashcash.getLength() + " bits is beyond " + Hashcash.MAX_ZERO_BITS);
            }
            long start = System.nanoTime();
            byte[] suffix = Hashcash.solve(context, hashcash.getPrefix().toByteArray(), hashcash.getLength());
            long nanos = System.nanoTime() - start;
            LOG.debug("Login5 hashcash of {} bits solved in {} ms", hashcash.getLength(), nanos / 1_000_000);
            solutions.addSolutions(ChallengeSolution.newBuilder().setHashcash(HashcashSolution.newBuilder()
                    .setSuffix(ByteString.copyFrom(suffix))
                    .setDuration(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(nanos / 1_000_000_000L)
                            .setNanos((int) (nanos % 1_000_000_000L)))));
        }
        return solutions.build();
    }

    private static SpotifyLoginException refused(com.spotify.login5v3.Login5.LoginError error) {
        return switch (error) {
            case INVALID_CREDENTIALS -> new SpotifyLoginException(SERVICE,
                    SpotifyLoginException.Reason.INVALID_CREDENTIALS, "INVALID_CREDENTIALS");
            case TRY_AGAIN_LATER, TIMEOUT -> new SpotifyLoginException(SERVICE,
                    SpotifyLoginException.Reason.TRY_AGAIN_LATER, error.name());
            case TOO_MANY_ATTEMPTS -> new SpotifyLoginException(SERVICE,
                    SpotifyLoginException.Reason.TOO_MANY_ATTEMPTS, "TOO_MANY_ATTEMPTS");
            default -> new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.PROTOCOL, error.name());
        };
    }
}
