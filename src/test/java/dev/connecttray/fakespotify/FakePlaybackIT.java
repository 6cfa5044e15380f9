package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import com.spotify.metadata.Metadata;
import java.util.HexFormat;
import java.util.List;
import xyz.gianlu.librespot.audio.AudioKeyManager;
import xyz.gianlu.librespot.json.ResolvedContextWrapper;
import xyz.gianlu.librespot.mercury.MercuryClient;
import xyz.gianlu.librespot.mercury.MercuryRequests;
import com.spotify.Authentication;
import com.spotify.connectstate.Connect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.core.TimeProvider;
import xyz.gianlu.librespot.player.Player;
import xyz.gianlu.librespot.player.PlayerConfiguration;

/**
 * The fake's playback path with the unrepaired librespot-java 1.6.3, Spotify as of 2023
 * ({@link FakeAccessPoint.Behaviour#LEGACY_2023}: keymaster tokens, audio keys from the access
 * point): a phone's "play" command through the dealer, the track's metadata and file from
 * spclient and the CDN, its key from the access point, and the tone on the player's PIPE output.
 *
 * <p>What the player asks, in order, for a "play" of a catalog track (seen with spclient and the CDN
 * answering as below):
 * <ol>
 *   <li>spclient {@code GET /metadata/4/track/<gid hex, lower case>}: a {@code Metadata.Track}
 *       protobuf with gid, name, duration and a {@code file} (file_id, format);</li>
 *   <li>spclient {@code GET /storage-resolve/files/audio/interactive/<file id hex, UPPER case>}
 *       ({@code interactive_prefetch} when preloading the next track): a
 *       {@code StorageResolveResponse} protobuf, result CDN, a {@code cdnurl} whose query carries
 *       {@code __token__=exp=<epoch seconds>~...} (else librespot warns it cannot tell the expiry);</li>
 *   <li>access point: audio key (packet 0x0c) for (gid, file id);</li>
 *   <li>CDN {@code GET <cdnurl>} with {@code Range: bytes=0-131071}, then the other 128 KiB chunks
 *       in any order: 206 with {@code Content-Range: bytes a-b/<file length>} and the encrypted bytes;</li>
 *   <li>access point, Mercury: {@code hm://event-service/v1/events} (playback events), and at the end
 *       of the context {@code hm://autoplay-enabled/query?uri=...} unless autoplay is off (it is here).</li>
 * </ol>
 * A play command without pages first resolves the context: Mercury {@code hm://context-resolve/v1/<uri>}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FakePlaybackIT {
    private static final Logger LOG = LoggerFactory.getLogger(FakePlaybackIT.class);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef76543210";
    private static final Path WORK = Path.of("target", "fake-spotify", "playback").toAbsolutePath();
    /** 16-bit stereo at 44.1 kHz. */
    private static final int BYTES_PER_SECOND = 44_100 * 4;

    private static FakeSpotify fake;
    private static SystemPropertiesOverride properties;
    private Session session;
    private Player player;

    @BeforeAll
    static void startFake() throws IOException {
        Files.createDirectories(WORK);
        fake = FakeSpotify.start();
        properties = fake.installSystemProperties();
    }

    @AfterEach
    void closePlayerAndSession() throws Exception {
        logWhatTheFakeSaw();
        if (player != null) player.close();
        if (session != null) session.close();
        player = null;
        session = null;
        fake.reset();
    }

    @AfterAll
    static void stopFake() {
        if (fake != null) fake.close();
        // the proxy properties stay on the closed loopback port: see FakeSpotifyIT
    }

    @Test
    void aPhonesPlayCommandPlaysTheCatalogsToneOnThePipe() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        Path pcm = WORK.resolve("tone440.pcm");
        // an existing regular file: PipeOutput writes into it (it would mkfifo a missing one)
        Files.write(pcm, new byte[0]);

        startPlayer(pcm);
        int repliesBefore = fake.dealer().received().count();
        int keysBefore = fake.accessPoint().audioKeyRequests().count();

        PhoneCommands.Request play = PhoneCommands.playTrack(track.uri());
        assertThat(fake.dealer().broadcast(play.text())).isPositive();

        assertThat(fake.dealer().received().awaitMatching(r -> PhoneCommands.Reply.answers(r, play.key(), true), WAIT))
                .as("the device accepts the play command").isTrue();
        assertThat(fake.dealer().received().since(repliesBefore)).noneMatch(r -> PhoneCommands.Reply.answers(r, play.key(), false));
        assertThat(fake.accessPoint().audioKeyRequests().awaitMatching(
                k -> k.gidHex().equals(track.gidHex()) && k.fileIdHex().equals(track.fileIdHex()) && k.answeredKey(), WAIT))
                .as("the player asks the access point for the track's key").isTrue();
        assertThat(fake.accessPoint().audioKeyRequests().since(keysBefore)).allMatch(FakeAccessPoint.AudioKeyRequest::answeredKey);

        byte[] written = ToneAnalyzer.awaitPcm(pcm, 3 * BYTES_PER_SECOND, WAIT);
        ToneAnalyzer.Result result = ToneAnalyzer.analyzeStereo44k(written);
        LOG.info("the player wrote {} bytes: {}", written.length, result);
        assertThat(result.isTone(440, 3)).as("PCM is the 440 Hz tone: %s", result).isTrue();
        assertThat(result.rms()).isGreaterThan(0.1);
    }

    @Test
    void aPlayCommandWithAContextUriAloneResolvesItOverMercuryAndLoadsItsTrack() throws Exception {
        FakeCatalog.Track track = TestTrack.tone(TestTrack.OTHER_FREQUENCY, 2, Metadata.AudioFile.Format.OGG_VORBIS_160);
        fake.catalog().add(track);
        Path pcm = WORK.resolve("context.pcm");
        Files.write(pcm, new byte[0]);
        startPlayer(pcm);
        int mercuryBefore = fake.accessPoint().mercuryRequests().count();
        int spclientBefore = fake.dealer().spclientRequests().count();

        PhoneCommands.Request play = PhoneCommands.playContext(track.uri());
        long sent = System.nanoTime();
        assertThat(fake.dealer().broadcast(play.text())).isPositive();

        assertThat(fake.dealer().received().awaitMatching(r -> PhoneCommands.Reply.answers(r, play.key(), true), WAIT)).isTrue();
        assertThat(fake.accessPoint().mercuryRequests().since(mercuryBefore)).anySatisfy(r -> {
            assertThat(r.uri()).isEqualTo("hm://context-resolve/v1/" + track.uri());
            assertThat(r.status()).isEqualTo(200);
        });
        // then the player asks spclient for the track's metadata (what the fake answers there is spclient's business)
        assertThat(fake.dealer().spclientRequests().awaitMatching(
                r -> r.target().equals("/extended-metadata/v0/extended-metadata") && r.nanoTime() > sent, WAIT)).isTrue();
        assertThat(fake.dealer().spclientRequests().since(spclientBefore)).isNotEmpty();
    }

    @Test
    void aTransferCommandLoadsTheTransferredTrack() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        Path pcm = WORK.resolve("transfer.pcm");
        Files.write(pcm, new byte[0]);
        startPlayer(pcm);

        PhoneCommands.Request transfer = PhoneCommands.transfer(track.uri(), List.of(track.uri()), 0, 0);
        assertThat(fake.dealer().broadcast(transfer.text())).isPositive();

        assertThat(fake.dealer().received().awaitMatching(r -> PhoneCommands.Reply.answers(r, transfer.key(), true), WAIT)).isTrue();
        assertThat(fake.dealer().spclientRequests().awaitMatching(
                r -> r.target().equals("/extended-metadata/v0/extended-metadata"), WAIT)).isTrue();
    }

    @Test
    void theAccessPointHandsOutTheCatalogsAudioKeysAndRefusesOthers() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        session = builder().stored(storedCredentials()).create();
        int before = fake.accessPoint().audioKeyRequests().count();

        byte[] key = session.audioKey().getAudioKey(ByteString.copyFrom(track.gid()), ByteString.copyFrom(track.fileId()));
        assertThat(key).isEqualTo(track.audioKey());

        byte[] otherFile = new byte[20];
        assertThatThrownBy(() -> session.audioKey().getAudioKey(ByteString.copyFrom(track.gid()), ByteString.copyFrom(otherFile)))
                .isInstanceOf(AudioKeyManager.AesKeyException.class);

        fake.accessPoint().setAudioKeys(FakeAccessPoint.AudioKeys.REFUSED);
        assertThatThrownBy(() -> session.audioKey().getAudioKey(ByteString.copyFrom(track.gid()), ByteString.copyFrom(track.fileId())))
                .isInstanceOf(AudioKeyManager.AesKeyException.class);

        List<FakeAccessPoint.AudioKeyRequest> requests = fake.accessPoint().audioKeyRequests().since(before);
        // an explicit refusal is final: asked once each (librespot 1.6.3 asked twice)
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).keyHex()).isEqualTo(HexFormat.of().formatHex(track.audioKey()));
        assertThat(requests.get(0).gidHex()).isEqualTo(track.gidHex());
        assertThat(requests.get(0).fileIdHex()).isEqualTo(track.fileIdHex());
        assertThat(requests.subList(1, 2)).allSatisfy(r -> {
            assertThat(r.answeredKey()).isFalse();
            assertThat(r.errorCode()).isEqualTo(FakeAccessPoint.AUDIO_KEY_ERROR_UNKNOWN);
        });
        assertThat(requests.subList(2, 3)).allSatisfy(r -> {
            assertThat(r.answeredKey()).isFalse();
            assertThat(r.errorCode()).isEqualTo(FakeAccessPoint.AUDIO_KEY_ERROR_REFUSED);
            assertThat(r.gidHex()).isEqualTo(track.gidHex());
        });
    }

    @Test
    void contextResolveAnswersATrackContextAndUnknownTracksWith404() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        session = builder().stored(storedCredentials()).create();

        ResolvedContextWrapper context = session.mercury().sendSync(MercuryRequests.resolveContext(track.uri()));
        assertThat(context.uri()).isEqualTo(track.uri());
        assertThat(context.url()).isEqualTo("context://" + track.uri());
        assertThat(context.pages()).hasSize(1);
        assertThat(context.pages().get(0).getTracksList()).singleElement()
                .satisfies(t -> assertThat(t.getUri()).isEqualTo(track.uri()));

        String unknown = TrackIdOf.randomUri();
        assertThatThrownBy(() -> session.mercury().sendSync(MercuryRequests.resolveContext(unknown)))
                .isInstanceOfSatisfying(MercuryClient.MercuryException.class, ex -> assertThat(ex.code).isEqualTo(404));
    }

    // ------------------------------------------------------------------ helpers

    /** Random track URIs the catalog does not have. */
    private static final class TrackIdOf {
        static String randomUri() {
            byte[] gid = new byte[16];
            new java.security.SecureRandom().nextBytes(gid);
            return xyz.gianlu.librespot.metadata.TrackId.fromHex(HexFormat.of().formatHex(gid)).toSpotifyUri();
        }
    }

    private void startPlayer(Path pcm) throws Exception {
        int dealersBefore = fake.dealer().connections().count();
        int spclientBefore = fake.dealer().spclientRequests().count();
        session = builder().stored(storedCredentials()).create();
        // What LibrespotReceiver does after every login: the library's own client-token request is refused.
        session.api().setClientToken(new dev.connecttray.receiver.spotify.ClientTokens(
                new dev.connecttray.receiver.spotify.OkHttpTransport(session.client())).fetch(session.deviceId()).token());
        PlayerConfiguration conf = new PlayerConfiguration.Builder()
                .setOutput(PlayerConfiguration.AudioOutput.PIPE)
                .setOutputPipe(pcm.toFile())
                .setMixerSearchKeywords(new String[0])
                .setLogAvailableMixers(false)
                .setAutoplayEnabled(false)
                .setEnableNormalisation(false)
                .build();
        player = new Player(conf, session);
        // the player takes commands once it knows the dealer connection and has put its state
        fake.dealer().connections().awaitOrFail(dealersBefore + 1, WAIT);
        assertThat(fake.dealer().resendConnectionIds()).isPositive();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fake.dealer().spclientRequests().since(spclientBefore).stream().noneMatch(r -> r.method().equals("PUT")
                && r.target().equals("/connect-state/v1/devices/" + DEVICE_ID))) {
            assertThat(System.nanoTime()).as("the player puts its state within %s", WAIT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Session.Builder builder() {
        Session.Configuration conf = new Session.Configuration.Builder()
                .setTimeSynchronizationMethod(TimeProvider.Method.MANUAL)
                .setStoreCredentials(false)
                .setCacheEnabled(false)
                .build();
        return new Session.Builder(conf)
                .setDeviceId(DEVICE_ID)
                .setDeviceName("Connect Tray playback IT")
                .setDeviceType(Connect.DeviceType.COMPUTER);
    }

    private static java.io.File storedCredentials() throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("username", "someone@example.com");
        json.addProperty("credentials", Base64.getEncoder().encodeToString("stored-secret".getBytes(StandardCharsets.UTF_8)));
        json.addProperty("type", Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS.name());
        Path file = WORK.resolve("credentials.json");
        Files.writeString(file, json.toString());
        return file.toFile();
    }

    private static void logWhatTheFakeSaw() {
        fake.accessPoint().mercuryRequests().snapshot().forEach(r -> LOG.info("mercury {} {} -> {}", r.method(), r.uri(), r.status()));
        fake.accessPoint().audioKeyRequests().snapshot().forEach(k -> LOG.info("audio key {}", k));
        fake.dealer().spclientRequests().snapshot().forEach(r -> LOG.info("spclient {} {} ({} bytes)", r.method(), r.target(), r.bodyBytes()));
        fake.dealer().received().snapshot().stream().filter(r -> !r.text().contains("\"ping\""))
                .forEach(r -> LOG.info("dealer got {}", r.text()));
    }
}
