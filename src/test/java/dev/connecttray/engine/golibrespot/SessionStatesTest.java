package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionStatesTest {
    private static final Instant T0 = Instant.parse("2026-12-05T15:00:00Z");
    private static final long SECOND = 1_000_000_000L;
    private final SessionStates states = new SessionStates("Connect Tray (desk)", 10, Duration.ofSeconds(30));

    @Test
    void noSessionIsWaitingForAnAppToPickTheDeviceSaidOnce() {
        assertThat(states.status(null, T0, 0)).contains(new WaitingForCredentials("Connect Tray (desk)"));
        assertThat(states.status(null, T0.plusSeconds(1), SECOND)).isEmpty();
        assertThat(dev.connecttray.view.StateText.describe(states.current(), T0))
                .isEqualTo("Waiting for a Spotify app to pick \u201cConnect Tray (desk)\u201d");
    }

    @Test
    void aSessionIsConnectedAsItsUserSinceItWasFirstSeen() {
        states.status(null, T0, 0);
        assertThat(states.status("alice", T0.plusSeconds(5), 5 * SECOND)).contains(new Connected("alice",
                T0.plusSeconds(5)));
        assertThat(states.status("alice", T0.plusSeconds(6), 6 * SECOND)).as("the same session").isEmpty();
        assertThat(states.status("bob", T0.plusSeconds(7), 7 * SECOND)).as("another phone took over")
                .contains(new Connected("bob", T0.plusSeconds(7)));
    }

    @Test
    void noSessionAfterOneIsARebuildBeforeItsLogLineIsRead() {
        states.status("alice", T0, 0);
        assertThat(states.status(null, T0.plusSeconds(1), SECOND)).contains(new Connecting(1, 10));
        assertThat(states.sessionLost(2 * SECOND)).as("the log line read later").isEmpty();
        assertThat(states.status(null, T0.plusSeconds(20), 20 * SECOND)).isEmpty();
        assertThat(states.status(null, T0.plusSeconds(32), 32 * SECOND))
                .contains(new WaitingForCredentials("Connect Tray (desk)"));
    }

    @Test
    void aLostSessionIsConnectingUntilItComesBackOrTheGraceIsOver() {
        states.status("alice", T0, 0);
        assertThat(states.sessionLost(SECOND)).contains(new Connecting(1, 10));
        assertThat(states.status(null, T0.plusSeconds(2), 2 * SECOND)).as("being rebuilt").isEmpty();
        assertThat(states.status("alice", T0.plusSeconds(3), 3 * SECOND)).contains(new Connected("alice",
                T0.plusSeconds(3)));

        states.sessionLost(4 * SECOND);
        assertThat(states.status(null, T0.plusSeconds(40), 40 * SECOND)).as("not back within 30 s")
                .contains(new WaitingForCredentials("Connect Tray (desk)"));
    }

    @Test
    void aDroppedAccessPointIsDegradedUntilItAuthenticatesAgainWhateverStatusSays() {
        states.status("alice", T0, 0);
        Degraded degraded = (Degraded) states.accessPointLost(T0.plusSeconds(1)).orElseThrow();
        assertThat(degraded.user()).isEqualTo("alice");
        assertThat(degraded.since()).isEqualTo(T0);
        assertThat(dev.connecttray.view.StateText.headline(degraded, T0.plusSeconds(1)))
                .isEqualTo("Connected as alice \u00b7 apps may not see it");
        assertThat(states.status("alice", T0.plusSeconds(2), 2 * SECOND)).as("the session still exists").isEmpty();
        assertThat(states.accessPointBack(T0.plusSeconds(3))).contains(new Connected("alice", T0.plusSeconds(3)));
        assertThat(states.accessPointBack(T0.plusSeconds(4))).as("once").isEmpty();
    }

    @Test
    void theSessionGoingWhileDegradedIsARebuild() {
        states.status("alice", T0, 0);
        states.accessPointLost(T0.plusSeconds(1));
        assertThat(states.sessionLost(2 * SECOND)).contains(new Connecting(1, 10));
        assertThat(states.accessPointLost(T0.plusSeconds(3))).as("not connected").isEmpty();
    }

    @Test
    void aFailedRestoreIsWaitingAtTheNextAnswer() {
        states.status("alice", T0, 0);
        states.sessionLost(SECOND);
        states.restoreFailed();
        assertThat(states.status(null, T0.plusSeconds(2), 2 * SECOND))
                .contains(new WaitingForCredentials("Connect Tray (desk)"));
    }

    @Test
    void aLostSessionBeforeAnyIsNothing() {
        assertThat(states.sessionLost(SECOND)).isEmpty();
        ConnectionState first = states.status(null, T0, 2 * SECOND).orElseThrow();
        assertThat(first).isInstanceOf(WaitingForCredentials.class);
    }
}
