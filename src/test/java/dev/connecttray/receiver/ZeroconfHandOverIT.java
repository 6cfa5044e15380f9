package dev.connecttray.receiver;

import static dev.connecttray.receiver.StateStream.is;
import static org.assertj.core.api.Assertions.assertThat;

import com.spotify.Authentication;
import com.spotify.connectstate.Connect;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.StoredCredentials;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionLoop;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.fakespotify.FakeAccessPoint;
import dev.connecttray.fakespotify.FakeLogin5;
import dev.connecttray.fakespotify.FakePhone;
import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.SystemPropertiesOverride;
import dev.connecttray.receiver.zeroconf.RecordingAdvertiser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Zeroconf login against today's fake Spotify: the receiver starts without credentials and
 * waits; a {@link FakePhone} on loopback hands it a login through librespot's {@link ZeroconfServer}
 * ({@code addUser}); the library logs in with it, our Login5 token provider gets the token, the
 * supervisor reaches Connected, the dealer takes the Login5 token and the credentials are stored
 * owner-only.
 */
class ZeroconfHandOverIT {
    private static final String DEVICE_ID = "0123456789abcdef0123456789abcdef01234567";
    private static final String DEVICE_NAME = "Connect Tray (Zeroconf IT)";
    private static final byte[] HANDED_OVER = "phone-handed-credentials".getBytes(StandardCharsets.UTF_8);

    private static FakeSpotify fake;
    private static SystemPropertiesOverride properties;

    @TempDir
    Path dir;

    private final StateStream states = new StateStream();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private ExecutorScheduler scheduler;
    private LibrespotReceiver receiver;
    private final RecordingAdvertiser advertiser = new RecordingAdvertiser();
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

    private Path credentialsFile() {
        return dir.resolve("credentials.json");
    }

