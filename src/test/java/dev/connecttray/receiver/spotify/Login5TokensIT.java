package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.VirtualTime;
import dev.connecttray.fakespotify.FakeLogin5;
import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.SystemPropertiesOverride;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Login5 tokens from the fake's Login5 over HTTPS through its proxy, on a virtual clock: the token
 * is renewed before it expires, with the stored credential the last answer handed out (Spotify's
 * Login5 hands out a new one each time), and no hour passes in the test.
 */
class Login5TokensIT {
    private FakeSpotify fake;
    private SystemPropertiesOverride properties;
    private OkHttpClient client;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSpotify.start();
        properties = fake.installSystemProperties();
        client = new OkHttpClient();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.dispatcher().executorService().shutdownNow();
            client.connectionPool().evictAll();
        }
        if (properties != null) properties.close();
        if (fake != null) fake.close();
    }

    @Test
    void theTokenIsRenewedBeforeItExpiresWithTheNewestStoredCredential() throws Exception {
        VirtualTime time = new VirtualTime();
        Login5Tokens tokens = new Login5Tokens(new Login5Client(new OkHttpTransport(client)),
                () -> new Login5Client.Credential(FakeSpotify.DEFAULT_USERNAME,
                        FakeLogin5.storedCredentialFor(FakeSpotify.DEFAULT_USERNAME)),
                "0123456789abcdef0123456789abcdef01234567", time);

        String first = tokens.current().accessToken();
        assertThat(fake.login5().isValidToken(first)).isTrue();
        time.advance(Duration.ofMinutes(50));
        assertThat(tokens.current().accessToken()).as("still good for 10 min: kept").isEqualTo(first);

        time.advance(Duration.ofMinutes(6)); // 4 min before expiry
        String second = tokens.current().accessToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(fake.login5().isValidToken(second)).isTrue();
        assertThat(fake.login5().credentialsAccepted().snapshot()).containsExactly("access-point", "login5");
    }

    @Test
    void aChallengedRenewalIsAnsweredToo() throws Exception {
        VirtualTime time = new VirtualTime();
        Login5Tokens tokens = new Login5Tokens(new Login5Client(new OkHttpTransport(client)),
                () -> new Login5Client.Credential(FakeSpotify.DEFAULT_USERNAME,
                        FakeLogin5.storedCredentialFor(FakeSpotify.DEFAULT_USERNAME)),
                "0123456789abcdef0123456789abcdef01234567", time);
        tokens.current();
        fake.setLogin5Mode(FakeLogin5.Mode.CHALLENGE);
        time.advance(Duration.ofMinutes(58));

        assertThat(fake.login5().isValidToken(tokens.current().accessToken())).isTrue();
        assertThat(fake.login5().requests().snapshot()).anySatisfy(r -> {
            assertThat(r.withSolution()).isTrue();
            assertThat(r.solutionValid()).isTrue();
        });
    }
}
