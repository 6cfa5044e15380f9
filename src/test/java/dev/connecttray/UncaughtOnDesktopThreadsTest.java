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
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * JavaFX catches what a task on its thread throws and hands it to the thread's uncaught-exception
 * handler: the process-wide handler must get it, so that it reaches the log file (it once went to
 * stderr only). JavaFX runs headless here (Monocle, see the surefire configuration).
 */
class UncaughtOnDesktopThreadsTest {
    @Test
    void anExceptionOnTheJavaFxThreadReachesTheLogWithTheThreadsName() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("UncaughtOnDesktopThreadsTest");
        CountDownLatch logged = new CountDownLatch(1);
        AtomicReference<ILoggingEvent> event = new AtomicReference<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                event.set(e);
                logged.countDown();
            }
        };
        appender.start();
        log.addAppender(appender);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(ProcessExit.uncaughtHandler(code -> { }, log));
        try {
            FxPlatform.start();
            Platform.runLater(() -> {
                throw new IllegalStateException("thrown on the JavaFX thread");
            });

            assertThat(logged.await(10, TimeUnit.SECONDS)).as("the handler logged within 10 s").isTrue();
            assertThat(event.get().getFormattedMessage()).contains("JavaFX Application Thread")
                    .contains("thrown on the JavaFX thread");
            assertThat(event.get().getThrowableProxy()).isNotNull();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            log.detachAppender(appender);
        }
    }
}
