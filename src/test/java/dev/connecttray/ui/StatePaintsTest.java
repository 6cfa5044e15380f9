package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatePaintsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "");

    @Test
    void theLegendHasAColourForEveryStateTheBandDraws() {
        List<ConnectionState> all = List.of(new ConnectionState.Starting(),
                new ConnectionState.WaitingForCredentials("d"), new ConnectionState.Connecting(1, 10),
                new ConnectionState.Connected("alice", NOW), new ConnectionState.Degraded("alice", NOW, "x"),
                new ConnectionState.Retrying(2, 10, NOW, REFUSED), new ConnectionState.Cooldown(NOW, REFUSED),
                new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE), new ConnectionState.Stopped());
        List<javafx.scene.paint.Paint> legend = StatePaints.LEGEND.stream().map(StatePaints.LegendEntry::paint).toList();
        for (ConnectionState s : all) assertThat(legend).as(s.name()).contains(StatePaints.of(s));
        assertThat(legend).as("nothing known").contains(StatePaints.of((ConnectionState) null));
        assertThat(StatePaints.LEGEND).extracting(StatePaints.LegendEntry::label).doesNotHaveDuplicates()
                .contains("Connected", "Connecting or retrying", "Failed", "Not running or unknown");
        assertThat(legend).doesNotHaveDuplicates();
    }
}
