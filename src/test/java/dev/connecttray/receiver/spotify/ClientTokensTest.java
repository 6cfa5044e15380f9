package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.spotify.clienttoken.http.v0.ClientToken.Challenge;
import com.spotify.clienttoken.http.v0.ClientToken.ChallengeType;
import com.spotify.clienttoken.http.v0.ClientToken.ChallengesResponse;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenRequest;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenRequestType;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenResponse;
import com.spotify.clienttoken.http.v0.ClientToken.ClientTokenResponseType;
import com.spotify.clienttoken.http.v0.ClientToken.GrantedTokenResponse;
import com.spotify.clienttoken.http.v0.ClientToken.HashCashParameters;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ClientTokensTest {
    private static final String DEVICE = "d".repeat(40);

    private static ClientTokenResponse granted(String token) {
        return ClientTokenResponse.newBuilder()
                .setResponseType(ClientTokenResponseType.RESPONSE_GRANTED_TOKEN_RESPONSE)
                .setGrantedToken(GrantedTokenResponse.newBuilder().setToken(token)
                        .setRefreshAfterSeconds(1209600).setExpiresAfterSeconds(1209700))
                .build();
    }

    /** Regression: librespot-java 1.6.3 from Maven Central sends "?.?.?" and gets HTTP 400. */
    @Test
    void sendsARealClientVersionNotTheMavenJarsQuestionMarks() throws Exception {
        ScriptedHttp http = new ScriptedHttp().thenProto(granted("ct-1"));
        ClientTokens.Granted granted = new ClientTokens(http).fetch(DEVICE);

        assertThat(granted.token()).isEqualTo("ct-1");
        assertThat(granted.refreshAfter()).isEqualTo(Duration.ofDays(14));
        ClientTokenRequest request = ClientTokenRequest.parseFrom(http.posted.get(0).body());
        assertThat(http.posted.get(0).url()).isEqualTo("https://clienttoken.spotify.com/v1/clienttoken");
        assertThat(request.getClientData().getClientVersion()).matches("\\d+\\.\\d+\\.\\d+(\\.\\d+)?(\\.g[0-9a-f]+)?")
                .isNotEqualTo("?.?.?");
        assertThat(request.getClientData().getConnectivitySdkData().getDeviceId()).isEqualTo(DEVICE);
    }

    @Test
    void answersAHashcashChallenge() throws Exception {
        byte[] prefix = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        ScriptedHttp http = new ScriptedHttp()
                .thenProto(ClientTokenResponse.newBuilder()
                        .setResponseType(ClientTokenResponseType.RESPONSE_CHALLENGES_RESPONSE)
                        .setChallenges(ChallengesResponse.newBuilder().setState("state-7")
                                .addChallenges(Challenge.newBuilder().setType(ChallengeType.CHALLENGE_HASH_CASH)
                                        .setEvaluateHashcashParameters(HashCashParameters.newBuilder()
                                                .setPrefix(HexFormat.of().formatHex(prefix)).setLength(10))))
                        .build())
                .thenProto(granted("ct-2"));

        assertThat(new ClientTokens(http).fetch(DEVICE).token()).isEqualTo("ct-2");

        ClientTokenRequest answer = ClientTokenRequest.parseFrom(http.posted.get(1).body());
        assertThat(answer.getRequestType()).isEqualTo(ClientTokenRequestType.REQUEST_CHALLENGE_ANSWERS_REQUEST);
        assertThat(answer.getChallengeAnswers().getState()).isEqualTo("state-7");
        String suffix = answer.getChallengeAnswers().getAnswers(0).getHashCash().getSuffix();
        assertThat(Hashcash.verify(prefix, HexFormat.of().parseHex(suffix), 10)).isTrue();
    }

    @Test
    void http400IsOurBugAnd5xxIsTransient() {
        assertThatThrownBy(() -> new ClientTokens(new ScriptedHttp().thenStatus(400)).fetch(DEVICE))
                .isInstanceOfSatisfying(SpotifyLoginException.class,
                        e -> assertThat(e.reason()).isEqualTo(SpotifyLoginException.Reason.PROTOCOL));
        assertThatThrownBy(() -> new ClientTokens(new ScriptedHttp().thenStatus(502)).fetch(DEVICE))
                .isInstanceOfSatisfying(SpotifyLoginException.class, e -> assertThat(e.isTransient()).isTrue());
    }
}
