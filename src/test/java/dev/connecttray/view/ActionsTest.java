package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActionsTest {
    @Test
    void quitStatusPerState() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Failure f = Failure.transientFailure("refused", "");
        assertThat(Actions.quitStatus(new Connected("alice", now))).isEqualTo(ExitStatus.OK);
        assertThat(Actions.quitStatus(new Retrying(2, 4, now, f))).isEqualTo(ExitStatus.OK);
        assertThat(Actions.quitStatus(new Cooldown(now, f))).isEqualTo(ExitStatus.OK);
        assertThat(Actions.quitStatus(new Failed(f, ExitStatus.UNAVAILABLE))).isEqualTo(ExitStatus.UNAVAILABLE);
        assertThat(Actions.quitStatus(new Failed(f, ExitStatus.CONFIG))).isEqualTo(ExitStatus.CONFIG);
    }
}
