package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTextTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");

    @Test
    void connectedSaysWhoAndForHowLong() {
        assertThat(StateText.describe(new ConnectionState.Connected("alice", NOW.minusSeconds(2 * 3600 + 13 * 60)), NOW))
                .isEqualTo("Connected as alice \u00b7 2 h 13 min");
    }

    @Test
    void retryingCountsDownAndSaysWhy() {
        var r = new ConnectionState.Retrying(3, 10, NOW.plusMillis(7200),
                Failure.transientFailure("Connection refused", "x"));
        assertThat(StateText.describe(r, NOW)).isEqualTo("Retrying in 8 s (attempt 3 of 10): connection refused");
        assertThat(StateText.describe(r, NOW.plusSeconds(6))).startsWith("Retrying in 2 s");
        assertThat(StateText.describe(r, NOW.plusSeconds(7))).as("rounded up, one format").startsWith("Retrying in 1 s");
        assertThat(StateText.describe(r, NOW.plusSeconds(60))).startsWith("Retrying in 0 s");
    }

    @Test
    void waitingNamesTheDevice() {
        assertThat(StateText.describe(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), NOW))
                .isEqualTo("Waiting for a Spotify app to pick \u201cConnect Tray (myhost)\u201d");
    }

    @Test
    void failedSaysTheCause() {
        var f = new ConnectionState.Failed(Failure.permanent("Spotify rejected the stored credentials", ""),
                ExitStatus.NOPERM);
        assertThat(StateText.describe(f, NOW)).isEqualTo("Failed: Spotify rejected the stored credentials");
    }

    @Test
    void cooldownCountsDownInMinutes() {
        var c = new ConnectionState.Cooldown(NOW.plusSeconds(300), Failure.transientFailure("Spotify is down", ""));
        assertThat(StateText.describe(c, NOW)).isEqualTo("Gave up for now; trying again in 5 min: Spotify is down");
    }

    private static final Failure DNS = Failure.transientFailure(
            "Cannot resolve apresolve.spotify.com: no DNS or no network",
            "java.net.UnknownHostException: apresolve.spotify.com: Name or service not known");
    private static final Failure REFUSED = Failure.transientFailure(
            "Connection refused: Spotify's server did not accept the connection", "java.net.ConnectException");

    @Test
    void headlinesNameTheKindOfProblemNotItsTechnicalCause() {
        assertThat(StateText.headline(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(12), DNS), NOW))
                .isEqualTo("No network \u00b7 retrying in 12 s");
        assertThat(StateText.headline(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(12), REFUSED), NOW))
                .isEqualTo("Spotify unreachable \u00b7 retrying in 12 s");
        assertThat(StateText.headline(new ConnectionState.Retrying(1, 10, NOW, Failure.transientFailure(
                "The connection to Spotify dropped", "")), NOW)).isEqualTo("Connection dropped \u00b7 retrying now");
        assertThat(StateText.headline(new ConnectionState.Cooldown(NOW.plusSeconds(270), REFUSED), NOW))
                .isEqualTo("Spotify unreachable \u00b7 next try in 4 min 30 s");
        assertThat(StateText.headline(new ConnectionState.Failed(Failure.permanent(
                "Spotify rejected the stored credentials (BadCredentials)", "BadCredentials"),
                ExitStatus.NOPERM), NOW)).isEqualTo("Login refused");
        assertThat(StateText.headline(new ConnectionState.Failed(Failure.permanent(
                "Spotify refused the login: Spotify Connect receivers need a Premium account", ""),
                ExitStatus.NOPERM), NOW)).isEqualTo("Premium account needed");
        assertThat(StateText.headline(new ConnectionState.Failed(new Failure(FailureKind.CONFIG,
                "The credentials file /home/alice/.local/state/connect-tray/credentials.json cannot be used: "
                        + "not valid JSON", ""), ExitStatus.CONFIG), NOW)).isEqualTo("Credentials file unusable");
        assertThat(StateText.headline(new ConnectionState.Failed(new Failure(FailureKind.TRANSIENT,
                "Spotify stayed unreachable through 10 attempts: " + DNS.message(), DNS.detail()),
                ExitStatus.UNAVAILABLE), NOW)).isEqualTo("No network \u00b7 gave up");
        assertThat(StateText.headline(new ConnectionState.Retrying(2, 10, NOW.plusSeconds(3),
                Failure.transientFailure("The receiver stopped responding (nothing from it for 15 s); restarting it",
                        "no heartbeat")), NOW)).isEqualTo("Receiver restarting \u00b7 retrying in 3 s");
        assertThat(StateText.headline(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), NOW))
                .isEqualTo("Waiting for a Spotify app");
        assertThat(StateText.headline(new ConnectionState.Connected("alice", NOW.minusSeconds(99)), NOW))
                .isEqualTo("Connected as alice");
        assertThat(StateText.headline(new ConnectionState.Degraded("alice", NOW,
                "The Spotify Connect channel (dealer websocket) is not connected: Spotify apps may not see this device"),
                NOW)).isEqualTo("Connected as alice \u00b7 apps may not see it");
        assertThat(StateText.headline(new ConnectionState.Connecting(1, 10), NOW)).isEqualTo("Connecting");
        assertThat(StateText.headline(new ConnectionState.Connecting(4, 10), NOW)).isEqualTo("Connecting, attempt 4 of 10");
    }

    @Test
    void everyHeadlineOfEveryKnownCauseIsShort() {
        List<Failure> causes = List.of(DNS, REFUSED,
                Failure.transientFailure("Spotify's server did not answer in time", "java.net.SocketTimeoutException"),
                Failure.transientFailure("Attempt 3 did not finish within 30 s: the receiver library is stuck and "
                        + "must be restarted", "attempt timeout"),
                Failure.transientFailure("Spotify's login service asks to try again later (login5: TRY_AGAIN_LATER)", ""),
                Failure.permanent("Spotify refused an access token (HTTP 403): this client is not allowed", ""),
                new Failure(FailureKind.CONFIG, "auth.credentialsFile /x does not exist", ""),
                Failure.internal("The receiver crashed 3 times within 10 min; the last time: boom", ""),
                Failure.internal("The receiver library failed unexpectedly: java.lang.NullPointerException", ""));
        for (Failure f : causes) {
            for (ConnectionState s : List.of(new ConnectionState.Retrying(10, 10, NOW.plusSeconds(3599), f),
                    new ConnectionState.Cooldown(NOW.plusSeconds(3599), f), new ConnectionState.Failed(f, ExitStatus.CONFIG))) {
                assertThat(StateText.headline(s, NOW)).as(f.message()).hasSizeLessThanOrEqualTo(StateText.HEADLINE_MAX)
                        .doesNotContain("/").doesNotContain("Exception");
            }
        }
    }

    @Test
    void aRefusedLoginsAdviceFollowsTheAuthMode() {
        var refused = new ConnectionState.Failed(Failure.permanent(
                "Spotify no longer accepts the stored login (Login5: INVALID_CREDENTIALS)", ""), ExitStatus.NOPERM);
        assertThat(StateText.failureAdvice(refused, false))
                .isEqualTo("Pick this device again in a Spotify app on the same network to log in again, then Reconnect");
        // With stored credentials the device is not advertised: no app can pick it.
        assertThat(StateText.failureAdvice(refused, true))
                .startsWith("Replace the credentials file (auth.credentialsFile), or set auth.mode to \"zeroconf\" and pick")
                .endsWith("then Reconnect");
        var premium = new ConnectionState.Failed(Failure.permanent(
                "Spotify refused the login: Spotify Connect receivers need a Premium account", ""), ExitStatus.NOPERM);
        assertThat(StateText.failureAdvice(premium, true)).doesNotContain("credentials").contains("Premium");
        assertThat(StateText.failureAdvice(premium, false)).doesNotContain("Pick this device");
        var file = new ConnectionState.Failed(new Failure(FailureKind.CONFIG, "bad", ""), ExitStatus.CONFIG);
        assertThat(StateText.failureAdvice(file, true)).isEqualTo("Fix the file, then Reconnect");
    }

    @Test
    void theHistoryAndStatusNameWhatTheEngineNeedsNotAnInvalidConfiguration() {
        assertThat(StateText.reason(new Failure(dev.connecttray.core.FailureKind.CONFIG, "Connect Tray has no copy of "
                + "Spotify Soloist yet", dev.connecttray.config.SoloistTerms.CONSENT_NEEDED)))
                .isEqualTo("Soloist download needs your consent");
        assertThat(StateText.reason(new Failure(dev.connecttray.core.FailureKind.CONFIG, "No Soloist API key",
                dev.connecttray.config.SoloistTerms.API_KEY_NEEDED))).isEqualTo("Soloist API key needed");
        assertThat(StateText.reason(Failure.internal("Spotify Soloist crashed 3 times within 10 min; the last time: x",
                ""))).isEqualTo("Soloist keeps crashing");
        assertThat(StateText.reason(Failure.transientFailure("go-librespot failed 10 times in a row; the last time: x",
                ""))).isEqualTo("go-librespot keeps failing");
        assertThat(StateText.lowerFirst("Connect Tray has no copy")).as("a name keeps its capitals")
                .isEqualTo("Connect Tray has no copy");
    }
}
