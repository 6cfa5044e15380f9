package dev.connecttray.fakespotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.spotify.Authentication;
import com.spotify.Keyexchange;
import com.spotify.connectstate.Connect;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The real librespot-java 1.6.3 against {@link FakeSpotify} on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeSpotifyIT {
    private static final Logger LOG = LoggerFactory.getLogger(FakeSpotifyIT.class);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef01234567";
    private static final Path WORK = Path.of("target", "fake-spotify").toAbsolutePath();

    private static FakeSpotify fake;
    private static SystemPropertiesOverride properties;
    private static ExecutorService background;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void startFake() throws IOException {
        Files.createDirectories(WORK);
        fake = FakeSpotify.start();
        properties = fake.installSystemProperties();
        background = Executors.newCachedThreadPool(ServerSupport.daemonThreads("it-create"));
    }

    @AfterEach
    void closeAndReset() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        fake.reset();
    }

    @AfterAll
    static void stopFake() {
        background.shutdownNow();
        if (fake != null) fake.close();
        // The proxy properties stay pointed at the (now closed) loopback port on purpose: the
        // failure tests leave librespot sessions behind (create() threw, nobody can close them)
        // whose reconnect loop would otherwise reach the real apresolve.spotify.com.
        logLiveNonDaemonThreads();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theJvmProxyRoutesApresolveToTheFake() {
        List<Proxy> proxies = ProxySelector.getDefault().select(URI.create("http://apresolve.spotify.com/"));
        assertThat(proxies).containsExactly(new Proxy(Proxy.Type.HTTP,
                InetSocketAddress.createUnresolved("127.0.0.1", fake.apResolve().port())));
        assertThat(ProxySelector.getDefault().select(URI.create("https://127.0.0.1:" + fake.dealer().port() + "/")))
                .containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void loginOkGivesASessionAndTheDealerConnects() throws Exception {
        int dealersBefore = fake.dealer().connections().count();
        int apresolveBefore = fake.apResolve().requests().count();
        int loginsBefore = fake.accessPoint().logins().count();

        Session session = track(builder().stored(storedCredentials("someone@example.com")).create());

        assertThat(session.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
        assertThat(session.isValid()).isTrue();
        assertThat(fake.apResolve().requests().count()).isEqualTo(apresolveBefore + 1);
        assertThat(fake.accessPoint().logins().since(loginsBefore)).anySatisfy(login -> {
            assertThat(login.outcome()).isEqualTo(FakeAccessPoint.Outcome.WELCOMED);
            assertThat(login.username()).isEqualTo("someone@example.com");
            assertThat(login.type()).isEqualTo(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS);
            assertThat(login.deviceId()).isEqualTo(DEVICE_ID);
        });
        // The token comes from Login5 (the keymaster has refused tokens since 2025-08).
        assertThat(fake.login5().requests().snapshot())
                .anySatisfy(r -> assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.OK));

        fake.dealer().connections().awaitOrFail(dealersBefore + 1, WAIT);
        FakeDealer.Connection dealer = fake.dealer().connections().since(dealersBefore).get(0);
        assertThat(dealer.accessToken()).startsWith(FakeLogin5.TOKEN_PREFIX);
        // librespot pings the dealer as soon as it is connected; the fake answers with a pong
        assertThat(fake.dealer().received().awaitMatching(r -> r.connection() == dealer.id() && r.text().contains("\"ping\""), WAIT))
                .isTrue();
        assertThat(fake.apResolve().refused().snapshot()).isEmpty();
    }

    @Test
    void badCredentialsFailsCreateWithTheErrorCodeName() {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.AuthFailure(Keyexchange.ErrorCode.BadCredentials));
        int before = fake.accessPoint().logins().count();

        assertThatThrownBy(() -> track(builder().userPass("someone", "wrong").create()))
                .isInstanceOf(Session.SpotifyAuthenticationException.class)
                .hasMessage("BadCredentials");
        assertThat(fake.accessPoint().logins().since(before))
                .anySatisfy(login -> assertThat(login.outcome()).isEqualTo(FakeAccessPoint.Outcome.AUTH_FAILURE));
    }

    @Test
    void premiumRequiredInThePlaintextLoginFailedPath() {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.LoginFailedPlaintext(Keyexchange.ErrorCode.PremiumAccountRequired));
        int before = fake.accessPoint().logins().count();

        assertThatThrownBy(() -> track(builder().userPass("someone", "pw").create()))
                .isInstanceOf(Session.SpotifyAuthenticationException.class)
                .hasMessage("PremiumAccountRequired");
        assertThat(fake.accessPoint().logins().since(before))
                .anySatisfy(login -> assertThat(login.outcome()).isEqualTo(FakeAccessPoint.Outcome.LOGIN_FAILED_PLAINTEXT));
    }

    /** Regression: 1.6.3 parsed apresolve's HTML 503 page as JSON and the session constructor failed. */
    @Test
    void htmlFromApresolveFallsBackToTheWellKnownAccessPoint() throws Exception {
        fake.setApResolveMode(FakeApResolve.Mode.HTML_503);
        int before = fake.apResolve().requests().count();
        int connections = fake.accessPoint().connections().count();

        Session session = track(builder().userPass("someone", "pw").create());

        assertThat(session.isValid()).isTrue();
        assertThat(fake.apResolve().requests().count()).isEqualTo(before + 1);
        assertThat(fake.accessPoint().connections().count()).isGreaterThan(connections);
    }

    @Test
    void apresolveClosingTheConnectionFallsBackToo() throws Exception {
        fake.setApResolveMode(FakeApResolve.Mode.CLOSE_WITHOUT_ANSWER);

        Session session = track(builder().userPass("someone", "pw").create());

        assertThat(session.isValid()).isTrue();
    }

    @Test
    void accessPointRefusingConnectionsFailsWithConnectException() throws Exception {
        fake.accessPoint().refuseConnections();

        Throwable thrown = catchThrowable(() -> track(builder().userPass("someone", "pw").create()));

        LOG.info("access point refuses -> {}", thrown.toString());
        assertThat(thrown).isInstanceOf(java.net.ConnectException.class);
        fake.accessPoint().acceptConnections();
        Session session = track(builder().userPass("someone", "pw").create());
        assertThat(session.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
    }

    @Test
    void accessPointClosingImmediatelyFailsWithEof() {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.CloseImmediately());

        Throwable thrown = catchThrowable(() -> track(builder().userPass("someone", "pw").create()));

        LOG.info("access point closes at once -> {}", thrown.toString());
        assertThat(thrown).isInstanceOf(IOException.class);
    }

    @Test
    void silentAccessPointBlocksCreateUntilTheConnectionDrops() throws Exception {
        fake.setAccessPointMode(new FakeAccessPoint.Mode.Silent());
        int before = fake.accessPoint().connections().count();

        Future<Session> create = background.submit(() -> builder().userPass("someone", "pw").create());
        fake.accessPoint().connections().awaitOrFail(before + 1, WAIT);
        assertThatThrownBy(() -> create.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

        fake.accessPoint().dropAllConnections();
        Throwable thrown = catchThrowable(() -> create.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        LOG.info("silent access point, then dropped -> {}", thrown.toString());
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void droppedConnectionFiresOnConnectionDropped() throws Exception {
        Session session = track(builder().userPass("someone", "pw").create());
        CountDownLatch dropped = new CountDownLatch(1);
        session.addReconnectionListener(listener(dropped, new CountDownLatch(1)));

        fake.accessPoint().dropAllConnections();

        assertThat(dropped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onConnectionDropped").isTrue();
    }

    /**
     * Pins librespot 1.6.3's own reconnect: it runs on the packet-receiver thread, which first
     * interrupts itself ({@code receiver.stop()}), so its apresolve call fails with an
     * InterruptedIOException. With our ApResolver that failure falls back to the well-known access
     * point (the fake here), so it comes back; Connect Tray closes the session on the first drop anyway.
     */
    @Test
    void librespotsOwnReconnectComesBack() throws Exception {
        Session session = track(builder().userPass("someone", "pw").create());
        CountDownLatch dropped = new CountDownLatch(1);
        CountDownLatch established = new CountDownLatch(1);
        session.addReconnectionListener(listener(dropped, established));

        long start = System.nanoTime();
        fake.accessPoint().dropAllConnections();

        assertThat(dropped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onConnectionDropped").isTrue();
        assertThat(established.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("onConnectionEstablished").isTrue();
        long elapsed = EventLog.elapsedMillis(start, System.nanoTime());
        LOG.info("librespot re-established its connection {} ms after the drop", elapsed);
        assertThat(session.isValid()).isTrue();
    }

    @Test
    void playerConstructsPublishesItsStateAndCloses() throws Exception {
        int dealersBefore = fake.dealer().connections().count();
        int spclientBefore = fake.dealer().spclientRequests().count();
        Session session = track(builder().userPass("someone", "pw").create());
        File pipe = WORK.resolve("player-output.pcm").toFile();
        PlayerConfiguration conf = new PlayerConfiguration.Builder()
                .setOutput(PlayerConfiguration.AudioOutput.PIPE)
                .setOutputPipe(pipe)
                .setMixerSearchKeywords(new String[0])
                .setLogAvailableMixers(false)
                .build();

        long start = System.nanoTime();
        Player player = new Player(conf, session);
        toClose.add(player);

        // The player learns the dealer's connection id and PUTs its device state to spclient.
        // (The fake also sends the id 300 ms after connecting; resending makes the test independent of that.)
        fake.dealer().connections().awaitOrFail(dealersBefore + 1, WAIT);
        // A nudge, not a check: on a loaded machine the dealer may be between connections right now, and
        // every new connection gets its id from the fake anyway; the PUT below is what must happen.
        fake.dealer().resendConnectionIds();
        fake.dealer().spclientRequests().awaitOrFail(spclientBefore + 1, WAIT);
        assertThat(fake.dealer().spclientRequests().since(spclientBefore)).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.target()).isEqualTo("/connect-state/v1/devices/" + DEVICE_ID);
        });
        LOG.info("player ready in {} ms", EventLog.elapsedMillis(start, System.nanoTime()));
        assertThat(fake.apResolve().refused().snapshot()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private Session.Builder builder() {
        Session.Configuration conf = new Session.Configuration.Builder()
                .setTimeSynchronizationMethod(TimeProvider.Method.MANUAL)
                .setStoreCredentials(false)
                .setCacheEnabled(false)
                .build();
        return new Session.Builder(conf)
                .setDeviceId(DEVICE_ID)
                .setDeviceName("Connect Tray IT")
                .setDeviceType(Connect.DeviceType.COMPUTER)
                // without one, the first spclient call asks https://clienttoken.spotify.com
                .setClientToken("fake-client-token");
    }

    private static Session.ReconnectionListener listener(CountDownLatch dropped, CountDownLatch established) {
        return new Session.ReconnectionListener() {
            @Override
            public void onConnectionDropped() {
                dropped.countDown();
            }

            @Override
            public void onConnectionEstablished() {
                established.countDown();
            }
        };
    }

    private static File storedCredentials(String username) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("username", username);
        json.addProperty("credentials", Base64.getEncoder().encodeToString("stored-secret".getBytes(StandardCharsets.UTF_8)));
        json.addProperty("type", Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS.name());
        Path file = WORK.resolve("credentials.json");
        Files.writeString(file, json.toString());
        return file.toFile();
    }

    private Session track(Session session) {
        toClose.add(() -> {
            long start = System.nanoTime();
            session.close();
            LOG.info("Session.close() took {} ms", EventLog.elapsedMillis(start, System.nanoTime()));
        });
        return session;
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).as("expected a failure").isNotNull();
        return thrown;
    }

    private static void logLiveNonDaemonThreads() {
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t != Thread.currentThread())
                .forEach(t -> LOG.info("non-daemon thread still alive after the tests: {} ({})", t.getName(), t.getState()));
    }
}
