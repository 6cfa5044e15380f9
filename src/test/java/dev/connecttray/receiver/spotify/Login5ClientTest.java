package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.spotify.login5v3.Hashcash.HashcashChallenge;
import com.spotify.login5v3.Login5.Challenge;
import com.spotify.login5v3.Login5.Challenges;
import com.spotify.login5v3.Login5.LoginError;
import com.spotify.login5v3.Login5.LoginOk;
import com.spotify.login5v3.Login5.LoginRequest;
import com.spotify.login5v3.Login5.LoginResponse;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Login5ClientTest {
    private static final Login5Client.Credential CREDENTIAL =
            new Login5Client.Credential("alice", "stored-secret".getBytes());
    private static final String DEVICE = "d".repeat(40);

    private static LoginResponse ok(String token, int seconds, String next) {
        return LoginResponse.newBuilder().setOk(LoginOk.newBuilder().setUsername("alice").setAccessToken(token)
                .setAccessTokenExpiresIn(seconds).setStoredCredential(ByteString.copyFromUtf8(next))).build();
    }

    @Test
    void sendsOnlyTheStoredCredentialAndReadsTheToken() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(ok("tok-1", 3600, "newer"));
        Login5Client.Token token = new Login5Client(http).login(CREDENTIAL, DEVICE);

        assertThat(token.accessToken()).isEqualTo("tok-1");
        assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(token.nextCredential().data()).isEqualTo("newer".getBytes());
        ScriptedHttp.Posted posted = http.posted.get(0);
        assertThat(posted.url()).isEqualTo("https://login5.spotify.com/v3/login");
        assertThat(posted.headers()).containsEntry("Content-Type", "application/x-protobuf");
        LoginRequest request = LoginRequest.parseFrom(posted.body());
        assertThat(request.getClientInfo().getClientId()).isEqualTo("65b708073fc0480ea92a077233ca87bd");
        assertThat(request.getClientInfo().getDeviceId()).isEqualTo(DEVICE);
        assertThat(request.getStoredCredential().getUsername()).isEqualTo("alice");
        assertThat(request.getStoredCredential().getData().toStringUtf8()).isEqualTo("stored-secret");
        assertThat(request.hasPassword() || request.hasFacebookAccessToken() || request.hasOneTimeToken()
                || request.hasPhoneNumber() || request.hasParentChildCredential() || request.hasAppleSignInCredential())
                .isFalse();
    }

    @Test
    void answersAHashcashChallengeWithTheSameRequestPlusContextAndSolution() throws Exception {
        byte[] prefix = "challenge-prefix".getBytes();
        LoginResponse challenge = LoginResponse.newBuilder()
                .setLoginContext(ByteString.copyFromUtf8("ctx-1"))
                .setChallenges(Challenges.newBuilder().addChallenges(Challenge.newBuilder()
                        .setHashcash(HashcashChallenge.newBuilder().setPrefix(ByteString.copyFrom(prefix)).setLength(10))))
                .build();
        ScriptedHttp http = new ScriptedHttp().thenProto(challenge).thenProto(ok("tok-2", 3600, ""));

        Login5Client.Token token = new Login5Client(http).login(CREDENTIAL, DEVICE);

        assertThat(token.accessToken()).isEqualTo("tok-2");
        assertThat(token.nextCredential().data()).as("no newer credential: keep ours").isEqualTo(CREDENTIAL.data());
        LoginRequest second = LoginRequest.parseFrom(http.posted.get(1).body());
        assertThat(second.getLoginContext().toStringUtf8()).isEqualTo("ctx-1");
        assertThat(second.getStoredCredential()).isEqualTo(LoginRequest.parseFrom(http.posted.get(0).body())
                .getStoredCredential());
        byte[] suffix = second.getChallengeSolutions().getSolutions(0).getHashcash().getSuffix().toByteArray();
        assertThat(Hashcash.verify(prefix, suffix, 10)).isTrue();
    }

    @Test
    void invalidCredentialsArePermanent() {
        ScriptedHttp http = new ScriptedHttp().thenProto(LoginResponse.newBuilder()
                .setError(LoginError.INVALID_CREDENTIALS).build());
        assertThatThrownBy(() -> new Login5Client(http).login(CREDENTIAL, DEVICE))
                .isInstanceOfSatisfying(SpotifyLoginException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SpotifyLoginException.Reason.INVALID_CREDENTIALS);
                    assertThat(e.isTransient()).isFalse();
                });
    }

    @Test
    void tryAgainLaterTooManyAttempts5xxAndTheNetworkAreTransient() {
        for (ScriptedHttp http : new ScriptedHttp[] {
                new ScriptedHttp().thenProto(LoginResponse.newBuilder().setError(LoginError.TRY_AGAIN_LATER).build()),
                new ScriptedHttp().thenProto(LoginResponse.newBuilder().setError(LoginError.TOO_MANY_ATTEMPTS).build()),
                new ScriptedHttp().thenStatus(503),
                new ScriptedHttp().thenStatus(429),
                new ScriptedHttp().thenFail(new ConnectException("Connection refused"))}) {
            assertThatThrownBy(() -> new Login5Client(http).login(CREDENTIAL, DEVICE))
                    .isInstanceOfSatisfying(SpotifyLoginException.class, e -> assertThat(e.isTransient()).isTrue());
        }
    }

    @Test
    void aCodeChallengeCannotBeAnswered() {
        ScriptedHttp http = new ScriptedHttp().thenProto(LoginResponse.newBuilder()
                .setLoginContext(ByteString.copyFromUtf8("ctx"))
                .setChallenges(Challenges.newBuilder().addChallenges(Challenge.newBuilder()
                        .setCode(com.spotify.login5v3.Code.CodeChallenge.getDefaultInstance())))
                .build());
        assertThatThrownBy(() -> new Login5Client(http).login(CREDENTIAL, DEVICE))
                .isInstanceOfSatisfying(SpotifyLoginException.class, e ->
                        assertThat(e.reason()).isEqualTo(SpotifyLoginException.Reason.UNSUPPORTED_CHALLENGE));
    }

    @Test
    void theCredentialNeverShowsInItsText() {
        assertThat(CREDENTIAL.toString()).doesNotContain("stored-secret");
    }
}
