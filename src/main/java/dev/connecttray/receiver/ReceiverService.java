package dev.connecttray.receiver;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionLoop;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.ProcessControl;
import dev.connecttray.core.Receiver;
import dev.connecttray.core.Scheduler;
import dev.connecttray.receiver.spotify.LibraryRepairs;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.view.StateLog;
import dev.connecttray.view.StateText;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one receiver until it stops or gives up: the {@link ConnectionLoop} driving a
 * {@link LibrespotReceiver}, a log line per state change, and (as the child of a supervisor
 * process) JSON-lines events on stdout and commands from stdin. Its threads, clock and signals come
 * from the composition root ({@link Context}).
 */
public final class ReceiverService {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverService.class);
    /** How often a receiver says it is alive; the parent treats three missed beats as wedged. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    /**
     * The heartbeat interval: {@link #HEARTBEAT_INTERVAL}, or the system property
     * {@code connecttray.heartbeatInterval} (such as "500ms"), which tests use to see a wedged
     * child replaced in seconds. Supervisor and child read the same property from the same environment.
     */
    public static Duration heartbeatInterval() {
        String p = System.getProperty("connecttray.heartbeatInterval");
        if (p == null || p.isBlank()) return HEARTBEAT_INTERVAL;
        try {
            return dev.connecttray.config.Durations.parse(p);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring -Dconnecttray.heartbeatInterval: it {}", e.getMessage());
            return HEARTBEAT_INTERVAL;
        }
    }
    /** How long the session may run without a dealer connection before it counts as degraded. */
    public static final Duration DEALER_GRACE = Duration.ofSeconds(15);

    /**
     * What the receiver runs on, made by the composition root.
     *
     * @param scheduler         the connection loop's own thread: state changes, backoff, heartbeats
     * @param clock             the wall clock, for the times in events and the log
     * @param attempts          runs each connection attempt (which blocks) off the loop's thread
     * @param commandReader     runs the loop that reads commands from stdin until it closes
     * @param pid               this process's id, said in every heartbeat
     * @param heartbeatInterval how often a heartbeat goes out
     * @param process           the stop signals and the halt that ends a stuck process
     */
    public record Context(Scheduler scheduler, Clock clock, Executor attempts, Executor commandReader, long pid,
                          Duration heartbeatInterval, ProcessControl process) {
        public Context {
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(attempts, "attempts");
            Objects.requireNonNull(commandReader, "commandReader");
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            Objects.requireNonNull(process, "process");
        }
    }

    /** The device the receiver runs: a {@link Receiver} that advertises itself on the local network. */
    public interface Device extends Receiver, AutoCloseable {
        /** Starts advertising (zeroconf), when the device does. */
        void start() throws IOException;

        /** Says again on the network that the device is here (after a network change). */
        void reannounce();

        @Override
        void close();
    }

    private final RetrySettings retry;
    private final Device receiver;
    private final String deviceName;
    private final PrintStream events;
    private final InputStream commands;
    private final boolean supervised;
    private final int attemptsUsed;
    private final Context context;
    private final Clock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<ExitStatus> exitStatus = new AtomicReference<>();
    private final AtomicReference<String> lastLine = new AtomicReference<>();
    /** The supervisor sent {@code stop}: the only reason a supervised receiver may exit 0. */
    private final AtomicBoolean stopAsked = new AtomicBoolean();

    /**
     * @param events       where JSON-lines events go, or null for none (headless: logs only)
     * @param commands     where commands come from, or null for none
     * @param supervised   the child of a supervisor: stop when stdin closes (the supervisor is gone),
     *                     exit 0 only when the supervisor sent {@code stop}, and leave the state lines in
     *                     the log to the parent
     * @param attemptsUsed how much of the first round's budget the parent says is spent
     */
    public ReceiverService(RetrySettings retry, Device receiver, String deviceName, PrintStream events,
                        InputStream commands, boolean supervised, int attemptsUsed, Context context) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.events = events;
        this.commands = commands;
        this.supervised = supervised;
        this.attemptsUsed = attemptsUsed;
        this.context = Objects.requireNonNull(context, "context");
        this.clock = context.clock();
    }

    /** Runs until the connection loop finishes; returns the status the process should exit with. */
    public ExitStatus run() throws InterruptedException {
        Optional<ExitStatus> early = start();
        return early.isPresent() ? early.get() : awaitExit();
    }

    /**
     * Starts advertising, the heartbeats, the command reader and the connection loop; empty when
     * they run ({@link #awaitExit} then waits for the end), else the status of a start that failed.
     */
    Optional<ExitStatus> start() {
        boolean started = false;
        try {
            ConnectionLoop loop = new ConnectionLoop(retry, receiver, deviceName,
                    context.scheduler(), clock, context.attempts(), this::stateChanged,
                    status -> {
                        exitStatus.compareAndSet(null, status);
                        finished.countDown();
                    });

            context.process().onTerminate(signal -> {
                LOG.info("Received SIG{}; shutting down", signal);
                // Signals halts a hung shutdown with 0 after 5 s; a supervised receiver not told to stop
                // must not end with 0 (see run), so it halts sooner with 75.
                if (supervised && !stopAsked.get()) {
                    context.process().armHalt(ExitStatus.TEMPFAIL, Duration.ofSeconds(4));
                }
                loop.stop();
            });

            List<String> notRepaired = LibraryRepairs.notRepaired();
            if (!notRepaired.isEmpty()) {
                // Without our replacements the library cannot log in to today's Spotify: say so, once, as a bug.
                Failure f = Failure.internal("This build is broken: librespot-java's own classes were loaded where "
                        + "Connect Tray's repairs belong, so no login to today's Spotify can work: " + notRepaired,
                        "class path order");
                LOG.error("{}", f.message());
                stateChanged(new ConnectionState.Failed(f, ExitStatus.SOFTWARE));
                return Optional.of(ExitStatus.SOFTWARE);
            }
            try {
                receiver.start();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Zeroconf failed to start", e);
                Failure f = Failure.transientFailure("Could not advertise the device on the local network: "
                        + e.getMessage(), e.getClass().getName());
                stateChanged(new ConnectionState.Failed(f, ExitStatus.TEMPFAIL));
                return Optional.of(ExitStatus.TEMPFAIL);
            }
            if (events != null) scheduleHeartbeat(context.scheduler());
            if (commands != null) readCommands(loop);
            loop.start(attemptsUsed);
            started = true;
            return Optional.empty();
        } finally {
            if (!started) receiver.close();
        }
    }

    /** Waits until the connection loop finishes, closes the device; returns the exit status. */
    ExitStatus awaitExit() throws InterruptedException {
        try {
            finished.await();
        } finally {
            receiver.close();
        }
        ExitStatus status = exitStatus.get();
        if (supervised && status == ExitStatus.OK && !stopAsked.get()) {
            // The supervisor takes 0 for "stopped as asked" and ends the service with it; a receiver that
            // stops for any other reason (a signal, its stdin closed) must not say that.
            LOG.warn("Stopped without a stop command from the supervisor; exiting with status {} instead of 0",
                    ExitStatus.TEMPFAIL.code());
            return ExitStatus.TEMPFAIL;
        }
        return status;
    }

    private void stateChanged(ConnectionState state) {
        String line = StateText.describe(state, clock.instant());
        if (!line.equals(lastLine.getAndSet(line))) {
            if (supervised) {
                // The parent logs every state it is told; once is enough.
                LOG.debug("{}", line);
            } else {
                StateLog.log(LOG, state, clock.instant(), java.time.ZoneId.systemDefault());
            }
        }
        emit(new Event.StateChanged(clock.instant(), state));
    }

    private void emit(Event event) {
        if (events == null) return;
        synchronized (events) {
            events.println(JsonLines.encode(event));
            events.flush();
        }
    }

    private void scheduleHeartbeat(Scheduler scheduler) {
        long pid = context.pid();
        Duration interval = context.heartbeatInterval();
        // On the connection loop's own thread: if it wedges, the heartbeats stop too.
        scheduler.every(interval, () -> {
            if (finished.getCount() == 0) return;
            emit(new Event.Heartbeat(clock.instant(), pid));
        });
    }

    private void parentGone(ConnectionLoop loop, String why) {
        if (finished.getCount() == 0) return;
        LOG.warn("The supervisor is gone ({}); stopping", why);
        // A wedged library must not keep this process (and the device) alive. Not 0: nobody asked.
        context.process().armHalt(ExitStatus.TEMPFAIL, Duration.ofSeconds(3));
        loop.stop();
    }

    private void readCommands(ConnectionLoop loop) {
        context.commandReader().execute(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(commands, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) continue;
                    try {
                        Command c = JsonLines.decodeCommand(line);
                        LOG.info("Command received: {}", c.wireName());
                        switch (c) {
                            case RECONNECT -> loop.reconnectNow();
                            case STOP -> {
                                stopAsked.set(true);
                                loop.stop();
                            }
                            case NETWORK_CHANGED -> receiver.reannounce();
                        }
                    } catch (JsonLines.MalformedMessageException e) {
                        LOG.warn("Ignoring a malformed command on stdin: {}", e.getMessage());
                    }
                }
                if (supervised) {
                    // The one sign that the supervisor is gone: its end of our stdin closed (even a
                    // SIGKILL closes it). Asking /proc for our parent is no such sign: at the file
                    // descriptor limit that read fails, and the receiver would stop under a live supervisor.
                    parentGone(loop, "stdin closed");
                } else {
                    LOG.debug("stdin closed; no more commands will be read");
                }
            } catch (IOException e) {
                LOG.debug("Reading commands failed", e);
            }
        });
    }
}
