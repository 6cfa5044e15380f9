package dev.connecttray.receiver;

import static dev.connecttray.receiver.StateStream.is;
import static org.assertj.core.api.Assertions.assertThat;

import com.spotify.Keyexchange;
import com.spotify.connectstate.Connect;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.StoredCredentials;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionLoop;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.fakespotify.FakeAccessPoint;
import dev.connecttray.fakespotify.FakeApResolve;
import dev.connecttray.fakespotify.FakeClientToken;
import dev.connecttray.fakespotify.FakeLogin5;
import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.SystemPropertiesOverride;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real librespot-java 1.6.3, driven by our {@link ConnectionLoop}, against a fake Spotify
 * on loopback (apresolve through the JVM's HTTP proxy, an access point speaking the real
 * handshake with a test server key, a TLS dealer).
 */
class LibrespotReceiverIT {
    private static FakeSpotify fake;
    private static SystemPropertiesOverride properties;

    @TempDir
    Path dir;

    private final StateStream states = new StateStream();
    /** When each attempt started (System.nanoTime at its Connecting state). */
    private final List<Long> attemptStarts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private ExecutorScheduler scheduler;
    private LibrespotReceiver receiver;
    private ConnectionLoop supervisor;

    @BeforeAll
    static void startFakeSpotify() throws Exception {
        fake = FakeSpotify.start();
        properties = fake.installSystemProperties();
    }

    @AfterAll
    static void stopFakeSpotify() {
        if (properties != null) properties.close();
        if (fake != null) fake.close();
    }

    @BeforeEach
    void healthySpotify() throws Exception {
        fake.reset();
        new CredentialsStore(dir.resolve("credentials.json")).write(new StoredCredentials("fake-user",
                "AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS", "reusable-blob".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
            exit.get(10, TimeUnit.SECONDS);
        }
        if (receiver != null) receiver.close();
        if (scheduler != null) scheduler.close();
    }

    private void start(RetrySettings retry) throws Exception {
        start(retry, Duration.ofSeconds(10));
    }

    private void start(RetrySettings retry, Duration dealerGrace) throws Exception {
        receiver = new LibrespotReceiver(new LibrespotReceiver.Options("Connect Tray (IT)",
                Connect.DeviceType.COMPUTER, "0123456789abcdef0123456789abcdef01234567", false, 0,
                dir.resolve("credentials.json"), dir.resolve("audio.pcm"), dealerGrace),
                new CredentialsStore(dir.resolve("credentials.json")), null);
        scheduler = new ExecutorScheduler("it-supervisor");
        supervisor = new ConnectionLoop(retry, receiver, "Connect Tray (IT)", scheduler, Clock.systemUTC(),
                task -> {
                    Thread t = new Thread(task, "it-attempt");
                    t.setDaemon(true);
                    t.start();
                }, state -> {
                    if (state instanceof ConnectionState.Connecting) attemptStarts.add(System.nanoTime());
                    states.accept(state);
                }, exit::complete);
        receiver.start();
        supervisor.start();
    }

    private static RetrySettings retry(String initialDelay, int maxAttempts, Duration attemptTimeout) {
        Duration initial = Duration.ofMillis(Long.parseLong(initialDelay));
        return new RetrySettings(initial, Duration.ofSeconds(2), 2.0, 0.0, maxAttempts, attemptTimeout,
                Duration.ofMinutes(5), AfterGiveUp.EXIT);
    }

    @Test
    void aFullLoginReachesConnectedWithTheDealerUp() throws Exception {
        start(retry("200", 3, Duration.ofSeconds(20)));

        ConnectionState connected = states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));

        assertThat(((ConnectionState.Connected) connected).user()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
        assertThat(fake.accessPoint().logins().snapshot()).last()
                .satisfies(l -> assertThat(l.outcome()).isEqualTo(FakeAccessPoint.Outcome.WELCOMED));
        assertThat(fake.dealer().connections().await(1, Duration.ofSeconds(10))).isTrue();
        assertThat(states.seen()).noneMatch(s -> s instanceof ConnectionState.Retrying);
    }

