package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FakeProcessControl;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.core.VirtualTime;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receiver service on virtual time: heartbeats on its own clock, and the three ways it ends
 * (a stop command, its stdin closing, a signal) with the status each gives.
 */
class ReceiverServiceTest {
    private static final Duration BEAT = Duration.ofSeconds(5);
    private static final long PID = 4242;

    private final VirtualTime time = new VirtualTime();
    private final FakeDevice device = new FakeDevice();
    private final FakeProcessControl signals = new FakeProcessControl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** The command reader's loop, run by the test when it likes. */
    private final List<Runnable> readers = new ArrayList<>();

    private ReceiverService service(InputStream commands, boolean supervised) {
        RetrySettings retry = new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0, 4,
                Duration.ofSeconds(30), Duration.ofMinutes(1), AfterGiveUp.EXIT);
        return new ReceiverService(retry, device, "Test device", new PrintStream(out, true, StandardCharsets.UTF_8),
                commands, supervised, 0,
                new ReceiverService.Context(time, time, Runnable::run, readers::add, PID, BEAT, signals));
    }

    private List<Event> events() throws JsonLines.MalformedMessageException {
        List<Event> events = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) events.add(JsonLines.decodeEvent(line));
        }
        return events;
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void beatsEveryIntervalOnVirtualTimeWithItsPid() throws Exception {
        ReceiverService service = service(null, false);
        assertThat(service.start()).isEmpty();
        time.runDue();
        long before = events().stream().filter(e -> e instanceof Event.Heartbeat).count();
        time.advance(BEAT.multipliedBy(3));

        List<Event> events = events();
        assertThat(events).filteredOn(e -> e instanceof Event.Heartbeat).hasSize((int) before + 3)
                .allSatisfy(e -> assertThat(((Event.Heartbeat) e).pid()).isEqualTo(PID));
        assertThat(events).filteredOn(e -> e instanceof Event.StateChanged)
                .extracting(e -> ((Event.StateChanged) e).state())
                .last().isInstanceOf(ConnectionState.Connected.class);
        assertThat(device.started).isTrue();
    }

    @Test
    void aStopCommandStopsItWith0AndClosesTheDevice() throws Exception {
        ReceiverService service = service(stdin("{\"command\":\"stop\"}\n"), true);
        assertThat(service.start()).isEmpty();
        time.runDue();
        readers.forEach(Runnable::run);
        time.runDue();

        assertThat(service.awaitExit()).isEqualTo(ExitStatus.OK);
        assertThat(device.closed).isTrue();
        assertThat(events()).filteredOn(e -> e instanceof Event.StateChanged)
                .extracting(e -> ((Event.StateChanged) e).state())
                .last().isInstanceOf(ConnectionState.Stopped.class);
    }

    @Test
    void stdinClosingWithoutAStopMeansTheSupervisorIsGoneIt75sAndArmsAHalt() throws Exception {
        ReceiverService service = service(stdin(""), true);
        assertThat(service.start()).isEmpty();
        time.runDue();
        readers.forEach(Runnable::run);
        time.runDue();

        assertThat(service.awaitExit()).isEqualTo(ExitStatus.TEMPFAIL);
        assertThat(signals.halts).containsExactly(ExitStatus.TEMPFAIL + " after PT3S");
        assertThat(device.closed).isTrue();
    }

    @Test
    void aSignalToASupervisedReceiverStopsIt75WithASoonerHalt() throws Exception {
        ReceiverService service = service(stdin(""), true);
        assertThat(service.start()).isEmpty();
        time.runDue();
        signals.send("TERM");
        time.runDue();

        assertThat(service.awaitExit()).isEqualTo(ExitStatus.TEMPFAIL);
        assertThat(signals.halts).containsExactly(ExitStatus.TEMPFAIL + " after PT4S");
    }

    @Test
    void aDeviceThatCannotAdvertiseEndsItAt75WithoutConnecting() throws Exception {
        device.failToStart = true;
        ReceiverService service = service(null, false);

        assertThat(service.run()).isEqualTo(ExitStatus.TEMPFAIL);
        assertThat(device.connects).isZero();
        assertThat(device.closed).isTrue();
    }

    /** A device that connects at once as alice. */
    private static final class FakeDevice implements ReceiverService.Device {
        boolean started;
        boolean closed;
        boolean failToStart;
        int connects;

        @Override
        public void start() throws IOException {
            if (failToStart) throw new IOException("port 5353 is taken");
            started = true;
        }

        @Override
        public void reannounce() {
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean hasCredentials() {
            return true;
        }

        @Override
        public String connect(int attempt) {
            connects++;
            return "alice";
        }

        @Override
        public void disconnect() {
        }

        @Override
        public void setListener(Listener listener) {
        }
    }

}
