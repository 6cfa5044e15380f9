package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.spotify.clienttoken.http.v0.ClientToken;
import com.spotify.connectstate.Connect;
import com.spotify.extendedmetadata.EntityExtensionDataOuterClass.EntityExtensionData;
import com.spotify.extendedmetadata.ExtendedMetadata;
import com.spotify.extendedmetadata.ExtensionKindOuterClass.ExtensionKind;
import com.spotify.login5v3.Credentials;
import com.spotify.login5v3.Login5;
import com.spotify.metadata.Metadata;
import com.spotify.storage.StorageResolve;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake's HTTPS endpoints (Login5, clienttoken, spclient, CDN, dealer) through its proxy, as
 * librespot's OkHttp client reaches them: {@code CONNECT host:443} to {@link FakeApResolve}, then
 * TLS with the fake certificate and OkHttp's hostname verification.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeSpotifyHttpsIT {
    private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef01234567";
    private static final String USERNAME = "someone@example.com";

    private static FakeSpotify fake;
    private static SystemPropertiesOverride properties;
    private static OkHttpClient http;
    private static FakeCatalog.Track track;

    @BeforeAll
    static void startFake() throws IOException {
        fake = FakeSpotify.start(Duration.ofMinutes(3));
        properties = fake.installSystemProperties();
        http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();
        Random random = new Random(42);
        byte[] gid = new byte[16];
        byte[] fileId = new byte[20];
        byte[] key = new byte[16];
        byte[] file = new byte[300_001];
        random.nextBytes(gid);
        random.nextBytes(fileId);
        random.nextBytes(key);
        random.nextBytes(file);
        track = new FakeCatalog.Track("HTTPS test track", gid, fileId, Metadata.AudioFile.Format.OGG_VORBIS_160,
                key, file, 12_345);
        fake.catalog().add(track);
    }

    @AfterEach
    void reset() throws IOException {
        fake.reset();
    }

    @AfterAll
    static void stopFake() {
        if (http != null) {
            http.dispatcher().executorService().shutdownNow();
            http.connectionPool().evictAll();
        }
        if (fake != null) fake.close();
        if (properties != null) properties.close();
    }

    // ------------------------------------------------------------------ Login5

    @Test
    void login5GivesATokenForTheAccessPointsReusableCredentials() throws IOException {
        Login5.LoginResponse response = login5(storedCredentialRequest().build());

        assertThat(response.hasOk()).as(response.toString()).isTrue();
        assertThat(response.getOk().getUsername()).isEqualTo(USERNAME);
        assertThat(response.getOk().getAccessToken()).startsWith(FakeLogin5.TOKEN_PREFIX);
        assertThat(response.getOk().getAccessTokenExpiresIn()).isEqualTo(3600);
        // A new stored credential at every login, as Spotify's Login5 does; it logs in next time.
        ByteString next = response.getOk().getStoredCredential();
        assertThat(next).isNotEqualTo(ByteString.copyFrom(FakeLogin5.storedCredentialFor(USERNAME))).isNotEmpty();
        Login5.LoginRequest.Builder again = storedCredentialRequest();
        again.setStoredCredential(again.getStoredCredential().toBuilder().setData(next));
        assertThat(login5(again.build()).hasOk()).isTrue();
        assertThat(fake.login5().isValidToken(response.getOk().getAccessToken())).isTrue();
        // Through a CONNECT tunnel (perhaps one an earlier test opened: the fake keeps connections alive).
        assertThat(fake.apResolve().tunnels().snapshot()).anySatisfy(t -> assertThat(t.host()).isEqualTo(FakeHosts.LOGIN5));
        assertThat(fake.login5().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.OK);
            assertThat(r.methods()).containsExactly("stored_credential");
            assertThat(r.deviceId()).isEqualTo(DEVICE_ID);
            assertThat(r.withSolution()).isFalse();
        });
    }

    @Test
    void login5TokenLifetimeIsConfigurable() throws IOException {
        fake.setTokenLifetime(Duration.ofSeconds(90));
        assertThat(login5(storedCredentialRequest().build()).getOk().getAccessTokenExpiresIn()).isEqualTo(90);
    }

    @Test
    void login5ChallengeSolvedThenToken() throws IOException {
        fake.setLogin5Mode(FakeLogin5.Mode.CHALLENGE);
        Login5.LoginResponse first = login5(storedCredentialRequest().build());
        assertThat(first.hasChallenges()).as(first.toString()).isTrue();
        assertThat(first.getLoginContext().size()).isPositive();
        Login5.Challenge challenge = first.getChallenges().getChallenges(0);
        byte[] prefix = challenge.getHashcash().getPrefix().toByteArray();
        assertThat(prefix).hasSize(16);
        assertThat(challenge.getHashcash().getLength()).isEqualTo(FakeLogin5.DEFAULT_CHALLENGE_LENGTH);

        byte[] suffix = Hashcash.solve(prefix, challenge.getHashcash().getLength());
        Login5.LoginResponse second = login5(withSolution(first, suffix));

        assertThat(second.hasOk()).as(second.toString()).isTrue();
        assertThat(fake.login5().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.withSolution()).isTrue();
            assertThat(r.solutionValid()).isTrue();
            assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.OK);
        });
    }

    @Test
    void login5WrongSolutionIsABadRequest() throws IOException {
        fake.setLogin5Mode(FakeLogin5.Mode.CHALLENGE);
        Login5.LoginResponse first = login5(storedCredentialRequest().build());
        Login5.Challenge challenge = first.getChallenges().getChallenges(0);
        byte[] wrong = Hashcash.wrongSuffix(challenge.getHashcash().getPrefix().toByteArray(), challenge.getHashcash().getLength());

        Login5.LoginResponse second = login5(withSolution(first, wrong));

        assertThat(second.getError()).isEqualTo(Login5.LoginError.BAD_REQUEST);
        assertThat(fake.login5().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.solutionValid()).isFalse();
            assertThat(r.reason()).contains("trailing zero bits");
        });
        // the login_context is used up: even a right answer now is refused
        Login5.LoginResponse third = login5(withSolution(first,
                Hashcash.solve(challenge.getHashcash().getPrefix().toByteArray(), challenge.getHashcash().getLength())));
        assertThat(third.getError()).isEqualTo(Login5.LoginError.BAD_REQUEST);
    }

    @Test
    void login5WithASecondLoginMethodIsABadRequest() throws IOException {
        Login5.LoginResponse response = login5(storedCredentialRequest()
                .setPassword(Credentials.Password.newBuilder().setId(USERNAME).setPassword("pw"))
                .build());

        assertThat(response.getError()).isEqualTo(Login5.LoginError.BAD_REQUEST);
        assertThat(fake.login5().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.methods()).containsExactly("stored_credential", "password");
            assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.BAD_REQUEST);
        });
    }

    @Test
    void login5InvalidCredentials() throws IOException {
        Login5.LoginResponse wrongData = login5(Login5.LoginRequest.newBuilder()
                .setClientInfo(clientInfo())
                .setStoredCredential(Credentials.StoredCredential.newBuilder().setUsername(USERNAME)
                        .setData(ByteString.copyFromUtf8("something else")))
                .build());
        assertThat(wrongData.getError()).isEqualTo(Login5.LoginError.INVALID_CREDENTIALS);

        fake.setLogin5Mode(FakeLogin5.Mode.INVALID_CREDENTIALS);
        assertThat(login5(storedCredentialRequest().build()).getError()).isEqualTo(Login5.LoginError.INVALID_CREDENTIALS);
        fake.setLogin5Mode(FakeLogin5.Mode.TRY_AGAIN_LATER);
        assertThat(login5(storedCredentialRequest().build()).getError()).isEqualTo(Login5.LoginError.TRY_AGAIN_LATER);
        fake.setLogin5Mode(FakeLogin5.Mode.TOO_MANY_ATTEMPTS);
        assertThat(login5(storedCredentialRequest().build()).getError()).isEqualTo(Login5.LoginError.TOO_MANY_ATTEMPTS);
    }

    @Test
    void login5Http503IsAnHtmlPage() throws IOException {
        fake.setLogin5Mode(FakeLogin5.Mode.HTTP_503);
        try (Response response = post("https://" + FakeHosts.LOGIN5 + "/v3/login", storedCredentialRequest().build().toByteArray())) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.header("Content-Type")).startsWith("text/html");
        }
    }

    // ------------------------------------------------------------------ clienttoken

    @Test
    void clientTokenRefusesLibrespotsUnknownVersionAndGrantsARealOne() throws IOException {
        try (Response response = post("https://" + FakeHosts.CLIENTTOKEN + "/v1/clienttoken", clientDataRequest("?.?.?").toByteArray())) {
            assertThat(response.code()).isEqualTo(400);
        }
        assertThat(fake.clientToken().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.clientVersion()).isEqualTo("?.?.?");
            assertThat(r.answer()).isEqualTo(FakeClientToken.Answer.HTTP_400);
        });
        try (Response response = post("https://" + FakeHosts.CLIENTTOKEN + "/v1/clienttoken", clientDataRequest("").toByteArray())) {
            assertThat(response.code()).isEqualTo(400);
        }

        ClientToken.ClientTokenResponse granted = clientToken(clientDataRequest("1.2.52.442"));
        assertThat(granted.getResponseType()).isEqualTo(ClientToken.ClientTokenResponseType.RESPONSE_GRANTED_TOKEN_RESPONSE);
        assertThat(granted.getGrantedToken().getToken()).startsWith(FakeClientToken.TOKEN_PREFIX);
        assertThat(granted.getGrantedToken().getExpiresAfterSeconds()).isPositive();
        assertThat(fake.clientToken().isGranted(granted.getGrantedToken().getToken())).isTrue();
        assertThat(clientToken(clientDataRequest("1.2.52.442.g0ed1d3dc")).hasGrantedToken()).isTrue();
        assertThat(FakeClientToken.isAcceptedVersion("1.2")).isFalse();

        fake.setBehaviour(FakeSpotify.Behaviour.LEGACY_2023);
        assertThat(clientToken(clientDataRequest("?.?.?")).hasGrantedToken()).isTrue();
    }

    @Test
    void clientTokenChallenge() throws IOException {
        fake.setClientTokenChallenge(true);
        ClientToken.ClientTokenResponse first = clientToken(clientDataRequest("1.2.52.442"));
        assertThat(first.getResponseType()).isEqualTo(ClientToken.ClientTokenResponseType.RESPONSE_CHALLENGES_RESPONSE);
        ClientToken.Challenge challenge = first.getChallenges().getChallenges(0);
        assertThat(challenge.getType()).isEqualTo(ClientToken.ChallengeType.CHALLENGE_HASH_CASH);
        byte[] prefix = HexFormat.of().parseHex(challenge.getEvaluateHashcashParameters().getPrefix());
        int length = challenge.getEvaluateHashcashParameters().getLength();

        try (Response response = post("https://" + FakeHosts.CLIENTTOKEN + "/v1/clienttoken",
                answer(first.getChallenges().getState(), Hashcash.wrongSuffix(prefix, length)).toByteArray())) {
            assertThat(response.code()).isEqualTo(400);
        }
        // a fresh challenge, answered right
        first = clientToken(clientDataRequest("1.2.52.442"));
        challenge = first.getChallenges().getChallenges(0);
        prefix = HexFormat.of().parseHex(challenge.getEvaluateHashcashParameters().getPrefix());
        ClientToken.ClientTokenResponse granted = clientToken(answer(first.getChallenges().getState(), Hashcash.solve(prefix, length)));

        assertThat(granted.hasGrantedToken()).as(granted.toString()).isTrue();
        assertThat(fake.clientToken().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.requestType()).isEqualTo(ClientToken.ClientTokenRequestType.REQUEST_CHALLENGE_ANSWERS_REQUEST);
            assertThat(r.clientVersion()).isEqualTo("1.2.52.442");
            assertThat(r.answer()).isEqualTo(FakeClientToken.Answer.GRANTED);
        });
    }

    // ------------------------------------------------------------------ spclient

    @Test
    void spclientNeedsALogin5BearerAndAClientToken() throws IOException {
        String login5 = login5Token();
        String clientToken = clientTokenValue();
        String url = "https://" + FakeHosts.SPCLIENT + "/some/endpoint";

        assertThat(status(get(url, null, clientToken))).isEqualTo(401);
        assertThat(status(get(url, "fake-access-token-1", clientToken))).isEqualTo(401);
        assertThat(status(get(url, login5, null))).isEqualTo(401);
        assertThat(status(get(url, login5, clientToken))).isEqualTo(200);
        // directly on loopback too (what apresolve hands out)
        assertThat(status(get(direct("/some/endpoint"), login5, clientToken))).isEqualTo(200);
        assertThat(fake.spclient().requests().snapshot()).last().satisfies(r -> {
            assertThat(r.host()).isEqualTo("127.0.0.1");
            assertThat(r.authorization()).isEqualTo(login5);
            assertThat(r.status()).isEqualTo(200);
        });

        fake.setBehaviour(FakeSpotify.Behaviour.LEGACY_2023);
        assertThat(status(get(url, "fake-access-token-1", null))).isEqualTo(200);
    }

    @Test
    void metadata4Is500By2026AndATrackInLegacy() throws IOException {
        String login5 = login5Token();
        String clientToken = clientTokenValue();
        assertThat(status(get(direct("/metadata/4/track/" + track.gidHex()), login5, clientToken))).isEqualTo(500);

        fake.setBehaviour(FakeSpotify.Behaviour.LEGACY_2023);
        try (Response response = get(direct("/metadata/4/track/" + track.gidHex()), "fake-access-token-7", null)) {
            assertThat(response.code()).isEqualTo(200);
            Metadata.Track t = Metadata.Track.parseFrom(response.body().bytes());
            assertThat(t.getGid().toByteArray()).isEqualTo(track.gid());
            assertThat(t.getName()).isEqualTo(track.name());
            assertThat(t.getDuration()).isEqualTo(track.durationMs());
            assertThat(t.getFileList()).singleElement().satisfies(f -> {
                assertThat(f.getFileId().toByteArray()).isEqualTo(track.fileId());
                assertThat(f.getFormat()).isEqualTo(track.format());
            });
        }
        assertThat(status(get(direct("/metadata/4/track/" + "00".repeat(16)), "fake-access-token-7", null))).isEqualTo(404);
    }

    @Test
    void extendedMetadataGivesTrackV4WithoutFilesAndAudioFiles() throws IOException {
        String unknown = "spotify:track:0000000000000000000000";
        ExtendedMetadata.BatchedEntityRequest request = ExtendedMetadata.BatchedEntityRequest.newBuilder()
                .addEntityRequest(entityRequest(track.uri(), ExtensionKind.TRACK_V4, ExtensionKind.AUDIO_FILES))
                .addEntityRequest(entityRequest(unknown, ExtensionKind.TRACK_V4))
                .build();
        ExtendedMetadata.BatchedExtensionResponse response;
        try (Response r = spclientPost("/extended-metadata/v0/extended-metadata", request.toByteArray())) {
            assertThat(r.code()).isEqualTo(200);
            response = ExtendedMetadata.BatchedExtensionResponse.parseFrom(r.body().bytes());
        }

        EntityExtensionData trackV4 = data(response, ExtensionKind.TRACK_V4, track.uri());
        assertThat(trackV4.getHeader().getStatusCode()).isEqualTo(200);
        assertThat(trackV4.getExtensionData().getTypeUrl()).isEqualTo("type.googleapis.com/spotify.metadata.Track");
        Metadata.Track t = Metadata.Track.parseFrom(trackV4.getExtensionData().getValue());
        assertThat(t.getGid().toByteArray()).isEqualTo(track.gid());
        assertThat(t.getName()).isEqualTo(track.name());
        assertThat(t.getFileCount()).isZero();

        EntityExtensionData audioFiles = data(response, ExtensionKind.AUDIO_FILES, track.uri());
        assertThat(audioFiles.getHeader().getStatusCode()).isEqualTo(200);
        assertThat(audioFiles.getExtensionData().getTypeUrl())
                .isEqualTo("type.googleapis.com/spotify.extendedmetadata.audiofiles.AudioFilesExtensionResponse");
        AudioFiles parsed = AudioFiles.parse(audioFiles.getExtensionData().getValue());
        assertThat(parsed.files()).singleElement().satisfies(f -> {
            assertThat(f.file().getFileId().toByteArray()).isEqualTo(track.fileId());
            assertThat(f.file().getFormat()).isEqualTo(Metadata.AudioFile.Format.OGG_VORBIS_160);
            assertThat(f.averageBitrate()).isEqualTo(160_000);
        });
        assertThat(parsed.loudnessDb()).isEqualTo(FakeSpclient.LOUDNESS_DB);
        assertThat(parsed.truePeakDb()).isEqualTo(FakeSpclient.TRUE_PEAK_DB);
        assertThat(parsed.audioId()).isEqualTo(track.gid());

        assertThat(data(response, ExtensionKind.TRACK_V4, unknown).getHeader().getStatusCode()).isEqualTo(404);
    }

    @Test
    void storageResolveAndTheCdnServeTheCatalogsFileByRange() throws IOException {
        StorageResolve.StorageResolveResponse resolved = storageResolve();
        assertThat(resolved.getResult()).isEqualTo(StorageResolve.StorageResolveResponse.Result.CDN);
        assertThat(resolved.getFileid().toByteArray()).isEqualTo(track.fileId());
        assertThat(resolved.getCdnurlList()).hasSize(2);
        assertThat(resolved.getCdnurl(0)).startsWith("https://" + FakeHosts.CDN_FIRST + "/audio/" + track.fileIdHex() + "?");
        assertThat(resolved.getCdnurl(1)).startsWith("https://" + FakeHosts.CDN_SECOND + "/audio/" + track.fileIdHex() + "?__token__=exp=");

        byte[] file = track.encryptedFile();
        for (String url : resolved.getCdnurlList()) {
            try (Response r = http.newCall(new Request.Builder().url(url).header("Range", "bytes=0-131071").build()).execute()) {
                assertThat(r.code()).isEqualTo(206);
                assertThat(r.header("Content-Range")).isEqualTo("bytes 0-131071/" + file.length);
                assertThat(r.body().bytes()).isEqualTo(Arrays.copyOfRange(file, 0, 131072));
            }
        }
        try (Response r = http.newCall(new Request.Builder().url(resolved.getCdnurl(1))
                .header("Range", "bytes=262144-393215").build()).execute()) {
            assertThat(r.code()).isEqualTo(206);
            assertThat(r.header("Content-Range")).isEqualTo("bytes 262144-" + (file.length - 1) + "/" + file.length);
            assertThat(r.body().bytes()).isEqualTo(Arrays.copyOfRange(file, 262144, file.length));
        }
        try (Response r = http.newCall(new Request.Builder().url(resolved.getCdnurl(0)).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().bytes()).isEqualTo(file);
        }
        assertThat(status(http.newCall(new Request.Builder()
                .url("https://" + FakeHosts.CDN_SECOND + "/audio/" + "ab".repeat(20)).build()).execute())).isEqualTo(404);
        assertThat(fake.cdn().requests().snapshot()).anySatisfy(r -> {
            assertThat(r.host()).isEqualTo(FakeHosts.CDN_SECOND);
            assertThat(r.path()).isEqualTo("/audio/" + track.fileIdHex());
            assertThat(r.range()).isEqualTo("bytes=262144-393215");
            assertThat(r.status()).isEqualTo(206);
        });
    }

    @Test
    void firstCdnHostCanFailWith530() throws IOException {
        fake.setCdnFirstUrlFails(true);
        StorageResolve.StorageResolveResponse resolved = storageResolve();
        try (Response r = http.newCall(new Request.Builder().url(resolved.getCdnurl(0)).header("Range", "bytes=0-9").build()).execute()) {
            assertThat(r.code()).isEqualTo(530);
        }
        try (Response r = http.newCall(new Request.Builder().url(resolved.getCdnurl(1)).header("Range", "bytes=0-9").build()).execute()) {
            assertThat(r.code()).isEqualTo(206);
            assertThat(r.body().bytes()).isEqualTo(Arrays.copyOfRange(track.encryptedFile(), 0, 10));
        }
        assertThat(fake.cdn().requests().snapshot()).anySatisfy(r -> {
            assertThat(r.host()).isEqualTo(FakeHosts.CDN_FIRST);
            assertThat(r.status()).isEqualTo(530);
        });
    }

    @Test
    void connectStatePutIsRecordedWithTheDeviceName() throws IOException {
        Connect.PutStateRequest put = Connect.PutStateRequest.newBuilder()
                .setDevice(Connect.Device.newBuilder().setDeviceInfo(Connect.DeviceInfo.newBuilder()
                        .setName("Living room tray").setDeviceId(DEVICE_ID)))
                .setPutStateReason(Connect.PutStateReason.NEW_DEVICE)
                .build();
        int spclientBefore = fake.dealer().spclientRequests().count();
        String login5 = login5Token();
        String clientToken = clientTokenValue();
        try (Response r = http.newCall(new Request.Builder().url(direct("/connect-state/v1/devices/" + DEVICE_ID))
                .header("Authorization", "Bearer " + login5).header("client-token", clientToken)
                .header("X-Spotify-Connection-Id", "fake-connection-1")
                .put(RequestBody.create(put.toByteArray(), PROTOBUF)).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(put.toBuilder().setDevice(put.getDevice().toBuilder()
                    .setDeviceInfo(put.getDevice().getDeviceInfo().toBuilder().setName("Kitchen"))).build().toByteArray());
        }
        try (Response r = http.newCall(new Request.Builder().url("https://" + FakeHosts.SPCLIENT + "/connect-state/v1/devices/" + DEVICE_ID)
                .header("Authorization", "Bearer " + login5).header("client-token", clientToken)
                .header("Content-Encoding", "gzip")
                .put(RequestBody.create(gz.toByteArray(), PROTOBUF)).build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }

        List<FakeSpclient.DeviceRegistration> devices = fake.spclient().devices().snapshot();
        assertThat(devices.get(devices.size() - 2)).satisfies(d -> {
            assertThat(d.deviceId()).isEqualTo(DEVICE_ID);
            assertThat(d.name()).isEqualTo("Living room tray");
            assertThat(d.connectionId()).isEqualTo("fake-connection-1");
            assertThat(d.reason()).isEqualTo(Connect.PutStateReason.NEW_DEVICE);
            assertThat(d.gzipped()).isFalse();
        });
        assertThat(devices.get(devices.size() - 1)).satisfies(d -> {
            assertThat(d.name()).isEqualTo("Kitchen");
            assertThat(d.gzipped()).isTrue();
        });
        // still recorded as spclient requests, as before
        assertThat(fake.dealer().spclientRequests().since(spclientBefore))
                .filteredOn(r -> r.method().equals("PUT")).hasSize(2);
    }

    // ------------------------------------------------------------------ dealer and proxy

    @Test
    void dealerNeedsALogin5TokenBy2026() throws Exception {
        int refusedBefore = fake.dealer().refusedUpgrades().count();
        assertThat(openWebSocket("wss://" + FakeHosts.DEALER + "/?access_token=fake-access-token-3")).isEqualTo(401);
        assertThat(fake.dealer().refusedUpgrades().since(refusedBefore)).singleElement()
                .satisfies(r -> assertThat(r.accessToken()).isEqualTo("fake-access-token-3"));

        String token = login5Token();
        assertThat(openWebSocket("wss://" + FakeHosts.DEALER + "/?access_token=" + token)).isEqualTo(101);
        // The fake records the connection after it answered the upgrade: wait for it.
        assertThat(fake.dealer().connections().awaitMatching(c -> token.equals(c.accessToken()),
                java.time.Duration.ofSeconds(10))).isTrue();

        fake.setBehaviour(FakeSpotify.Behaviour.LEGACY_2023);
        assertThat(openWebSocket("wss://127.0.0.1:" + fake.dealer().port() + "/?access_token=fake-access-token-3")).isEqualTo(101);
    }

    @Test
    void anUnknownConnectIsRefused() {
        int before = fake.apResolve().refused().count();
        assertThatThrownBy(() -> http.newCall(new Request.Builder().url("https://api.spotify.com/v1/me").build()).execute().close())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> http.newCall(new Request.Builder().url("https://" + FakeHosts.LOGIN5 + ":8443/v3/login").build())
                .execute().close())
                .isInstanceOf(IOException.class);
        assertThat(fake.apResolve().refused().since(before)).extracting(FakeApResolve.Refused::target)
                .contains("api.spotify.com:443", FakeHosts.LOGIN5 + ":8443");
    }

    // ------------------------------------------------------------------ helpers

    private static Login5.LoginRequest.Builder storedCredentialRequest() {
        return Login5.LoginRequest.newBuilder()
                .setClientInfo(clientInfo())
                .setStoredCredential(Credentials.StoredCredential.newBuilder().setUsername(USERNAME)
                        .setData(ByteString.copyFrom(FakeLogin5.storedCredentialFor(USERNAME))));
    }

    private static com.spotify.login5v3.ClientInfoOuterClass.ClientInfo clientInfo() {
        return com.spotify.login5v3.ClientInfoOuterClass.ClientInfo.newBuilder()
                .setClientId(FakeLogin5.CLIENT_ID).setDeviceId(DEVICE_ID).build();
    }

    private static Login5.LoginRequest withSolution(Login5.LoginResponse challenge, byte[] suffix) {
        return storedCredentialRequest()
                .setLoginContext(challenge.getLoginContext())
                .setChallengeSolutions(Login5.ChallengeSolutions.newBuilder().addSolutions(Login5.ChallengeSolution.newBuilder()
                        .setHashcash(com.spotify.login5v3.Hashcash.HashcashSolution.newBuilder()
                                .setSuffix(ByteString.copyFrom(suffix))
                                .setDuration(com.google.protobuf.Duration.newBuilder().setNanos(1_000_000)))))
                .build();
    }

    private static Login5.LoginResponse login5(Login5.LoginRequest request) throws IOException {
        try (Response response = post("https://" + FakeHosts.LOGIN5 + "/v3/login", request.toByteArray())) {
            assertThat(response.code()).isEqualTo(200);
            return Login5.LoginResponse.parseFrom(response.body().bytes());
        }
    }

    private static String login5Token() throws IOException {
        return login5(storedCredentialRequest().build()).getOk().getAccessToken();
    }

    private static ClientToken.ClientTokenRequest clientDataRequest(String version) {
        return ClientToken.ClientTokenRequest.newBuilder()
                .setRequestType(ClientToken.ClientTokenRequestType.REQUEST_CLIENT_DATA_REQUEST)
                .setClientData(ClientToken.ClientDataRequest.newBuilder()
                        .setClientVersion(version).setClientId(FakeLogin5.CLIENT_ID))
                .build();
    }

    private static ClientToken.ClientTokenRequest answer(String state, byte[] suffix) {
        return ClientToken.ClientTokenRequest.newBuilder()
                .setRequestType(ClientToken.ClientTokenRequestType.REQUEST_CHALLENGE_ANSWERS_REQUEST)
                .setChallengeAnswers(ClientToken.ChallengeAnswersRequest.newBuilder()
                        .setState(state)
                        .addAnswers(ClientToken.ChallengeAnswer.newBuilder()
                                .setChallengeType(ClientToken.ChallengeType.CHALLENGE_HASH_CASH)
                                .setHashCash(ClientToken.HashCashAnswer.newBuilder().setSuffix(HexFormat.of().formatHex(suffix)))))
                .build();
    }

    private static ClientToken.ClientTokenResponse clientToken(ClientToken.ClientTokenRequest request) throws IOException {
        try (Response response = post("https://" + FakeHosts.CLIENTTOKEN + "/v1/clienttoken", request.toByteArray())) {
            assertThat(response.code()).isEqualTo(200);
            return ClientToken.ClientTokenResponse.parseFrom(response.body().bytes());
        }
    }

    private static String clientTokenValue() throws IOException {
        return clientToken(clientDataRequest("1.2.52.442")).getGrantedToken().getToken();
    }

    private static Response post(String url, byte[] body) throws IOException {
        return http.newCall(new Request.Builder().url(url)
                .header("Accept", "application/x-protobuf")
                .post(RequestBody.create(body, PROTOBUF)).build()).execute();
    }

    private static Response get(String url, String bearer, String clientToken) throws IOException {
        Request.Builder request = new Request.Builder().url(url);
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        if (clientToken != null) request.header("client-token", clientToken);
        return http.newCall(request.build()).execute();
    }

    private static Response spclientPost(String path, byte[] body) throws IOException {
        return http.newCall(new Request.Builder().url("https://" + FakeHosts.SPCLIENT + path)
                .header("Authorization", "Bearer " + login5Token())
                .header("client-token", clientTokenValue())
                .post(RequestBody.create(body, PROTOBUF)).build()).execute();
    }

    private static StorageResolve.StorageResolveResponse storageResolve() throws IOException {
        try (Response r = get("https://" + FakeHosts.SPCLIENT + "/storage-resolve/files/audio/interactive/" + track.fileIdHex(),
                login5Token(), clientTokenValue())) {
            assertThat(r.code()).isEqualTo(200);
            return StorageResolve.StorageResolveResponse.parseFrom(r.body().bytes());
        }
    }

    private static String direct(String path) {
        return "https://127.0.0.1:" + fake.dealer().port() + path;
    }

    private static int status(Response response) {
        try (response) {
            return response.code();
        }
    }

    private static ExtendedMetadata.EntityRequest entityRequest(String uri, ExtensionKind... kinds) {
        ExtendedMetadata.EntityRequest.Builder request = ExtendedMetadata.EntityRequest.newBuilder().setEntityUri(uri);
        for (ExtensionKind kind : kinds) request.addQuery(ExtendedMetadata.ExtensionQuery.newBuilder().setExtensionKind(kind));
        return request.build();
    }

    private static EntityExtensionData data(ExtendedMetadata.BatchedExtensionResponse response, ExtensionKind kind, String uri) {
        return response.getExtendedMetadataList().stream()
                .filter(a -> a.getExtensionKind() == kind)
                .flatMap(a -> a.getExtensionDataList().stream())
                .filter(d -> d.getEntityUri().equals(uri))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " for " + uri + " in " + response));
    }

    /** The WebSocket upgrade's status: 101 when it opened, else the error status. */
    private static int openWebSocket(String url) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        WebSocket ws = http.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                status.complete(response.code());
                webSocket.close(1000, "done");
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                status.complete(response == null ? -1 : response.code());
            }
        });
        try {
            return status.get(15, TimeUnit.SECONDS);
        } finally {
            ws.cancel();
        }
    }

    /** AudioFilesExtensionResponse, decoded by hand (it is not in librespot's jar). */
    private record AudioFiles(List<ExtendedAudioFile> files, float loudnessDb, float truePeakDb, byte[] audioId) {
        static AudioFiles parse(ByteString bytes) throws IOException {
            CodedInputStream in = bytes.newCodedInput();
            List<ExtendedAudioFile> files = new java.util.ArrayList<>();
            float loudness = Float.NaN;
            float peak = Float.NaN;
            byte[] audioId = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> files.add(ExtendedAudioFile.parse(in.readBytes()));
                    case 2 -> {
                        CodedInputStream n = in.readBytes().newCodedInput();
                        for (int t = n.readTag(); t != 0; t = n.readTag()) {
                            if (WireFormat.getTagFieldNumber(t) == 1) loudness = n.readFloat();
                            else if (WireFormat.getTagFieldNumber(t) == 2) peak = n.readFloat();
                            else n.skipField(t);
                        }
                    }
                    case 4 -> audioId = in.readBytes().toByteArray();
                    default -> in.skipField(tag);
                }
            }
            return new AudioFiles(files, loudness, peak, audioId);
        }
    }

    private record ExtendedAudioFile(Metadata.AudioFile file, int averageBitrate) {
        static ExtendedAudioFile parse(ByteString bytes) throws IOException {
            CodedInputStream in = bytes.newCodedInput();
            Metadata.AudioFile file = null;
            int bitrate = -1;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> file = Metadata.AudioFile.parseFrom(in.readBytes());
                    case 4 -> bitrate = in.readInt32();
                    default -> in.skipField(tag);
                }
            }
            return new ExtendedAudioFile(file, bitrate);
        }
    }
}