    @Test
    void aSessionWithoutItsDealerIsDegradedNotFailed() throws Exception {
        fake.dealer().setRefuseWebSockets(true);
        start(retry("200", 3, Duration.ofSeconds(20)), Duration.ofSeconds(1));

        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));
        ConnectionState.Degraded degraded = (ConnectionState.Degraded) states.await(is(ConnectionState.Degraded.class),
                Duration.ofSeconds(10));

        assertThat(degraded.user()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
        assertThat(degraded.reason()).contains("dealer");
        assertThat(exit).isNotDone();
    }

    @Test
    void refusedConnectionsAreRetriedWithBackoffSpacing() throws Exception {
        fake.accessPoint().refuseConnections();
        start(retry("250", 5, Duration.ofSeconds(20)));

        ConnectionState failed = states.await(is(ConnectionState.Failed.class), Duration.ofSeconds(60));
        assertThat(((ConnectionState.Failed) failed).exitStatus()).isEqualTo(ExitStatus.UNAVAILABLE);
        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.UNAVAILABLE);

        // The gaps between attempt starts are the backoff delays plus the time a refused attempt takes.
        assertThat(attemptStarts).hasSize(5);
        long[] nominal = {250, 500, 1000, 2000};
        List<String> figures = new ArrayList<>();
        for (int i = 1; i < attemptStarts.size(); i++) {
            long gapMs = (attemptStarts.get(i) - attemptStarts.get(i - 1)) / 1_000_000;
            figures.add(String.format(Locale.ROOT, "attempt %d -> %d: %d ms (backoff %d ms)", i, i + 1, gapMs,
                    nominal[i - 1]));
            assertThat(gapMs).as("gap before attempt %d", i + 1)
                    .isBetween(nominal[i - 1], nominal[i - 1] + 700);
        }
        Files.createDirectories(Paths.get("target"));
        Files.write(Paths.get("target", "backoff-intervals.txt"), figures);
        System.out.println("Measured backoff intervals:\n  " + String.join("\n  ", figures));
    }

    @Test
    void badCredentialsStopAfterOneAttemptWith77() throws Exception {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.AuthFailure(Keyexchange.ErrorCode.BadCredentials));
        int before = fake.accessPoint().logins().count();
        start(retry("200", 5, Duration.ofSeconds(20)));

        ConnectionState.Failed failed = (ConnectionState.Failed) states.await(is(ConnectionState.Failed.class),
                Duration.ofSeconds(30));

        assertThat(failed.exitStatus()).isEqualTo(ExitStatus.NOPERM);
        assertThat(failed.cause().kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(failed.cause().message()).contains("rejected the stored credentials");
        assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitStatus.NOPERM);
        assertThat(fake.accessPoint().logins().count() - before).isEqualTo(1);
        assertThat(states.seen()).noneMatch(s -> s instanceof ConnectionState.Retrying);
        // A rejected login never costs the user the stored file.
        assertThat(dir.resolve("credentials.json")).exists();
    }

    /** Regression: since 2025-08 the keymaster answers 403; the token now comes from Login5. */
    @Test
    void theLoginCompletesWhileTheKeymasterRefusesTokensBecauseTheTokenComesFromLogin5() throws Exception {
        int login5Before = fake.login5().requests().count();
        start(retry("200", 5, Duration.ofSeconds(20)));

        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));

        assertThat(fake.accessPoint().mercuryRequests().snapshot())
                .noneMatch(r -> r.uri().startsWith("hm://keymaster/") && r.status() == 200);
        assertThat(fake.login5().requests().since(login5Before)).anySatisfy(r -> {
            assertThat(r.methods()).containsExactly("stored_credential");
            assertThat(r.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
            assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.OK);
        });
        // The dealer took the Login5 token; spclient calls carry it and a granted client token.
        assertThat(fake.dealer().connections().awaitMatching(c -> fake.login5().isValidToken(c.accessToken()),
                Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void login5InvalidCredentialsStopAfterOneAttemptWith77AndKeepTheStoredFile() throws Exception {
        fake.setLogin5Mode(FakeLogin5.Mode.INVALID_CREDENTIALS);
        start(retry("200", 5, Duration.ofSeconds(20)));

        ConnectionState.Failed failed = (ConnectionState.Failed) states.await(is(ConnectionState.Failed.class),
                Duration.ofSeconds(30));

        assertThat(failed.exitStatus()).isEqualTo(ExitStatus.NOPERM);
        assertThat(failed.cause().kind()).isEqualTo(FailureKind.PERMANENT);
        // What happened; the advice, which depends on auth.mode, is the window's and the notification's.
        assertThat(failed.cause().message()).contains("INVALID_CREDENTIALS").doesNotContain("Spotify app");
        assertThat(states.seen()).noneMatch(s -> s instanceof ConnectionState.Retrying);
        assertThat(dir.resolve("credentials.json")).exists();
    }

    @Test
    void login5TryAgainLaterIsRetriedAndConnectsOnceLogin5Answers() throws Exception {
        fake.setLogin5Mode(FakeLogin5.Mode.TRY_AGAIN_LATER);
        start(retry("300", 10, Duration.ofSeconds(20)));

        ConnectionState.Retrying retrying = (ConnectionState.Retrying) states.await(is(ConnectionState.Retrying.class),
                Duration.ofSeconds(30));
        assertThat(retrying.cause().kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(retrying.cause().message()).contains("TRY_AGAIN_LATER");

        fake.setLogin5Mode(FakeLogin5.Mode.OK);
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));
    }

    @Test
    void aLogin5HashcashChallengeIsAnsweredAndTheFakeVerifiesIt() throws Exception {
        fake.setLogin5Mode(FakeLogin5.Mode.CHALLENGE);
        fake.setClientTokenChallenge(true);
        int before = fake.login5().requests().count();
        start(retry("200", 5, Duration.ofSeconds(20)));

        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));

        assertThat(fake.login5().requests().since(before)).anySatisfy(r -> {
            assertThat(r.withSolution()).isTrue();
            assertThat(r.solutionValid()).isTrue();
            assertThat(r.methods()).containsExactly("stored_credential");
        });
        assertThat(fake.clientToken().requests().snapshot()).anySatisfy(r ->
                assertThat(r.answer()).isEqualTo(FakeClientToken.Answer.GRANTED));
    }

    @Test
    void aDroppedConnectionIsBackWithinTheInitialDelayPlusTwoSeconds() throws Exception {
        Duration initialDelay = Duration.ofMillis(500);
        start(retry(String.valueOf(initialDelay.toMillis()), 5, Duration.ofSeconds(20)));
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));

        long dropped = System.nanoTime();
        fake.accessPoint().dropAllConnections();

        ConnectionState.Retrying retrying = (ConnectionState.Retrying) states.await(is(ConnectionState.Retrying.class),
                Duration.ofSeconds(10));
        assertThat(retrying.cause().message()).contains("dropped");
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(10));
        Duration back = Duration.ofNanos(System.nanoTime() - dropped);

        System.out.println("Back to Connected " + back.toMillis() + " ms after the drop");
        assertThat(back).isLessThan(initialDelay.plusSeconds(2));
        assertThat(exit).isNotDone();
    }

    @Test
    void aSilentAccessPointEndsTheAttemptAtTheTimeoutWith75() throws Exception {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.Silent());
        Duration attemptTimeout = Duration.ofSeconds(2);
        long started = System.nanoTime();
        start(retry("200", 5, attemptTimeout));

        ConnectionState.Failed failed = (ConnectionState.Failed) states.await(is(ConnectionState.Failed.class),
                Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failed.exitStatus()).isEqualTo(ExitStatus.TEMPFAIL);
        assertThat(failed.cause().message()).contains("did not finish within 2 s");
        assertThat(took).isBetween(attemptTimeout, attemptTimeout.plusSeconds(3));
    }

    /** Regression: 1.6.3 failed the login on apresolve's HTML 503 page; Spotify's own clients fall back. */
    @Test
    void anHtml503FromApresolveFallsBackToTheWellKnownAccessPointAndConnects() throws Exception {
        fake.setApResolveMode(FakeApResolve.Mode.HTML_503);
        int apresolveBefore = fake.apResolve().requests().count();
        start(retry("300", 10, Duration.ofSeconds(20)));

        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));

        assertThat(fake.apResolve().requests().since(apresolveBefore))
                .anyMatch(r -> r.answeredWith() == FakeApResolve.Mode.HTML_503);
        assertThat(states.seen()).noneMatch(s -> s instanceof ConnectionState.Failed);
    }

    @Test
    void whenApresolveAndTheFallbackAccessPointBothFailTheRetryNamesApresolve() throws Exception {
        fake.setApResolveMode(FakeApResolve.Mode.HTML_503);
        fake.accessPoint().refuseConnections();
        start(retry("300", 10, Duration.ofSeconds(20)));

        ConnectionState.Retrying retrying = (ConnectionState.Retrying) states.await(is(ConnectionState.Retrying.class),
                Duration.ofSeconds(20));
        assertThat(retrying.cause().kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(retrying.cause().message()).contains("apresolve").contains("HTTP 503");

        fake.setApResolveMode(FakeApResolve.Mode.JSON);
        fake.accessPoint().acceptConnections();
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));
    }
}
