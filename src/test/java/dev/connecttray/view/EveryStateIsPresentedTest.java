package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every state has every presentation: its headline, its story, its icon, its menu, what the window
 * and {@code status} say of it, whether it is news, how it is logged. The presentations are
 * {@link ConnectionState.Cases}, so a new state does not compile until each says what it shows;
 * this test fails until it has a sample of the new state too, and then runs them all on it.
 */
class EveryStateIsPresentedTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");

    /** One of each state, in the order a connection meets them. */
    private static final List<ConnectionState> SAMPLES = List.of(
            new ConnectionState.Starting(),
            new ConnectionState.WaitingForCredentials("Living room"),
            new ConnectionState.Connecting(1, 10),
            new ConnectionState.Connected("alice", NOW.minusSeconds(90)),
            new ConnectionState.Degraded("alice", NOW.minusSeconds(60), "Audio output failed"),
            new ConnectionState.Retrying(2, 10, NOW.plusSeconds(8), REFUSED),
            new ConnectionState.Cooldown(NOW.plusSeconds(300), REFUSED),
            new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE),
            new ConnectionState.Stopped());

    @Test
    void thereIsASampleOfEveryState() {
        assertThat(SAMPLES.stream().map(Object::getClass).toList())
                .as("add a sample of the new state here")
                .containsExactlyInAnyOrder(ConnectionState.class.getPermittedSubclasses());
    }

    @Test
    void everyPresentationSaysSomethingOfEveryState() {
        NotificationPolicy notifications = new NotificationPolicy(false);
        for (ConnectionState s : SAMPLES) {
            String name = s.name();
            assertThat(StateText.headline(s, NOW)).as(name).isNotBlank();
            assertThat(StateText.describe(s, NOW)).as(name).isNotBlank();
            assertThat(IconState.of(s)).as(name).isNotNull();
            TrayMenu menu = TrayMenuBuilder.build(s, NOW, true, EngineKind.SOLOIST, "Spotify Soloist \u00b7 9 days left");
            assertThat(menu.items()).as(name).first().isInstanceOf(TrayMenu.Status.class);
            assertThat(menu.icon()).as(name).isEqualTo(IconState.of(s));
            assertThat(Actions.quitStatus(s)).as(name).isNotNull();
            assertThat(menu.items()).as(name).contains(new TrayMenu.Entry("Reconnect now", TrayMenu.Action.RECONNECT,
                    Actions.canReconnect(s)));
            assertThat(StateText.countdownTo(s) != null).as(name + ": counts down exactly when its headline does")
                    .isEqualTo(!StateText.headline(s, NOW).equals(StateText.headline(s, NOW.plusSeconds(1))));
            assertThat(notifications.onState(s, NOW)).as(name).isNotNull();
            assertThat(StateLog.changeText(s, NOW)).as(name).isNotBlank();
            StateLog.log(LoggerFactory.getLogger(EveryStateIsPresentedTest.class), s, NOW, ZoneOffset.UTC);
            assertThat(StatusReport.change(new StateChange(NOW, s))).as(name).startsWith(StateText.headline(s, NOW));
            assertThat(StatusTexts.detail(s, ZoneOffset.UTC, false)).as(name).isNotBlank();
            assertThat(StatusTexts.pastState(s)).as(name).isNotBlank();
            assertThat(StatusTexts.cause(s)).as(name).isNotNull();
            assertThat(TimelineSegments.known(s)).as(name + ": only after a stop is nothing known")
                    .isEqualTo(!(s instanceof ConnectionState.Stopped));
        }
        // A minute each, the last one a minute ago.
        List<StateChange> history = SAMPLES.stream()
                .map(s -> new StateChange(NOW.minusSeconds(60L * (SAMPLES.size() - SAMPLES.indexOf(s))), s)).toList();
        assertThat(StatusTexts.rows(history)).isNotEmpty();
        assertThat(TimelineSegments.of(history, NOW, Duration.ofHours(1)))
                .extracting(TimelineSegments.Segment::state).containsAll(SAMPLES);
        String report = StatusReport.render(OptionalLong.of(42), Path.of("/state"), Optional.empty(), history, NOW,
                ZoneOffset.UTC);
        for (StateChange e : history) assertThat(report).as(e.state().name()).contains(StatusReport.change(e));
    }
}
