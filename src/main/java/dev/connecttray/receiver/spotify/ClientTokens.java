package dev.connecttray.receiver.spotify;

import com.spotify.clienttoken.data.v0.Connectivity;
import com.spotify.clienttoken.http.v0.ClientToken.ChallengeAnswer;
import com.spotify.clienttoken.http.v0.ClientToken.ChallengeAnswersRequest;
import com.spotify.clienttoken.http.v0.ClientToken.ChallengeType;
import com.spotify.clienttoken.http.v0.ClientToken.ClientDataRequest;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenRequest;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenRequestType;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenResponse;
import com.spotify.clienttoken.http.v0.ClientToken.HashCashAnswer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Spotify's client-token service, which every spclient request needs a token from. librespot-java
 * 1.6.3 from Maven Central asks with client version "?.?.?" (its jar has no version in its manifest)
 * and gets HTTP 400, and it cannot answer a challenge; this client sends a real desktop version and
 * answers hashcash challenges.
 */
public final class ClientTokens {
    public static final String URL = "https://clienttoken.spotify.com/v1/clienttoken";
    /** A Spotify desktop version the service knows. */
    public static final String CLIENT_VERSION = "1.2.96.518.g366879e1";
    private static final String SERVICE = "client token";
    private static final int MAX_CHALLENGE_ROUNDS = 3;

    /** A granted token and when to ask for a new one. Never logged. */
    public record Granted(String token, Duration refreshAfter, Duration expiresAfter) {
        public Granted {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(refreshAfter, "refreshAfter");
            Objects.requireNonNull(expiresAfter, "expiresAfter");
        }

        @Override
        public String toString() {
            return "Granted[refresh after " + refreshAfter.toSeconds() + " s]";
        }
    }

    private final HttpTransport http;

    public ClientTokens(HttpTransport http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * @throws SpotifyLoginException when the service refuses, asks for what we cannot give, or cannot be reached
     */
    public Granted fetch(String deviceId) throws SpotifyLoginException {
        ClientTokenRequest request = ClientTokenRequest.newBuilder()
                .setRequestType(ClientTokenRequestType.REQUEST_CLIENT_DATA_REQUEST)
                .setClientData(ClientDataRequest.newBuilder()
                        .setClientVersion(CLIENT_VERSION)
                        .setClientId(Login5Client.CLIENT_ID)
                        .setConnectivitySdkData(Connectivity.ConnectivitySdkData.newBuilder()
                                .setDeviceId(deviceId)
                                // The only platform block in the library's protocol files; the one
                                // librespot-java has always sent.
                                .setPlatformSpecificData(Connectivity.PlatformSpecificData.newBuilder()
                                        .setWindows(Connectivity.NativeWindowsData.newBuilder()
                                                .setSomething1(10).setSomething3(21370).setSomething4(2)
                                                .setSomething6(9).setSomething7(332).setSomething8(34404)
                                                .setSomething10(true)))))
                .build();
        for (int round = 0; round <= MAX_CHALLENGE_ROUNDS; round++) {
            ClientTokenResponse response = send(request);
            switch (response.getResponseType()) {
                case RESPONSE_GRANTED_TOKEN_RESPONSE -> {
                    var granted = response.getGrantedToken();
                    if (granted.getToken().isEmpty()) break;
                    long refresh = granted.getRefreshAfterSeconds() > 0 ? granted.getRefreshAfterSeconds() : 3600;
                    long expires = granted.getExpiresAfterSeconds() > 0 ? granted.getExpiresAfterSeconds() : refresh;
                    return new Granted(granted.getToken(), Duration.ofSeconds(refresh), Duration.ofSeconds(expires));
                }
                case RESPONSE_CHALLENGES_RESPONSE -> {
                    request = answer(response.getChallenges());
                    continue;
                }
                default -> {
                }
            }
            throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.PROTOCOL,
                    "the answer has neither a token nor a challenge (" + response.getResponseType() + ")");
        }
        throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                "still challenged after " + MAX_CHALLENGE_ROUNDS + " answers");
    }

    private static ClientTokenRequest answer(
            com.spotify.clienttoken.http.v0.ClientToken.ChallengesResponse challenges) throws SpotifyLoginException {
        ChallengeAnswersRequest.Builder answers = ChallengeAnswersRequest.newBuilder().setState(challenges.getState());
        HexFormat hex = HexFormat.of().withUpperCase();
        for (var challenge : challenges.getChallengesList()) {
            if (challenge.getType() != ChallengeType.CHALLENGE_HASH_CASH) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                        "Spotify asks for a " + challenge.getType() + " challenge, which only its own apps can answer");
            }
            var params = challenge.getEvaluateHashcashParameters();
            byte[] prefix;
            try {
                prefix = HexFormat.of().parseHex(params.getPrefix());
            } catch (IllegalArgumentException e) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.PROTOCOL,
                        "the hashcash prefix is not hex", e);
            }
            if (params.getLength() > Hashcash.MAX_ZERO_BITS) {
                throw new SpotifyLoginException(SERVICE, SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE,
                        "hashcash of " + params.getLength() + " bits is beyond " + Hashcash.MAX_ZERO_BITS);
            }
            byte[] suffix = Hashcash.solve(new byte[0], prefix, params.getLength());
            answers.addAnswers(ChallengeAnswer.newBuilder()
                    .setChallengeType(ChallengeType.CHALLENGE_HASH_CASH)
                    .setHashCash(HashCashAnswer.newBuilder().setSuffix(hex.formatHex(suffix))));
        }
        return ClientTokenRequest.newBuilder()
                .setRequestType(ClientTokenRequestType.REQUEST_CHALLENGE_ANSWERS_REQUEST)
                .setChallengeAnswers(answers)
                .build();
    }

    private ClientTokenResponse send(ClientTokenRequest request) throws SpotifyLoginException {
        return LoginServices.post(http, SERVICE, URL, request.toByteArray(), ClientTokenResponse.parser());
    }
}
