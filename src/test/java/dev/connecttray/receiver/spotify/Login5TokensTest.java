package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.spotify.login5v3.Login5.LoginError;
import com.spotify.login5v3.Login5.LoginOk;
import com.spotify.login5v3.Login5.LoginRequest;
import com.spotify.login5v3.Login5.LoginResponse;
import dev.connecttray.core.VirtualTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Login5TokensTest {
    private final VirtualTime time = new VirtualTime();
    private final AtomicInteger firstCredentialAsked = new AtomicInteger();

    private Login5Tokens tokens(ScriptedHttp http) {
        return new Login5Tokens(new Login5Client(http), () -> {
            firstCredentialAsked.incrementAndGet();
            return new Login5Client.Credential("alice", "from-ap-welcome".getBytes());
        }, "d".repeat(40), time);
    }

    private static LoginResponse ok(String token, String next) {
        return LoginResponse.newBuilder().setOk(LoginOk.newBuilder().setUsername("alice").setAccessToken(token)
                .setAccessTokenExpiresIn(3600).setStoredCredential(ByteString.copyFromUtf8(next))).build();
    }

    @Test
    void oneTokenServesUntilFiveMinutesBeforeItExpiresThenTheNewestCredentialRenewsIt() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(ok("tok-1", "cred-2")).thenProto(ok("tok-2", "cred-3"));
        Login5Tokens tokens = tokens(http);

        assertThat(tokens.current().accessToken()).isEqualTo("tok-1");
        time.advance(Duration.ofMinutes(54));
        assertThat(tokens.current().accessToken()).isEqualTo("tok-1");
        assertThat(http.posted).hasSize(1);

        time.advance(Duration.ofMinutes(1).plusSeconds(1)); // 55:01: within five minutes of expiry
        Login5Tokens.Issued renewed = tokens.current();

        assertThat(renewed.accessToken()).isEqualTo("tok-2");
        assertThat(renewed.expiresAt()).isEqualTo(time.instant().plus(Duration.ofHours(1)));
        assertThat(LoginRequest.parseFrom(http.posted.get(0).body()).getStoredCredential().getData().toStringUtf8())
                .isEqualTo("from-ap-welcome");
        assertThat(LoginRequest.parseFrom(http.posted.get(1).body()).getStoredCredential().getData().toStringUtf8())
                .isEqualTo("cred-2");
        assertThat(firstCredentialAsked).hasValue(1);
    }

    @Test
    void aTransientRenewalFailureKeepsTheStillGoodToken() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(ok("tok-1", "cred-2")).thenStatus(503)
                .thenProto(ok("tok-2", "cred-3"));
        Login5Tokens tokens = tokens(http);
        tokens.current();
        time.advance(Duration.ofMinutes(56));

        assertThat(tokens.current().accessToken()).isEqualTo("tok-1");
        assertThat(tokens.current().accessToken()).as("asks again at the next use").isEqualTo("tok-2");
    }

    @Test
    void anExpiredTokenIsNeverServed() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(ok("tok-1", "cred-2")).thenStatus(503);
        Login5Tokens tokens = tokens(http);
        tokens.current();
        time.advance(Duration.ofMinutes(61));

        assertThatThrownBy(tokens::current).isInstanceOf(SpotifyLoginException.class);
    }

    @Test
    void invalidCredentialsAtRenewalAreReportedEvenWithAGoodToken() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(ok("tok-1", "cred-2"))
                .thenProto(LoginResponse.newBuilder().setError(LoginError.INVALID_CREDENTIALS).build());
        Login5Tokens tokens = tokens(http);
        tokens.current();
        time.advance(Duration.ofMinutes(56));

        assertThatThrownBy(tokens::current).isInstanceOfSatisfying(SpotifyLoginException.class,
                e -> assertThat(e.reason()).isEqualTo(SpotifyLoginException.Reason.INVALID_CREDENTIALS));
    }

    @Test
    void aShortLivedTokenIsRenewedAtHalfItsLife() throws Exception {
        ScriptedHttp http = new ScriptedHttp()
                .thenProto(LoginResponse.newBuilder().setOk(LoginOk.newBuilder().setAccessToken("short")
                        .setAccessTokenExpiresIn(60)).build())
                .thenProto(ok("tok-2", ""));
        Login5Tokens tokens = tokens(http);
        assertThat(tokens.current().accessToken()).isEqualTo("short");
        time.advance(Duration.ofSeconds(29));
        assertThat(tokens.current().accessToken()).isEqualTo("short");
        time.advance(Duration.ofSeconds(1));
        assertThat(tokens.current().accessToken()).isEqualTo("tok-2");
    }
}
