package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakeAccessPoint;
import dev.connecttray.fakespotify.FakeCatalog;
import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.FakeSpotifyMain;
import dev.connecttray.fakespotify.PhoneCommands;
import dev.connecttray.fakespotify.TestTrack;
import dev.connecttray.fakespotify.ToneAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, the built launcher against the fake in its default behaviour (Spotify as it is in
 * 2026: keymaster 403, metadata/4 500, "?.?.?" refused): it logs in, its dealer connects, the device
 * is registered under its configured name, a phone's play command arrives over the dealer, and what
 * the app writes to its pipe output is the test tone, told by its frequency.
 */
class PlaybackProcessIT {
    private static final Path AGENT = Paths.get("target", "fake-spotify-agent.jar");
    private static final String NAME = "Connect Tray (playback test)";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int BYTES_PER_SECOND = 44_100 * 2 * 2;

    @TempDir
    Path home;
    private FakeSpotify fake;
    private Launcher app;

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeSpotify.start();
    }

    @AfterEach
    void stopAll() {
        if (app != null) app.close();
        if (fake != null) fake.close();
    }

    private Path start() throws Exception {
        Files.writeString(home.resolve("credentials.json"), "{\"username\":\"fake-user\","
                + "\"credentials\":\"c2VjcmV0LWJsb2I=\",\"type\":\"AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS\"}");
        Path pcm = home.resolve("audio.pcm");
        Files.write(pcm, new byte[0]); // a regular file: the pipe output writes into it
        Path config = Launcher.writeConfig(home, """
                {
                  "version": 1,
                  "deviceName": "%s",
                  "auth": { "mode": "stored", "credentialsFile": "credentials.json" },
                  "retry": { "initialDelay": "200ms", "maxDelay": "1s", "maxAttempts": 5, "attemptTimeout": "20s",
                             "afterGiveUp": "exit" },
                  "audio": { "output": "pipe", "pipe": "audio.pcm" }
                }
                """.formatted(NAME));
        List<String> options = new ArrayList<>(FakeSpotifyMain.launcherOptions(fake, AGENT, home.resolve("fake")));
        app = Launcher.start(home, options, Map.of(), "--headless", "--config", config.toString());
        app.awaitLog("Connected as fake-user", WAIT);
        // The player registers the device once the dealer gave it a connection id.
        assertThat(fake.spclient().devices().awaitMatching(d -> NAME.equals(d.name()), WAIT))
                .as("the device is registered under its configured name").isTrue();
        return pcm;
    }

    @Test
    void aPhonesPlayCommandPlaysTheToneThroughTheBuiltLauncher() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        Path pcm = start();

        assertThat(fake.dealer().connections().snapshot()).anySatisfy(c ->
                assertThat(fake.login5().isValidToken(c.accessToken())).as("dealer token from Login5").isTrue());
        PhoneCommands.Request play = PhoneCommands.playTrack(track.uri());
        assertThat(fake.dealer().broadcast(play.text())).isPositive();
        assertThat(fake.dealer().received().awaitMatching(r -> PhoneCommands.Reply.answers(r, play.key(), true), WAIT))
                .as("the device accepts the play command").isTrue();

        byte[] written = ToneAnalyzer.awaitPcm(pcm, 3 * BYTES_PER_SECOND, WAIT);
        ToneAnalyzer.Result result = ToneAnalyzer.analyzeStereo44k(written);
        System.out.println("PlaybackProcessIT: " + written.length + " bytes of PCM: " + result);
        assertThat(result.isTone(440, 3)).as("the PCM is the 440 Hz tone: %s", result).isTrue();
        assertThat(result.rms()).isGreaterThan(0.1);
        assertThat(fake.spclient().requests().snapshot()).noneMatch(r -> r.target().startsWith("/metadata/4/"));
        assertThat(fake.accessPoint().audioKeyRequests().snapshot())
                .anySatisfy(k -> assertThat(k.answeredKey()).isTrue());
    }

    @Test
    void anAccountRefusedAudioKeysIsDegradedWithTheReasonAndNotRetriedInALoop() throws Exception {
        FakeCatalog.Track track = TestTrack.tone440();
        fake.catalog().add(track);
        fake.accessPoint().setAudioKeys(FakeAccessPoint.AudioKeys.REFUSED);
        Path pcm = start();
        int logins = fake.accessPoint().logins().count();

        PhoneCommands.Request play = PhoneCommands.playTrack(track.uri());
        assertThat(fake.dealer().broadcast(play.text())).isPositive();

        String line = app.awaitLog("degraded:", WAIT);
        assertThat(line).contains("audio key refused").contains("official Spotify app");
        // The player retries a failed track once; the refusal is remembered, so the access point is asked once.
        PhoneCommands.Request again = PhoneCommands.playTrack(track.uri());
        fake.dealer().broadcast(again.text());
        assertThat(fake.dealer().received().awaitMatching(r -> PhoneCommands.Reply.answers(r, again.key(), true), WAIT)).isTrue();
        assertThat(fake.accessPoint().audioKeyRequests().count()).isEqualTo(1);
        // Logged in and visible: no reconnect, nothing written.
        assertThat(fake.accessPoint().logins().count()).isEqualTo(logins);
        assertThat(Files.size(pcm)).isZero();
    }
}
