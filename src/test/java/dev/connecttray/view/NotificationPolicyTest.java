package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.view.NotificationPolicy.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationPolicyTest {
    private static final Failure OFFLINE = Failure.transientFailure("Cannot reach Spotify", "UnknownHostException");
    private static final Failure REJECTED = Failure.permanent("Spotify rejected the login", "BAD_CREDENTIALS");
    private static final Failure PREMIUM = Failure.permanent("Spotify Premium is required", "PREMIUM_ACCOUNT_REQUIRED");

    private final NotificationPolicy policy = new NotificationPolicy(false);
    private final List<Notification> shown = new ArrayList<>();
    private Instant now = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void givingUpIsOneNotificationHoweverOftenTheStateIsShown() {
        see(new Starting());
        see(connected());
        advance(Duration.ofMinutes(10));
        see(retrying(REJECTED));
        // The tray shows the state every second.
        for (int i = 0; i < 600; i++) {
            see(new Failed(REJECTED, ExitStatus.NOPERM));
            advance(Duration.ofSeconds(1));
        }

        assertThat(shown).singleElement().satisfies(n -> {
            assertThat(n.title()).isEqualTo("Spotify refused the login");
            assertThat(n.body()).startsWith("Spotify rejected the login.").contains("Pick this device again in a Spotify app");
        });
    }

    @Test
    void aRefusedStoredLoginIsNotToldToPickTheDeviceItDoesNotAdvertise() {
        Failed refused = new Failed(Failure.permanent(
                "Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS)", ""), ExitStatus.NOPERM);
        Notification stored = NotificationPolicy.failedNotice(refused, true);
        assertThat(stored.body()).isEqualTo("Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS). "
                + "Replace the credentials file (auth.credentialsFile), or set auth.mode to \"zeroconf\" and pick this "
                + "device in a Spotify app on the same network; then Reconnect.");
        assertThat(NotificationPolicy.failedNotice(refused, false).body()).endsWith(
                "Pick this device again in a Spotify app on the same network to log in again, then Reconnect.");
        // The policy made for stored credentials words its notices so.
        NotificationPolicy storedPolicy = new NotificationPolicy(true);
        assertThat(storedPolicy.onState(refused, now)).hasValueSatisfying(n -> assertThat(n.body()).contains("Replace the credentials file"));
    }

    @Test
    void noNotificationForAFailureThatFollowsOneWithTheSameCause() {
        see(connected());
        advance(Duration.ofMinutes(1));
        see(new Failed(REJECTED, ExitStatus.NOPERM));
        for (int round = 0; round < 5; round++) {
            // The user picks Reconnect every quarter of an hour; Spotify says no each time.
            advance(Duration.ofMinutes(15));
            see(new Connecting(1, 10));
            see(new Failed(Failure.permanent("Spotify rejected the login", "BAD_CREDENTIALS at " + now), ExitStatus.NOPERM));
        }

        assertThat(shown).hasSize(1);
    }

    @Test
    void aFailureWithAnotherCauseIsNewsOutsideTheQuietPeriod() {
        see(connected());
        see(new Failed(REJECTED, ExitStatus.NOPERM));
        advance(Duration.ofMinutes(2));
        see(new Connecting(1, 10));
        see(new Failed(PREMIUM, ExitStatus.NOPERM));
        assertThat(shown).as("within five minutes of the last").hasSize(1);

        advance(Duration.ofMinutes(4));
        see(new Connecting(1, 10));
        see(new Failed(REJECTED, ExitStatus.NOPERM));

        assertThat(shown).hasSize(2);
        assertThat(shown.get(1).body()).startsWith("Spotify rejected the login.");
    }

    @Test
    void flappingTwentyTimesInFiveMinutesIsAtMostOneRecovery() {
        see(connected());
        advance(Duration.ofMinutes(30));
        for (int i = 0; i < 20; i++) {
            see(retrying(OFFLINE));
            advance(Duration.ofSeconds(8));
            see(connected());
            advance(Duration.ofSeconds(7));
        }

        assertThat(shown).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void longOutagesInARowAreOneRecoveryPerFiveMinutes() {
        see(connected());
        Instant start = now;
        for (int i = 0; i < 10; i++) {
            see(retrying(OFFLINE));
            advance(Duration.ofSeconds(70));
            see(connected());
            advance(Duration.ofSeconds(5));
        }
        Duration span = Duration.between(start, now);

        assertThat(shown).isNotEmpty().allSatisfy(n -> assertThat(n.title()).isEqualTo("Connected to Spotify again"));
        assertThat(shown).hasSizeLessThanOrEqualTo((int) (span.toMinutes() / 5) + 1);
        assertThat(shown).hasSize(3); // at 70 s, then the first recoveries after 5 and 10 minutes
    }

    @Test
    void anOutageOfHalfAMinuteIsNoNews() {
        see(connected());
        advance(Duration.ofMinutes(5));
        see(retrying(OFFLINE));
        advance(Duration.ofSeconds(30));
        see(new Connecting(2, 10));
        see(connected());

        assertThat(shown).isEmpty();
    }

    @Test
    void anOutageOfTwoMinutesIsOneRecovery() {
        see(connected());
        advance(Duration.ofMinutes(5));
        see(retrying(OFFLINE));
        advance(Duration.ofMinutes(1));
        see(new ConnectionState.Cooldown(now.plusSeconds(60), OFFLINE));
        advance(Duration.ofMinutes(1));
        see(new Connecting(1, 10));
        see(connected());
        // Shown again every second while connected.
        for (int i = 0; i < 120; i++) {
            advance(Duration.ofSeconds(1));
            see(connected());
        }

        assertThat(shown).singleElement().satisfies(n -> {
            assertThat(n.title()).isEqualTo("Connected to Spotify again");
            assertThat(n.body()).isEqualTo("Connected as alice after 2 min without a connection.");
        });
    }

    @Test
    void theFirstConnectionIsNoRecoveryHoweverLongItTook() {
        see(new Starting());
        see(new Connecting(1, 10));
        advance(Duration.ofMinutes(3));
        see(retrying(OFFLINE));
        advance(Duration.ofMinutes(3));
        see(connected());

        assertThat(shown).isEmpty();
    }

    @Test
    void comingBackAfterGivingUpIsARecovery() {
        see(new Starting());
        see(new Failed(REJECTED, ExitStatus.NOPERM));
        advance(Duration.ofMinutes(10));
        see(new Connecting(1, 10));
        see(connected());

        assertThat(shown).extracting(Notification::title)
                .containsExactly("Spotify refused the login", "Connected to Spotify again");
        assertThat(shown.get(1).body()).contains("after 10 min");
    }

    @Test
    void stoppingIsNoNews() {
        see(connected());
        advance(Duration.ofMinutes(5));
        see(new Stopped());
        advance(Duration.ofMinutes(5));
        see(connected());

        assertThat(shown).isEmpty();
    }

    private void see(ConnectionState state) {
        policy.onState(state, now).ifPresent(shown::add);
    }

    private void advance(Duration d) {
        now = now.plus(d);
    }

    private Connected connected() {
        return new Connected("alice", now);
    }

    private Retrying retrying(Failure cause) {
        return new Retrying(2, 10, now.plusSeconds(4), cause);
    }

    @Test
    void aNewDegradationIsOneNotificationWithItsReasonAndRepeatsAreNot() {
        String refused = "Spotify refuses to send audio for this account (audio key refused, code 1)";
        see(connected());
        assertThat(shown).isEmpty();

        see(new ConnectionState.Degraded("alice", Instant.EPOCH, refused));
        see(new ConnectionState.Degraded("alice", Instant.EPOCH, refused));
        advance(Duration.ofMinutes(10));
        see(new ConnectionState.Degraded("alice", Instant.EPOCH, refused));

        assertThat(shown).singleElement().satisfies(n -> {
            assertThat(n.title()).contains("not everything works");
            assertThat(n.body()).startsWith(refused).endsWith(".");
        });
    }

    @Test
    void aFailureIsWordedByItsCauseAndTheBodyNamesNoPath() {
        String path = "/home/alice/.local/state/connect-tray/credentials.json";
        Failure brokenFile = new Failure(FailureKind.CONFIG, "The credentials file " + path
                + " cannot be used: not valid JSON; auth.credentialsFile must name a librespot credentials file", "");
        Notification file = NotificationPolicy.failedNotice(new Failed(brokenFile, ExitStatus.CONFIG), false);
        assertThat(file.title()).isEqualTo("The Spotify credentials file cannot be used").doesNotContain("gave up");
        // The title says the file cannot be used; the body goes on with why, not the title again.
        assertThat(file.body()).doesNotContain(path).doesNotContain("/").doesNotContainIgnoringCase("cannot be used")
                .startsWith("Not valid JSON;").contains("Fix the file");

        Notification unreachable = NotificationPolicy.failedNotice(new Failed(new Failure(FailureKind.TRANSIENT,
                "Spotify stayed unreachable through 10 attempts: Cannot resolve apresolve.spotify.com: no DNS or no "
                        + "network", "java.net.UnknownHostException"), ExitStatus.UNAVAILABLE), false);
        assertThat(unreachable.title()).isEqualTo("Connect Tray gave up connecting: No network");
        assertThat(unreachable.body()).contains("Pick Reconnect");
        // Without a tray host the status window is the only UI: no notification may send the user to a tray menu.
        assertThat(unreachable.body()).doesNotContain("tray");
        assertThat(file.body()).doesNotContain("tray").doesNotContain("Show status");

        assertThat(NotificationPolicy.failedNotice(new Failed(PREMIUM, ExitStatus.NOPERM), false).title())
                .isEqualTo("Spotify refused the login");
        assertThat(NotificationPolicy.failedNotice(new Failed(Failure.internal("The receiver crashed 3 times within "
                + "10 min; the last time: boom", ""), ExitStatus.SOFTWARE), false).title()).doesNotContain("gave up");
        assertThat(NotificationPolicy.failedNotice(new Failed(new Failure(FailureKind.CONFIG,
                "zeroconf.backend \"avahi\" cannot be used", ""), ExitStatus.CONFIG), false).title())
                .isEqualTo("The configuration cannot be used");
        assertThat(NotificationPolicy.withoutPaths("Cannot read ~/x/config.json: gone")).isEqualTo("Cannot read: gone");
        // As the receiver words a file that is no credentials file: the path twice.
        assertThat(NotificationPolicy.withoutPaths("The credentials file /s/credentials.json cannot be used: "
                + "/s/credentials.json is not a credentials file (expected JSON with username, credentials and type)"))
                .isEqualTo("The credentials file cannot be used: it is not a credentials file (expected JSON with "
                        + "username, credentials and type)");
    }

    @Test
    void soloistWaitingForTheUserAsksForAnAnswerNotAFixedFile() {
        Failure consent = new Failure(dev.connecttray.core.FailureKind.CONFIG, "Spotify Soloist is not downloaded yet",
                dev.connecttray.engine.soloist.SoloistBinary.CONSENT_NEEDED);
        NotificationPolicy.Notification n = NotificationPolicy.failedNotice(
                new ConnectionState.Failed(consent, ExitStatus.CONFIG), false);
        assertThat(n.title()).isEqualTo("Spotify Soloist needs your consent to be downloaded");
        assertThat(n.body()).contains("answer the question").doesNotContain("Fix the file");

        Failure noKey = new Failure(dev.connecttray.core.FailureKind.CONFIG, "There is no Spotify Soloist API key in "
                + "/home/alice/.config/connect-tray/soloist-api-key", dev.connecttray.engine.soloist.SoloistBinary.API_KEY_NEEDED);
        n = NotificationPolicy.failedNotice(new ConnectionState.Failed(noKey, ExitStatus.CONFIG), false);
        assertThat(n.title()).isEqualTo("Spotify Soloist needs your API key");
        assertThat(n.body()).endsWith("Pick Show status\u2026 to enter it.").doesNotContain("/home/alice");
    }
}
