package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import dev.connecttray.view.TimelineSegments.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineSegmentsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T22:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);
    private static final Instant DAY_START = NOW.minus(DAY);

    private static final ConnectionState STARTING = new ConnectionState.Starting();
    private static final ConnectionState CONNECTING = new ConnectionState.Connecting(1, 10);
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "");

    private static ConnectionState connected(Instant since) {
        return new ConnectionState.Connected("alice", since);
    }

    @Test
    void theStateBeforeTheWindowFillsFromItsStart() {
        Instant twoDaysAgo = NOW.minus(Duration.ofHours(48));
        Instant evening = NOW.minus(Duration.ofHours(2));
        var history = List.of(new StateChange(twoDaysAgo, STARTING), new StateChange(twoDaysAgo.plusSeconds(5), connected(twoDaysAgo)),
                new StateChange(evening, CONNECTING));

        assertThat(TimelineSegments.of(history, NOW, DAY)).containsExactly(
                new Segment(DAY_START, evening, connected(twoDaysAgo)),
                new Segment(evening, NOW, CONNECTING));
    }

    @Test
    void nothingIsKnownBeforeTheFirstEntry() {
        Instant started = NOW.minus(Duration.ofHours(3));
        var history = List.of(new StateChange(started, STARTING), new StateChange(started.plusSeconds(2), connected(started)));

        assertThat(TimelineSegments.of(history, NOW, DAY)).containsExactly(
                new Segment(DAY_START, started, null),
                new Segment(started, started.plusSeconds(2), STARTING),
                new Segment(started.plusSeconds(2), NOW, connected(started)));
    }

    @Test
    void noHistoryIsOneUnknownSegment() {
        assertThat(TimelineSegments.of(List.of(), NOW, DAY)).containsExactly(new Segment(DAY_START, NOW, null));
    }

    @Test
    void theLastSegmentEndsNow() {
        Instant t = NOW.minusSeconds(30);
        List<Segment> segments = TimelineSegments.of(List.of(new StateChange(DAY_START.minusSeconds(1), STARTING),
                new StateChange(t, CONNECTING)), NOW, DAY);

        assertThat(segments).last().isEqualTo(new Segment(t, NOW, CONNECTING));
        assertThat(segments.get(0).from()).isEqualTo(DAY_START);
    }

    @Test
    void anEveningOfDropOutsAlternates() {
        // 19:00 connected; then five times: dropped, retried 20 s later, connected again 10 min on.
        Instant t = Instant.parse("2026-11-24T19:00:00Z");
        List<StateChange> history = new ArrayList<>();
        history.add(new StateChange(t.minus(Duration.ofDays(3)), connected(t.minus(Duration.ofDays(3)))));
        List<ConnectionState> expected = new ArrayList<>();
        expected.add(connected(t.minus(Duration.ofDays(3))));
        for (int i = 0; i < 5; i++) {
            Instant drop = t.plus(Duration.ofMinutes(30L * i + 20));
            var retrying = new ConnectionState.Retrying(1, 10, drop.plusSeconds(20), REFUSED);
            history.add(new StateChange(drop, retrying));
            history.add(new StateChange(drop.plusSeconds(20), connected(drop.plusSeconds(20))));
            expected.add(retrying);
            expected.add(connected(drop.plusSeconds(20)));
        }

        List<Segment> segments = TimelineSegments.of(history, NOW, DAY);

        assertThat(segments).extracting(Segment::state).containsExactlyElementsOf(expected);
        assertThat(segments).extracting(s -> s.state() instanceof ConnectionState.Retrying)
                .containsExactly(false, true, false, true, false, true, false, true, false, true, false);
        assertThat(segments.get(1).length()).isEqualTo(Duration.ofSeconds(20));
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).from()).isEqualTo(segments.get(i - 1).to());
        }
    }

    @Test
    void entriesThatLastNoTimeAreDropped() {
        Instant t = NOW.minusSeconds(60);
        var history = List.of(new StateChange(DAY_START.minusSeconds(10), STARTING), new StateChange(t, STARTING),
                new StateChange(t, CONNECTING), new StateChange(NOW, connected(NOW)));

        assertThat(TimelineSegments.of(history, NOW, DAY)).containsExactly(
                new Segment(DAY_START, t, STARTING),
                new Segment(t, NOW, CONNECTING));
    }

    @Test
    void anEntryBeforeItsPredecessorCountsFromThePredecessor() {
        // The wall clock went back 10 minutes between two changes.
        Instant t = NOW.minus(Duration.ofHours(1));
        var history = List.of(new StateChange(DAY_START.minusSeconds(1), STARTING), new StateChange(t, CONNECTING),
                new StateChange(t.minus(Duration.ofMinutes(10)), connected(t)));

        assertThat(TimelineSegments.of(history, NOW, DAY)).containsExactly(
                new Segment(DAY_START, t, STARTING),
                new Segment(t, NOW, connected(t)));
    }

    @Test
    void refusesAnEmptyWindow() {
        assertThatThrownBy(() -> TimelineSegments.of(List.of(), NOW, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingIsKnownBeforeTheFirstEntryNorAfterAStop() {
        assertThat(TimelineSegments.known(null)).isFalse();
        assertThat(TimelineSegments.known(new ConnectionState.Stopped())).isFalse();
        assertThat(TimelineSegments.known(new ConnectionState.Starting())).isTrue();
    }
}
