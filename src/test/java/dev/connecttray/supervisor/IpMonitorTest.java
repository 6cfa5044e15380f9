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
        List<String> warnings = loggedUntilTheEnd(new IpMonitor(IpMonitor.tiedToThisProcess("echo link")), () -> { })
                .stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("(echo link) ended").doesNotContain("exec 3").doesNotContain("\n")
                .hasSizeLessThan(120);
        assertThat(IpMonitor.label(IpMonitor.COMMAND)).isEqualTo(IpMonitor.MONITOR);
    }

    /** Runs {@code monitor} until it ends by itself and returns what IpMonitor logged meanwhile. */
    private static List<ch.qos.logback.classic.spi.ILoggingEvent> loggedUntilTheEnd(IpMonitor monitor,
            Runnable whenStarted) throws InterruptedException {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(IpMonitor.class);
        ch.qos.logback.classic.Level before = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            CountDownLatch ended = new CountDownLatch(1);
            assertThat(monitor.start(() -> { }, ended::countDown)).isTrue();
            whenStarted.run();
            assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
            monitor.close();
            return List.copyOf(logged.list);
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(before);
        }
    }

    private static List<String> at(ch.qos.logback.classic.Level level, List<ch.qos.logback.classic.spi.ILoggingEvent> events) {
        return events.stream().filter(e -> e.getLevel() == level)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theRealMonitorEndedBySigtermWithItsProcessGroupIsNoWarning() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/sbin/ip").canExecute()
                || new java.io.File("/usr/sbin/ip").canExecute() || new java.io.File("/bin/ip").canExecute(), "iproute2");
        IpMonitor monitor = new IpMonitor(IpMonitor.COMMAND, () -> false);
        var events = loggedUntilTheEnd(monitor, () -> {
            // What systemctl stop does: SIGTERM to every process of the group (here: the monitor's), at once.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<ProcessHandle> group;
            do {
                group = ProcessHandle.current().descendants().toList();
            } while (group.stream().noneMatch(p -> p.info().command().orElse("").endsWith("/ip"))
                    && System.nanoTime() < deadline); // the monitor's processes start on their own: nothing to wait on
            group.forEach(ProcessHandle::destroy);
        });
        assertThat(at(ch.qos.logback.classic.Level.WARN, events)).isEmpty();
        assertThat(at(ch.qos.logback.classic.Level.INFO, events)).singleElement().asString()
                .contains("(" + IpMonitor.MONITOR + ") was stopped by SIGTERM; polling the network instead");
    }

    @Test
    void aMonitorThatEndsWhileThisProcessStopsIsSaidOnlyAtDebug() throws InterruptedException {
        IpMonitor monitor = new IpMonitor(IpMonitor.tiedToThisProcess("exit 3"), () -> true);
        var events = loggedUntilTheEnd(monitor, () -> { });
        assertThat(at(ch.qos.logback.classic.Level.WARN, events)).isEmpty();
        assertThat(at(ch.qos.logback.classic.Level.INFO, events)).isEmpty();
        assertThat(at(ch.qos.logback.classic.Level.DEBUG, events)).anySatisfy(m ->
                assertThat(m).contains("(exit 3) ended (status 3) as Connect Tray stops"));
    }

    @Test
    void aMonitorThatFailsByItselfIsStillAWarning() throws InterruptedException {
        IpMonitor monitor = new IpMonitor(IpMonitor.tiedToThisProcess("exit 3"), () -> false);
        var events = loggedUntilTheEnd(monitor, () -> { });
        assertThat(at(ch.qos.logback.classic.Level.WARN, events)).containsExactly(
                "The network monitor (exit 3) ended (status 3); polling the network instead");
    }
}
