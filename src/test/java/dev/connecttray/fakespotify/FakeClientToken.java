package dev.connecttray.fakespotify;

import com.google.protobuf.InvalidProtocolBufferException;
import com.spotify.clienttoken.http.v0.ClientToken;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Spotify's client-token service ({@code POST https://clienttoken.spotify.com/v1/clienttoken},
 * protobuf {@code ClientTokenRequest}/{@code ClientTokenResponse}). In
 * {@link FakeSpotify.Behaviour#SPOTIFY_2026} a client_version that is not a real version number
 * (librespot-java 1.6.3 sends {@code "?.?.?"}) gets HTTP 400; tokens it grants are
 * {@code clienttoken-N}. With {@link #setChallenge} the first request gets a hashcash challenge.
 */
public final class FakeClientToken {
    public static final String PATH = "/v1/clienttoken";
    public static final String TOKEN_PREFIX = "clienttoken-";
    public static final int DEFAULT_CHALLENGE_LENGTH = 10;
    public static final int EXPIRES_AFTER_SECONDS = 1_209_600;
    public static final int REFRESH_AFTER_SECONDS = 1_080_000;
    /** digits.digits.digits, then optionally more dot-separated parts (e.g. 1.2.52.442.g0ed1d3dc). */
    static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(\\.[0-9A-Za-z]+)*");

    /** How the fake answered. */
    public enum Answer {
        GRANTED, CHALLENGE,
        /** HTTP 400: bad client_version, bad body, or a wrong challenge answer. */
        HTTP_400
    }

    /**
     * One request.
     *
     * @param requestType   its request_type
     * @param clientVersion client_data.client_version (null for a challenge answer)
     * @param answer        how the fake answered
     * @param reason        why it got 400 (null otherwise)
     * @param token         the token granted (null unless {@link Answer#GRANTED})
     */
    public record Request(ClientToken.ClientTokenRequestType requestType, String clientVersion, Answer answer,
                          String reason, String token, long nanoTime) {
    }

    private record Issued(byte[] prefix, int length, String clientVersion) {
    }

    private final Supplier<FakeSpotify.Behaviour> behaviour;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<String> granted = ConcurrentHashMap.newKeySet();
    private final Map<String, Issued> states = new ConcurrentHashMap<>();
    private final EventLog<Request> requests = new EventLog<>();
    private volatile boolean challenge;
    private volatile int challengeLength = DEFAULT_CHALLENGE_LENGTH;

    FakeClientToken(Supplier<FakeSpotify.Behaviour> behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour);
    }

    /** When true, a client-data request is answered with a hashcash challenge first. */
    public void setChallenge(boolean challenge) {
        this.challenge = challenge;
    }

    public void setChallengeLength(int length) {
        if (length < 0 || length > 30) throw new IllegalArgumentException("length " + length);
        this.challengeLength = length;
    }

    void reset() {
        challenge = false;
        challengeLength = DEFAULT_CHALLENGE_LENGTH;
    }

    public EventLog<Request> requests() {
        return requests;
    }

    /** Whether this endpoint granted {@code token}. */
    public boolean isGranted(String token) {
        return token != null && granted.contains(token);
    }

    /** Whether the 2026 service accepts {@code version} as a client_version. */
    public static boolean isAcceptedVersion(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    HttpResponse handle(HttpHead head, byte[] body) {
        long now = System.nanoTime();
        if (!head.method().equals("POST") || !FakeLogin5.pathOf(head.target()).equals(PATH))
            return HttpResponse.text(404, "Not Found", "fake clienttoken: no " + head.method() + " " + head.target() + "\n");
        ClientToken.ClientTokenRequest request;
        try {
            request = ClientToken.ClientTokenRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException ex) {
            return badRequest(null, null, "not a ClientTokenRequest", now);
        }
        ClientToken.ClientTokenRequestType type = request.getRequestType();
        switch (type) {
            case REQUEST_CLIENT_DATA_REQUEST -> {
                String version = request.getClientData().getClientVersion();
                if (behaviour.get() == FakeSpotify.Behaviour.SPOTIFY_2026 && !isAcceptedVersion(version))
                    return badRequest(type, version, "client_version \"" + version + "\" is not a version", now);
                if (challenge) {
                    byte[] prefix = new byte[16];
                    random.nextBytes(prefix);
                    byte[] state = new byte[16];
                    random.nextBytes(state);
                    String stateHex = HexFormat.of().formatHex(state);
                    int length = challengeLength;
                    states.put(stateHex, new Issued(prefix, length, version));
                    requests.add(new Request(type, version, Answer.CHALLENGE, null, null, now));
                    return HttpResponse.protobuf(ClientToken.ClientTokenResponse.newBuilder()
                            .setResponseType(ClientToken.ClientTokenResponseType.RESPONSE_CHALLENGES_RESPONSE)
                            .setChallenges(ClientToken.ChallengesResponse.newBuilder()
                                    .setState(stateHex)
                                    .addChallenges(ClientToken.Challenge.newBuilder()
                                            .setType(ClientToken.ChallengeType.CHALLENGE_HASH_CASH)
                                            .setEvaluateHashcashParameters(ClientToken.HashCashParameters.newBuilder()
                                                    .setLength(length)
                                                    .setPrefix(HexFormat.of().formatHex(prefix)))))
                            .build());
                }
                return grant(type, version, now);
            }
            case REQUEST_CHALLENGE_ANSWERS_REQUEST -> {
                ClientToken.ChallengeAnswersRequest answers = request.getChallengeAnswers();
                Issued issued = states.remove(answers.getState());
                if (issued == null) return badRequest(type, null, "state was not issued (or was used already)", now);
                ClientToken.ChallengeAnswer answer = answers.getAnswersList().stream()
                        .filter(a -> a.getChallengeType() == ClientToken.ChallengeType.CHALLENGE_HASH_CASH && a.hasHashCash())
                        .findFirst().orElse(null);
                if (answer == null) return badRequest(type, issued.clientVersion(), "no hash_cash answer", now);
                byte[] suffix;
                try {
                    suffix = HexFormat.of().parseHex(answer.getHashCash().getSuffix());
                } catch (IllegalArgumentException ex) {
                    return badRequest(type, issued.clientVersion(), "suffix is not hex", now);
                }
                int zeros = Hashcash.trailingZeroBits(issued.prefix(), suffix);
                if (zeros < issued.length())
                    return badRequest(type, issued.clientVersion(),
                            "hashcash answer has " + zeros + " trailing zero bits, " + issued.length() + " needed", now);
                return grant(type, issued.clientVersion(), now);
            }
            default -> {
                return badRequest(type, null, "request_type " + type, now);
            }
        }
    }

    private HttpResponse grant(ClientToken.ClientTokenRequestType type, String version, long now) {
        String token = TOKEN_PREFIX + ids.incrementAndGet();
        granted.add(token);
        requests.add(new Request(type, version, Answer.GRANTED, null, token, now));
        return HttpResponse.protobuf(ClientToken.ClientTokenResponse.newBuilder()
                .setResponseType(ClientToken.ClientTokenResponseType.RESPONSE_GRANTED_TOKEN_RESPONSE)
                .setGrantedToken(ClientToken.GrantedTokenResponse.newBuilder()
                        .setToken(token)
                        .setExpiresAfterSeconds(EXPIRES_AFTER_SECONDS)
                        .setRefreshAfterSeconds(REFRESH_AFTER_SECONDS)
                        .addDomains(ClientToken.TokenDomain.newBuilder().setDomain("spotify.com")))
                .build());
    }

    private HttpResponse badRequest(ClientToken.ClientTokenRequestType type, String version, String reason, long now) {
        requests.add(new Request(type, version, Answer.HTTP_400, reason, null, now));
        return HttpResponse.of(400, "Bad Request", HttpResponse.PROTOBUF,
                ClientToken.ClientTokenBadRequest.newBuilder().setMessage(reason).build().toByteArray());
    }
}
