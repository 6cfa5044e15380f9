package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.view.StateText;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Soloist's WebSocket messages as connection states, with the stall on an injected clock. */
class SoloistSessionTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private final Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
    private final SoloistSession session = new SoloistSession("Living room", LIMIT);

    private static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    private Optional<ConnectionState> at(long seconds, String message) {
        return session.onMessage(json(message), t0.plusSeconds(seconds), Duration.ofSeconds(seconds).toNanos());
    }

    private Optional<ConnectionState> tick(long seconds) {
        return session.onTick(t0.plusSeconds(seconds), Duration.ofSeconds(seconds).toNanos());
    }

    private static String playing(long positionMs) {
        return "{\"type\":\"playback_state\",\"status\":\"playing\",\"position\":{\"position_ms\":" + positionMs
                + ",\"timestamp_ms\":1,\"speed\":1.0}}";
    }

    @Test
    void notLoggedInIsWaitingForAnAppToPickTheDevice() {
        ConnectionState s = at(0, "{\"type\":\"auth_state\",\"logged_in\":false,\"is_active\":false}").orElseThrow();
        assertThat(s).isEqualTo(new ConnectionState.WaitingForCredentials("Living room"));
        assertThat(StateText.describe(s, t0)).isEqualTo("Waiting for a Spotify app to pick \u201cLiving room\u201d");
        assertThat(at(1, "{\"type\":\"auth_state\",\"logged_in\":false}")).isEmpty(); // no change, nothing said
    }

    @Test
    void loggedInIsConnectedSinceItWasFirstSeen() {
        at(0, "{\"type\":\"auth_state\",\"logged_in\":false}");
        ConnectionState s = at(5, "{\"type\":\"auth_state\",\"logged_in\":true,\"is_active\":true}").orElseThrow();
        assertThat(s).isEqualTo(new ConnectionState.Connected(SoloistSession.USER, t0.plusSeconds(5)));
        assertThat(StateText.headline(s, t0)).isEqualTo("Connected as the paired account");
        // a token refresh without is_active changes nothing
        assertThat(at(9, "{\"type\":\"auth_state\",\"logged_in\":true}")).isEmpty();
        assertThat(at(10, "{\"type\":\"command_result\",\"command\":\"play\"}")).isEmpty();
    }

    @Test
    void nothingIsSaidBeforeTheAuthStateIsKnown() {
        assertThat(at(0, playing(0))).isEmpty();
        assertThat(at(0, "{\"type\":\"volume_changed\",\"volume\":3}")).isEmpty();
        assertThat(at(0, "{\"no\":\"type\"}")).isEmpty();
    }

    @Test
    void aPositionThatStandsStillWhilePlayingDegradesThenAsksForARestart() {
        at(0, "{\"type\":\"auth_state\",\"logged_in\":true}");
        at(1, playing(1000));
        assertThat(at(10, playing(10_000))).isEmpty();
        assertThat(at(20, playing(10_000))).isEmpty(); // 10 s still: within the limit
        assertThat(tick(29)).isEmpty();
        ConnectionState degraded = tick(30).orElseThrow(); // 20 s still
        assertThat(degraded).isInstanceOf(ConnectionState.Degraded.class);
        assertThat(((ConnectionState.Degraded) degraded).reason()).startsWith("Playback stalled: ")
                .contains("0:10").contains("20 s");
        assertThat(session.restartDue(Duration.ofSeconds(49).toNanos())).isEmpty();
        assertThat(session.restartDue(Duration.ofSeconds(50).toNanos())).hasValueSatisfying(f -> {
            assertThat(f.isTransient()).isTrue();
            assertThat(f.message()).startsWith("Playback stalled").contains("40 s");
        });
    }

    @Test
    void aPositionThatMovesAgainIsConnectedAgain() {
        at(0, "{\"type\":\"auth_state\",\"logged_in\":true}");
        at(0, playing(5000));
        assertThat(tick(25).orElseThrow()).isInstanceOf(ConnectionState.Degraded.class);
        assertThat(at(26, playing(5500)).orElseThrow()).isEqualTo(new ConnectionState.Connected(SoloistSession.USER, t0));
        assertThat(session.restartDue(Duration.ofSeconds(44).toNanos())).isEmpty();
    }

    @Test
    void pausedOrIdleNeverStalls() {
        at(0, "{\"type\":\"auth_state\",\"logged_in\":true}");
        at(0, playing(5000));
        at(5, "{\"type\":\"playback_changed\",\"status\":\"paused\"}");
        assertThat(tick(500)).isEmpty();
        assertThat(session.restartDue(Duration.ofSeconds(500).toNanos())).isEmpty();
        // playing again starts the clock afresh, even with the position where it was
        at(600, "{\"type\":\"playback_changed\",\"status\":\"playing\"}");
        assertThat(tick(619)).isEmpty();
        assertThat(tick(620).orElseThrow()).isInstanceOf(ConnectionState.Degraded.class);
    }

    @Test
    void positionSyncMovesThePosition() {
        at(0, "{\"type\":\"auth_state\",\"logged_in\":true}");
        at(0, playing(0));
        at(15, "{\"type\":\"position_sync\",\"position\":{\"position_ms\":15000}}");
        assertThat(tick(34)).isEmpty();
    }
}
