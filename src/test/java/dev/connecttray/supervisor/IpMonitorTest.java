package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs({OS.LINUX, OS.MAC})
class IpMonitorTest {

    @Test
    void eachLineIsAnEventAndTheEndIsReportedOnce() throws InterruptedException {
        AtomicInteger changes = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        IpMonitor monitor = new IpMonitor(List.of("sh", "-c", "echo link; echo address; echo route"));

        assertThat(monitor.start(changes::incrementAndGet, ended::countDown)).isTrue();

        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(changes).hasValue(3);
        monitor.close();
    }

    @Test
    void aCommandThatCannotRunIsNoSource() {
        IpMonitor monitor = new IpMonitor(List.of("/nonexistent/connect-tray-no-such-ip"));

        assertThat(monitor.start(() -> { }, () -> { })).isFalse();
        monitor.close();
    }

    @Test
    void closeEndsTheChildWithoutReportingAnEnd() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ends = new AtomicInteger();
        IpMonitor monitor = new IpMonitor(List.of("sh", "-c", "echo ready; exec sleep 600"));
        assertThat(monitor.start(started::countDown, ends::incrementAndGet)).isTrue();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        ProcessHandle child = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 600")).findFirst().orElseThrow();

        monitor.close();

        assertThat(child.onExit().thenApply(p -> true).completeOnTimeout(false, 30, TimeUnit.SECONDS).join()).isTrue();
        assertThat(ends).hasValue(0);
    }

    @Test
    void startingTwiceStartsOneChild() throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        IpMonitor monitor = new IpMonitor(List.of("sh", "-c", "echo x"));

        assertThat(monitor.start(() -> { }, ended::countDown)).isTrue();
        assertThat(monitor.start(() -> { }, () -> { })).isFalse();
        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        monitor.close();
    }

    @Test
    void theMonitorEndsWhenItsInputClosesAsWhenThisProcessDies() throws InterruptedException, java.io.IOException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        IpMonitor monitor = new IpMonitor(IpMonitor.tiedToThisProcess("sh -c 'echo ready; exec sleep 601'"));
        assertThat(monitor.start(started::countDown, ended::countDown)).isTrue();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        ProcessHandle sleeper = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 601")).findFirst().orElseThrow();

        monitor.closeInputOnly();

        assertThat(sleeper.onExit().thenApply(p -> true).completeOnTimeout(false, 30, TimeUnit.SECONDS).join()).isTrue();
        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        monitor.close();
    }

    @Test
    void aMonitorThatCannotRunEndsAtOnce() throws InterruptedException {
        // Without iproute2 the shell starts but the monitor does not: the watcher polls instead.
        CountDownLatch ended = new CountDownLatch(1);
        IpMonitor monitor = new IpMonitor(IpMonitor.tiedToThisProcess("/nonexistent/connect-tray-no-such-ip monitor"));

        assertThat(monitor.start(() -> { }, ended::countDown)).isTrue();

        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        monitor.close();
    }

    @Test
    void theEndOfTheMonitorIsLoggedInOneShortLineWithoutTheShellScript() throws InterruptedException {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(IpMonitor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            CountDownLatch ended = new CountDownLatch(1);
            IpMonitor monitor = new IpMonitor(IpMonitor.tiedToThisProcess("echo link"));
            assertThat(monitor.start(() -> { }, ended::countDown)).isTrue();
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
            monitor.close();

            List<String> warnings = logged.list.stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("(echo link) ended").doesNotContain("exec 3").doesNotContain("\n")
                    .hasSizeLessThan(120);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(IpMonitor.label(IpMonitor.COMMAND)).isEqualTo(IpMonitor.MONITOR);
    }
}
