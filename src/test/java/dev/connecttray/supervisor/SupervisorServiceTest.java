package dev.connecttray.supervisor;

import dev.connecttray.core.StateChange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FakeProcessControl;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.core.VirtualTime;
import dev.connecttray.ipc.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor service on virtual time, with a real systemd socket to listen on: what it tells
 * systemd and the history as the receiver's states come, how a signal and the watchers reach the
 * receiver, and the status it finishes with.
 */
class SupervisorServiceTest {
    /** Long enough that no child is found wedged while the test moves time on. */
    private static final Duration BEAT = Duration.ofMinutes(10);
    /** systemd's WatchdogSec=20s: a ping every 10 s. */
    private static final String WATCHDOG_USEC = "20000000";

    @TempDir
    Path dir;

    private final VirtualTime time = new VirtualTime();
    private final FakeChildLauncher engine = new FakeChildLauncher(time);
    private final FakeProcessControl signals = new FakeProcessControl();
    private final FakeWatchers watchers = new FakeWatchers();
    private final List<ConnectionState> observed = new ArrayList<>();
    private UnixDatagramReceiver systemd;
    private StateHistory history;

    @AfterEach
    void closeSocket() {
        if (systemd != null) systemd.close();
    }

    private SupervisorService service(boolean finishOnFailure) throws IOException {
        systemd = UnixDatagramReceiver.bindPath(dir.resolve("notify"));
        history = StateHistory.open(dir, 100, 1 << 16);
        SdNotify sdNotify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.notifySocketValue(),
                "WATCHDOG_USEC", WATCHDOG_USEC, "WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())));
        RetrySettings retry = new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0, 4,
                Duration.ofSeconds(30), Duration.ofMinutes(1), finishOnFailure ? AfterGiveUp.EXIT : AfterGiveUp.COOLDOWN);
        SupervisorService service = new SupervisorService(retry, engine, history, sdNotify, BEAT, finishOnFailure,
                new SupervisorService.Context(time, time, this::nanoTime, ZoneOffset.UTC, watchers, signals));
        service.observe(observed::add);
        return service;
    }

    private long nanoTime() {
        return time.instant().getEpochSecond() * 1_000_000_000L + time.instant().getNano();
    }

    /** Every message systemd got so far, oldest first. */
    private List<String> toSystemd() {
        List<String> messages = new ArrayList<>();
        for (Optional<String> m = systemd.receive(Duration.ofMillis(200)); m.isPresent();
             m = systemd.receive(Duration.ofMillis(200))) {
            messages.add(m.get());
        }
        return messages;
    }

    private FakeChildLauncher.FakeChild connected() {
        FakeChildLauncher.FakeChild c = engine.last();
        c.emit(new Connecting(1, 4));
        c.emit(new Connected("alice", time.instant()));
        time.runDue();
        return c;
    }

    @Test
    void tellsSystemdReadyOnceTheFirstStateIsPastStartingWithAStatusLineForEachAndPingsTheWatchdog() throws Exception {
        SupervisorService service = service(true);
        service.start();
        time.runDue();
        connected();
        time.advance(Duration.ofSeconds(25));

        List<String> messages = toSystemd();
        assertThat(messages).filteredOn(m -> m.equals("READY=1")).hasSize(1);
        assertThat(messages.indexOf("READY=1")).as("ready after the first state that is not Starting")
                .isGreaterThan(messages.indexOf(messages.stream().filter(m -> m.startsWith("STATUS=Starting"))
                        .findFirst().orElseThrow()));
        assertThat(messages).anyMatch(m -> m.startsWith("STATUS=Connected as alice"));
        assertThat(messages).as("a ping now and every 10 s, on virtual time")
                .filteredOn(m -> m.equals("WATCHDOG=1")).hasSize(3);
        assertThat(history.entries()).extracting(e -> e.state().getClass().getSimpleName())
                .containsExactly("Starting", "Connecting", "Connected");
        assertThat(observed).isEqualTo(history.entries().stream().map(StateChange::state).toList());
    }

    @Test
    void aStopSignalStopsTheReceiverAndFinishesWith0AfterSayingStoppingToSystemd() throws Exception {
        SupervisorService service = service(true);
        service.start();
        time.runDue();
        FakeChildLauncher.FakeChild child = connected();
        assertThat(signals.haltAfter).as("the child's grace to stop, and then some")
                .isEqualTo(ReceiverProcess.QUIT_GRACE.plusSeconds(3));

        signals.send("TERM");
        time.runDue();
        assertThat(child.received).containsExactly(Command.STOP);
        child.exit(0);
        time.runDue();

        assertThat(service.awaitExit()).isEqualTo(ExitStatus.OK);
        assertThat(history.entries().get(history.entries().size() - 1).state()).isInstanceOf(Stopped.class);
        assertThat(toSystemd()).contains("STOPPING=1");
        assertThat(watchers.closed).as("the watchers stop with the service").isTrue();
        assertThat(signals.halts).as("the supervisor leaves the halt to the signal handling").isEmpty();
    }

    @Test
    void finishesWithTheStatusTheEngineEndedWith() throws Exception {
        SupervisorService service = service(true);
        service.start();
        time.runDue();
        engine.last().exit(ExitStatus.NOPERM.code());
        time.runDue();

        assertThat(service.awaitExit()).isEqualTo(ExitStatus.NOPERM);
        assertThat(engine.started).as("a rejected login is not retried").hasSize(1);
    }

    @Test
    void theWatchersReachTheReceiverANetworkChangeAnnouncesAgainAndAWakeUpReconnects() throws Exception {
        SupervisorService service = service(false);
        service.start();
        time.runDue();
        FakeChildLauncher.FakeChild child = connected();

        watchers.changes.networkChanged(false);
        time.runDue();
        assertThat(child.received).containsExactly(Command.NETWORK_CHANGED);
        watchers.changes.wokeUp(Duration.ofMinutes(40));
        time.runDue();
        assertThat(child.received).containsExactly(Command.NETWORK_CHANGED, Command.RECONNECT);

        service.quit();
        time.runDue();
        child.exit(0);
        time.runDue();
        assertThat(service.awaitExit()).isEqualTo(ExitStatus.OK);
    }

    @Test
    void quitBeforeItRunsFinishesWith0() throws Exception {
        SupervisorService service = service(false);
        service.quit();
        assertThat(service.run()).isEqualTo(ExitStatus.OK);
    }

    private static final class FakeWatchers implements SupervisorService.WorldWatchers {
        SupervisorService.WorldChanges changes;
        boolean closed;

        @Override
        public AutoCloseable start(SupervisorService.WorldChanges changes) {
            this.changes = changes;
            return () -> closed = true;
        }
    }
}
