package dev.connecttray.fakespotify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.spotify.login5v3.Login5;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spotify's Login5 ({@code POST https://login5.spotify.com/v3/login}, protobuf
 * {@code LoginRequest}/{@code LoginResponse}) as of 2026: only {@code stored_credential} logins,
 * with the reusable credentials the fake access point hands out in its APWelcome, and an optional
 * hashcash challenge. Every request is recorded in {@link #requests()}; tokens it issues are
 * {@code login5-token-N} and stay valid for {@link #tokenLifetime()} ({@link #isValidToken}).
 */
public final class FakeLogin5 {
    public static final String PATH = "/v3/login";
    /** The client id librespot (and the desktop client keymaster flow) use. */
    public static final String CLIENT_ID = "65b708073fc0480ea92a077233ca87bd";
    public static final String TOKEN_PREFIX = "login5-token-";
    public static final int DEFAULT_CHALLENGE_LENGTH = 10;
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    /** How the fake answers a login. */
    public enum Mode {
        /** Valid stored credentials get a token. */
        OK,
        /** The first request of each login gets a hashcash challenge; a solved retry gets a token. */
        CHALLENGE,
        INVALID_CREDENTIALS,
        TRY_AGAIN_LATER,
        TOO_MANY_ATTEMPTS,
        /** An HTML 503 page instead of protobuf. */
        HTTP_503
    }

    /** What the fake answered. */
    public enum Answer {
        OK, CHALLENGE, INVALID_CREDENTIALS, BAD_REQUEST, TRY_AGAIN_LATER, TOO_MANY_ATTEMPTS,
        /** The HTML 503 page. */
        HTTP_503,
        /** HTTP 400: the body was not a LoginRequest. */
        HTTP_400
    }

    /**
     * One Login5 request.
     *
     * @param methods       the login methods set, by field name (e.g. {@code stored_credential})
     * @param clientId      client_info.client_id
     * @param deviceId      client_info.device_id
     * @param username      stored_credential.username, or null
     * @param withSolution  whether it carried a login_context and challenge solutions
     * @param solutionValid whether that solution verified (null without one)
     * @param reason        why it was rejected (null when it was not)
     * @param answer        how the fake answered
     * @param accessToken   the token issued (null unless {@link Answer#OK})
     */
    public record Request(List<String> methods, String clientId, String deviceId, String username,
                          boolean withSolution, Boolean solutionValid, String reason, Answer answer,
                          String accessToken, long nanoTime) {
        public Request {
            methods = List.copyOf(methods);
        }
    }

    private record Issued(byte[] prefix, int length) {
    }

    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger tokenIds = new AtomicInteger();
    private final Map<String, Long> tokenExpiry = new ConcurrentHashMap<>();
    private final Map<ByteString, Issued> contexts = new ConcurrentHashMap<>();
    private final EventLog<Request> requests = new EventLog<>();
    /** Stored credentials this Login5 handed out (a new one at every login, as Spotify's does), by user. */
    private final Map<ByteString, String> issuedCredentials = new ConcurrentHashMap<>();
    private final EventLog<String> credentialsAccepted = new EventLog<>();
    private volatile Mode mode = Mode.OK;
    private volatile int challengeLength = DEFAULT_CHALLENGE_LENGTH;
    private volatile Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;

    public Mode mode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode);
    }

    /** The hashcash length (trailing zero bits) of {@link Mode#CHALLENGE}. */
    public void setChallengeLength(int length) {
        if (length < 0 || length > 30) throw new IllegalArgumentException("length " + length);
        this.challengeLength = length;
    }

    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** The access_token_expires_in of new tokens (whole seconds, at least 1); they stop being valid then. */
    public void setTokenLifetime(Duration lifetime) {
        if (lifetime.toSeconds() < 1) throw new IllegalArgumentException("lifetime under 1 s");
        this.tokenLifetime = lifetime;
    }

    /** Back to {@link Mode#OK}, the default challenge length and token lifetime (issued tokens stay). */
    void reset() {
        mode = Mode.OK;
        challengeLength = DEFAULT_CHALLENGE_LENGTH;
        tokenLifetime = DEFAULT_TOKEN_LIFETIME;
    }

    public EventLog<Request> requests() {
        return requests;
    }

    /** Whether Login5 issued {@code token} and it has not expired. */
    public boolean isValidToken(String token) {
        if (token == null) return false;
        Long expiry = tokenExpiry.get(token);
        return expiry != null && System.nanoTime() - expiry < 0;
    }

    /** Whether Login5 ever issued {@code token} (expired or not). */
    public boolean issued(String token) {
        return token != null && tokenExpiry.containsKey(token);
    }

    /**
     * For each login Login5 granted, which stored credential it took: {@code access-point} (the
     * welcome's reusable credentials) or {@code login5} (one an earlier Login5 answer handed out).
     */
    public EventLog<String> credentialsAccepted() {
        return credentialsAccepted;
    }

    /** The reusable credentials the fake access point gives {@code username} (what Login5 accepts). */
    public static byte[] storedCredentialFor(String username) {
        return ("fake-reusable-credentials-" + username).getBytes(StandardCharsets.UTF_8);
    }

    HttpResponse handle(HttpHead head, byte[] body) {
        long now = System.nanoTime();
        if (!head.method().equals("POST") || !pathOf(head.target()).equals(PATH))
            return HttpResponse.text(404, "Not Found", "fake login5: no " + head.method() + " " + head.target() + "\n");
        Login5.LoginRequest request;
        try {
            request = Login5.LoginRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException ex) {
            requests.add(new Request(List.of(), null, null, null, false, null, "not a LoginRequest", Answer.HTTP_400, null, now));
            return HttpResponse.text(400, "Bad Request", "not a LoginRequest\n");
        }
        List<String> methods = methods(request);
        String clientId = request.getClientInfo().getClientId();
        String deviceId = request.getClientInfo().getDeviceId();
        String username = request.hasStoredCredential() ? request.getStoredCredential().getUsername() : null;
        boolean withSolution = !request.getLoginContext().isEmpty() || request.hasChallengeSolutions();
        Mode m = mode;

        if (m == Mode.HTTP_503) {
            requests.add(new Request(methods, clientId, deviceId, username, withSolution, null, null, Answer.HTTP_503, null, now));
            return HttpResponse.html503();
        }
        String invalid = null;
        if (!CLIENT_ID.equals(clientId)) invalid = "client_id is not " + CLIENT_ID;
        else if (deviceId.isEmpty()) invalid = "no device_id";
        else if (methods.size() != 1) invalid = "login methods set: " + methods + " (exactly one allowed)";
        else if (!methods.get(0).equals("stored_credential")) invalid = "unsupported login method " + methods.get(0);
        if (invalid != null)
            return error(Login5.LoginError.BAD_REQUEST, Answer.BAD_REQUEST, invalid,
                    methods, clientId, deviceId, username, withSolution, null, now);

        Boolean solutionValid = null;
        if (withSolution) {
            String why = checkSolution(request);
            solutionValid = why == null;
            if (why != null)
                return error(Login5.LoginError.BAD_REQUEST, Answer.BAD_REQUEST, why,
                        methods, clientId, deviceId, username, true, false, now);
        } else if (m == Mode.CHALLENGE) {
            byte[] prefix = new byte[16];
            random.nextBytes(prefix);
            byte[] context = new byte[24];
            random.nextBytes(context);
            int length = challengeLength;
            contexts.put(ByteString.copyFrom(context), new Issued(prefix, length));
            requests.add(new Request(methods, clientId, deviceId, username, false, null, null, Answer.CHALLENGE, null, now));
            return HttpResponse.protobuf(Login5.LoginResponse.newBuilder()
                    .setLoginContext(ByteString.copyFrom(context))
                    .setChallenges(Login5.Challenges.newBuilder().addChallenges(Login5.Challenge.newBuilder()
                            .setHashcash(com.spotify.login5v3.Hashcash.HashcashChallenge.newBuilder()
                                    .setPrefix(ByteString.copyFrom(prefix)).setLength(length))))
                    .build());
        }

        switch (m) {
            case INVALID_CREDENTIALS -> {
                return error(Login5.LoginError.INVALID_CREDENTIALS, Answer.INVALID_CREDENTIALS, "mode",
                        methods, clientId, deviceId, username, withSolution, solutionValid, now);
            }
            case TRY_AGAIN_LATER -> {
                return error(Login5.LoginError.TRY_AGAIN_LATER, Answer.TRY_AGAIN_LATER, "mode",
                        methods, clientId, deviceId, username, withSolution, solutionValid, now);
            }
            case TOO_MANY_ATTEMPTS -> {
                return error(Login5.LoginError.TOO_MANY_ATTEMPTS, Answer.TOO_MANY_ATTEMPTS, "mode",
                        methods, clientId, deviceId, username, withSolution, solutionValid, now);
            }
            default -> { /* OK or a solved CHALLENGE */ }
        }
        ByteString data = request.getStoredCredential().getData();
        boolean fromAccessPoint = !username.isEmpty() && data.equals(ByteString.copyFrom(storedCredentialFor(username)));
        boolean fromLogin5 = !username.isEmpty() && username.equals(issuedCredentials.get(data));
        if (!fromAccessPoint && !fromLogin5)
            return error(Login5.LoginError.INVALID_CREDENTIALS, Answer.INVALID_CREDENTIALS,
                    "stored credential is neither the access point's reusable credentials nor one Login5 issued",
                    methods, clientId, deviceId, username, withSolution, solutionValid, now);
        credentialsAccepted.add(fromLogin5 ? "login5" : "access-point");
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        ByteString next = ByteString.copyFrom(fresh);
        issuedCredentials.put(next, username);

        Duration lifetime = tokenLifetime;
        String token = TOKEN_PREFIX + tokenIds.incrementAndGet();
        tokenExpiry.put(token, System.nanoTime() + lifetime.toNanos());
        requests.add(new Request(methods, clientId, deviceId, username, withSolution, solutionValid, null, Answer.OK, token, now));
        return HttpResponse.protobuf(Login5.LoginResponse.newBuilder()
                .setOk(Login5.LoginOk.newBuilder()
                        .setUsername(username)
                        .setAccessToken(token)
                        .setStoredCredential(next)
                        .setAccessTokenExpiresIn((int) lifetime.toSeconds()))
                .build());
    }

    /** Null when the request's login_context and hashcash solution are good, else why not. */
    private String checkSolution(Login5.LoginRequest request) {
        if (request.getLoginContext().isEmpty()) return "challenge_solutions without login_context";
        Issued issued = contexts.remove(request.getLoginContext());
        if (issued == null) return "login_context was not issued (or was used already)";
        if (!request.hasChallengeSolutions() || request.getChallengeSolutions().getSolutionsCount() == 0)
            return "login_context without challenge_solutions";
        Login5.ChallengeSolution solution = request.getChallengeSolutions().getSolutions(0);
        if (!solution.hasHashcash()) return "no hashcash solution";
        byte[] suffix = solution.getHashcash().getSuffix().toByteArray();
        if (suffix.length != 16) return "hashcash suffix is " + suffix.length + " bytes, not 16";
        int zeros = Hashcash.trailingZeroBits(issued.prefix(), suffix);
        if (zeros < issued.length())
            return "hashcash solution has " + zeros + " trailing zero bits, " + issued.length() + " needed";
        return null;
    }

    private HttpResponse error(Login5.LoginError error, Answer answer, String reason, List<String> methods,
                               String clientId, String deviceId, String username, boolean withSolution,
                               Boolean solutionValid, long now) {
        requests.add(new Request(methods, clientId, deviceId, username, withSolution, solutionValid, reason, answer, null, now));
        return HttpResponse.protobuf(Login5.LoginResponse.newBuilder().setError(error).build());
    }

    private static List<String> methods(Login5.LoginRequest r) {
        List<String> set = new ArrayList<>();
        if (r.hasStoredCredential()) set.add("stored_credential");
        if (r.hasPassword()) set.add("password");
        if (r.hasFacebookAccessToken()) set.add("facebook_access_token");
        if (r.hasPhoneNumber()) set.add("phone_number");
        if (r.hasOneTimeToken()) set.add("one_time_token");
        if (r.hasParentChildCredential()) set.add("parent_child_credential");
        if (r.hasAppleSignInCredential()) set.add("apple_sign_in_credential");
        return set;
    }

    static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}
