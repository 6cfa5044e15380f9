package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.connecttray.ui.FxPlatform;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a task throws on the threads of the desktop libraries reaches the process-wide handler, and
 * so the log file (it once went to stderr only): JavaFX catches it and hands it to the thread's
 * handler; the tray library's dispatch thread lets it go. JavaFX runs headless here (Monocle, see
 * the surefire configuration).
 */
class UncaughtOnDesktopThreadsTest {
    private final Logger log = (Logger) LoggerFactory.getLogger("UncaughtOnDesktopThreadsTest");
    private final CountDownLatch logged = new CountDownLatch(1);
    private final AtomicReference<ILoggingEvent> event = new AtomicReference<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            event.set(e);
            logged.countDown();
        }
    };
    private Thread.UncaughtExceptionHandler previous;

    @BeforeEach
    void installTheProcessHandler() {
        appender.start();
        log.addAppender(appender);
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(ProcessExit.uncaughtHandler(code -> { }, log));
    }

    @AfterEach
    void restore() {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        log.detachAppender(appender);
    }

    private void assertLogged(String thread, String message) throws InterruptedException {
        assertThat(logged.await(10, TimeUnit.SECONDS)).as("the handler logged within 10 s").isTrue();
        assertThat(event.get().getFormattedMessage()).contains(thread).contains(message);
        assertThat(event.get().getThrowableProxy()).isNotNull();
    }

    @Test
    void anExceptionOnTheJavaFxThreadReachesTheLogWithTheThreadsName() throws Exception {
        FxPlatform.start();
        Platform.runLater(() -> {
            throw new IllegalStateException("thrown on the JavaFX thread");
        });

        assertLogged("JavaFX Application Thread", "thrown on the JavaFX thread");
    }

    @Test
    void anExceptionOnTheTrayLibrarysDispatchThreadReachesTheLogWithTheThreadsName() throws Exception {
        System.setProperty("dorkbox.updates.Updates.ENABLE", "false"); // as DorkboxTray does: no update check
        dorkbox.systemTray.util.EventDispatch.runLater(() -> {
            throw new IllegalStateException("thrown on the tray library's thread");
        });

        assertLogged("SystemTrayEventDispatch", "thrown on the tray library's thread");
    }
}