    private void start() throws Exception {
        receiver = new LibrespotReceiver(new LibrespotReceiver.Options(DEVICE_NAME, Connect.DeviceType.COMPUTER,
                DEVICE_ID, true, 0, credentialsFile(), dir.resolve("audio.pcm"), Duration.ofSeconds(10)),
                new CredentialsStore(credentialsFile()), advertiser);
        scheduler = new ExecutorScheduler("it-supervisor");
        RetrySettings retry = new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0, 0.0, 3,
                Duration.ofSeconds(20), Duration.ofMinutes(5), AfterGiveUp.EXIT);
        supervisor = new ConnectionLoop(retry, receiver, DEVICE_NAME, scheduler, Clock.systemUTC(),
                task -> {
                    Thread t = new Thread(task, "it-attempt");
                    t.setDaemon(true);
                    t.start();
                }, states, exit::complete);
        receiver.start();
        supervisor.start();
    }

    /** A phone talking to the receiver's Zeroconf endpoint, on the port it opened (any free one here). */
    private FakePhone phone(Duration timeout) throws Exception {
        return new FakePhone("127.0.0.1", receiver.zeroconfPort(), timeout);
    }

    @Test
    void aPhoneHandsOverItsLoginAndTheReceiverConnectsWithLogin5AndStoresTheCredentialsOwnerOnly() throws Exception {
        int login5Before = fake.login5().requests().count();
        int loginsBefore = fake.accessPoint().logins().count();
        start();

        // The first state after Starting: nothing is tried without credentials.
        ConnectionState first = states.await(s -> !(s instanceof ConnectionState.Starting), Duration.ofSeconds(10));
        assertThat(first).isInstanceOf(ConnectionState.WaitingForCredentials.class);
        assertThat(((ConnectionState.WaitingForCredentials) first).deviceName()).isEqualTo(DEVICE_NAME);
        states.assertNoneFor(Duration.ofMillis(500));
        assertThat(credentialsFile()).doesNotExist();
        // The advert names the endpoint's port and carries what Spotify apps read.
        assertThat(advertiser.published()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo(DEVICE_NAME);
            assertThat(a.port()).isEqualTo(receiver.zeroconfPort());
            assertThat(a.txt()).containsEntry("CPath", "/").containsKeys("VERSION", "Stack");
        });

        FakePhone phone = phone(Duration.ofSeconds(20));
        FakePhone.DeviceInfo info = phone.getInfo();
        assertThat(info.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(info.remoteName()).isEqualTo(DEVICE_NAME);
        assertThat(info.publicKey()).hasSizeBetween(90, 96);

        FakePhone.Answer answer = phone.handOver(FakeSpotify.DEFAULT_USERNAME,
                Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS, HANDED_OVER);
        assertThat(answer.httpStatus()).as("addUser answered %s", answer).isEqualTo(200);
        assertThat(answer.status()).as("addUser answered %s", answer).isEqualTo(101);
        assertThat(answer.json().get("statusString").getAsString()).isEqualTo("OK");

        ConnectionState.Connected connected = (ConnectionState.Connected) states.await(is(ConnectionState.Connected.class),
                Duration.ofSeconds(30));
        assertThat(connected.user()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
        assertThat(states.seen()).noneMatch(s -> s instanceof ConnectionState.Retrying || s instanceof ConnectionState.Failed);

        // The access point saw the credentials the phone handed over: the blob decrypted to them.
        assertThat(fake.accessPoint().logins().since(loginsBefore)).first().satisfies(l -> {
            assertThat(l.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
            assertThat(l.type()).isEqualTo(Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS);
            assertThat(l.deviceId()).isEqualTo(DEVICE_ID);
            assertThat(l.outcome()).isEqualTo(FakeAccessPoint.Outcome.WELCOMED);
        });
        assertThat(fake.accessPoint().mercuryRequests().snapshot())
                .noneMatch(r -> r.uri().startsWith("hm://keymaster/") && r.status() == 200);
        assertThat(fake.login5().requests().since(login5Before)).anySatisfy(r -> {
            assertThat(r.methods()).containsExactly("stored_credential");
            assertThat(r.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
            assertThat(r.answer()).isEqualTo(FakeLogin5.Answer.OK);
        });
        assertThat(fake.dealer().connections().awaitMatching(c -> fake.login5().isValidToken(c.accessToken()),
                Duration.ofSeconds(10))).isTrue();

        // Stored owner-only: the reusable credentials Spotify welcomed the handed-over login with.
        assertThat(credentialsFile()).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile())))
                .isEqualTo("rw-------");
        StoredCredentials stored = new CredentialsStore(credentialsFile()).read().orElseThrow();
        assertThat(stored.username()).isEqualTo(FakeSpotify.DEFAULT_USERNAME);
        assertThat(stored.type()).isEqualTo("AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS");
        assertThat(stored.data()).isEqualTo(FakeLogin5.storedCredentialFor(FakeSpotify.DEFAULT_USERNAME));
        assertThat(Files.readString(credentialsFile())).contains("\"username\":\"fake-user\"");
    }

    @Test
    void aBlobThatFailsItsChecksumIsRefusedAndTheReceiverKeepsWaiting() throws Exception {
        int loginsBefore = fake.accessPoint().logins().count();
        start();
        states.await(is(ConnectionState.WaitingForCredentials.class), Duration.ofSeconds(10));

        FakePhone phone = phone(Duration.ofSeconds(10));
        phone.getInfo();
        byte[] garbage = new byte[120];
        new SecureRandom().nextBytes(garbage);
        FakePhone.Answer answer = phone.addUser(FakeSpotify.DEFAULT_USERNAME,
                Base64.getEncoder().encodeToString(garbage), Base64.getEncoder().encodeToString(phone.publicKey()));

        // Checked before anything is answered: an error status, never OK.
        assertThat(answer.httpStatus()).as("addUser answered %s", answer).isEqualTo(400);
        assertThat(answer.status()).isEqualTo(203);

        states.assertNoneFor(Duration.ofSeconds(2));
        assertThat(exit).isNotDone();
        assertThat(fake.accessPoint().logins().since(loginsBefore)).isEmpty();
        assertThat(credentialsFile()).doesNotExist();

        // Still waiting, still answering: a good hand-over afterwards connects.
        FakePhone.Answer good = phone(Duration.ofSeconds(20)).handOver(FakeSpotify.DEFAULT_USERNAME,
                Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS, HANDED_OVER);
        assertThat(good.status()).as("addUser answered %s", good).isEqualTo(101);
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));
    }

    @Test
    void aGoodTransportAroundAnUndecryptableDeviceBlobDoesNotConnectAndTheReceiverKeepsWaiting() throws Exception {
        int loginsBefore = fake.accessPoint().logins().count();
        start();
        states.await(is(ConnectionState.WaitingForCredentials.class), Duration.ofSeconds(10));

        FakePhone phone = phone(Duration.ofSeconds(10));
        FakePhone.DeviceInfo info = phone.getInfo();
        // Base64 of 20 bytes: not whole AES blocks, so the device blob cannot be decrypted.
        byte[] inner = Base64.getEncoder().encode(new byte[20]);
        FakePhone.Answer answer = phone.handOverPayload(info, FakeSpotify.DEFAULT_USERNAME, inner);

        // Regression: librespot's ZeroconfServer said OK (101) before decrypting the device blob, then
        // wrote a stray 500 after the body; ours decrypts first and answers an error status.
        assertThat(answer.httpStatus()).as("addUser answered %s", answer).isEqualTo(400);
        assertThat(answer.status()).isEqualTo(203);
        assertThat(answer.trailing()).as("after the body of %s", answer).isEmpty();

        states.assertNoneFor(Duration.ofSeconds(2));
        assertThat(exit).isNotDone();
        assertThat(fake.accessPoint().logins().since(loginsBefore)).isEmpty();
        assertThat(credentialsFile()).doesNotExist();

        FakePhone.Answer good = phone(Duration.ofSeconds(20)).handOver(FakeSpotify.DEFAULT_USERNAME,
                Authentication.AuthenticationType.AUTHENTICATION_STORED_SPOTIFY_CREDENTIALS, HANDED_OVER);
        assertThat(good.status()).as("addUser answered %s", good).isEqualTo(101);
        states.await(is(ConnectionState.Connected.class), Duration.ofSeconds(30));
    }
}
