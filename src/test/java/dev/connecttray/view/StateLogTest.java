package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Failure;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StateLogTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static ListAppender<ILoggingEvent> logged(Logger logger) {
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setContext(logger.getLoggerContext());
        list.start();
        logger.addAppender(list);
        return list;
    }

    @Test
    void aConnectionIsLoggedAsItBeginsWithoutAnElapsedTime() {
        Logger logger = new LoggerContext().getLogger("test");
        ListAppender<ILoggingEvent> lines = logged(logger);
        StateLog.log(logger, new ConnectionState.Connected("fake-user", T0), T0, ZoneOffset.UTC);
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).isEqualTo("Connected as fake-user");
        });
        assertThat(StateLog.changeText(new ConnectionState.Connected("fake-user", T0), T0.plusMillis(400)))
                .isEqualTo("Connected as fake-user").doesNotContain("\u00b7").doesNotContain(" s");
    }

    @Test
    void aRetryKeepsItsCountdownCauseAndNextAttempt() {
        Logger logger = new LoggerContext().getLogger("test");
        ListAppender<ILoggingEvent> lines = logged(logger);
        StateLog.log(logger, new ConnectionState.Retrying(2, 10, T0.plusSeconds(8),
                Failure.transientFailure("Connection refused", "ConnectException")), T0, ZoneOffset.UTC);
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).isEqualTo("Retrying in 8 s (attempt 2 of 10): connection refused "
                    + "[ConnectException; next attempt at 10:00:08]");
        });
    }
}
