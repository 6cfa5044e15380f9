package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProcessExitTest {
    private final List<Integer> halts = new ArrayList<>();
    private final Logger log = (Logger) LoggerFactory.getLogger("ProcessExitTest");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    ProcessExitTest() {
        logged.start();
        log.addAppender(logged);
    }

    @Test
    void outOfThreadsOnAnyThreadHaltsWith75SoAFreshProcessStarts() {
        Thread.UncaughtExceptionHandler handler = ProcessExit.uncaughtHandler(halts::add, log);

        handler.uncaughtException(new Thread("zeroconf-endpoint-worker-1"),
                new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached"));

        assertThat(halts).containsExactly(75);
    }

    @Test
    void anyOtherUncaughtExceptionReachesTheLogWithItsThreadAndDoesNotHalt() {
        Thread.UncaughtExceptionHandler handler = ProcessExit.uncaughtHandler(halts::add, log);

        handler.uncaughtException(new Thread("GTK Native Event Loop"), new IllegalStateException("on the wrong thread"));

        assertThat(halts).isEmpty();
        assertThat(logged.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).contains("GTK Native Event Loop").contains("on the wrong thread");
            assertThat(e.getThrowableProxy()).isNotNull();
        });
    }
}
