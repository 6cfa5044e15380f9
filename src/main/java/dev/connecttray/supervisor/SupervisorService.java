package dev.connecttray.supervisor;

import dev.connecttray.core.DurationText;
import dev.connecttray.core.StateChange;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.ProcessControl;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.core.Scheduler;
import dev.connecttray.view.StateLog;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor process, headless: a {@link ReceiverProcess} with its history, systemd
 * notifications, and the network and sleep watchers that make it retry sooner; a log line per
 * state change. Runs until the receiver is done or the process is told to stop. Its thread, clocks,
 * watchers and signals come from the composition root ({@link Context}).
 */
public final class SupervisorService implements Supervision {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorService.class);

    private final RetrySettings retry;
    private final Engine engine;
    private final StateHistory history;
    private final SdNotify sdNotify;
    private final Duration heartbeatInterval;
    private final boolean finishOnFailure;
    private final Context context;
    private final Clock clock;
    private final ZoneId zone;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<ExitStatus> exitStatus = new AtomicReference<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private volatile Consumer<ConnectionState> observer = s -> { };
    private volatile ReceiverProcess process;
    /** Where {@code connect-tray status} reads the engine, if anywhere. */
    private volatile StatusNote statusNote;
    /** How often the note is checked against the engine's description between state changes (its days left). */
    static final Duration NOTE_REFRESH = Duration.ofHours(1);
    /** The network and sleep watchers while {@link #run} runs. */
    private AutoCloseable watching;

    /**
     * What the supervisor runs on, made by the composition root.
     *
     * @param scheduler the supervisor's own thread: every state change, the watchdog pings
     * @param clock     the wall clock, for the times in the log, the history and the status
     * @param nanoTime  a monotonic clock in nanoseconds, for every duration measured
     * @param zone      the zone the log's times are in
     * @param watchers  the network and sleep watchers that make the receiver retry sooner
     * @param process   the stop signals and the halt that ends a stuck process
     */
    public record Context(Scheduler scheduler, Clock clock, LongSupplier nanoTime, ZoneId zone,
                          WorldWatchers watchers, ProcessControl process) {
        public Context {
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(nanoTime, "nanoTime");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(watchers, "watchers");
            Objects.requireNonNull(process, "process");
        }
    }

    /** Watches the world (the network, the machine's sleep) while the supervisor runs. */
    public interface WorldWatchers {
        /** Starts watching, telling {@code changes}; closing the result stops it. */
        AutoCloseable start(WorldChanges changes);
    }

    /** What the watchers tell the supervisor; called on their own thread. */
    public interface WorldChanges {
        /** The network went away ({@code true}) or came back ({@code false}). */
        void networkChanged(boolean offline);

        /** The machine woke up after sleeping for about {@code slept}. */
        void wokeUp(Duration slept);
    }

    public SupervisorService(RetrySettings retry, Engine engine, StateHistory history, SdNotify sdNotify,
                          Duration heartbeatInterval, boolean finishOnFailure, Context context) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.history = Objects.requireNonNull(history, "history");
        this.sdNotify = Objects.requireNonNull(sdNotify, "sdNotify");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.finishOnFailure = finishOnFailure;
        this.context = Objects.requireNonNull(context, "context");
        this.clock = context.clock();
        this.zone = context.zone();
    }

    /** Keeps {@code note} up to date with the engine's description while {@link #run} runs, and removes it after. */
    public void keepStatusNote(StatusNote note) {
        this.statusNote = Objects.requireNonNull(note, "note");
    }

    /** Runs until the receiver is finished with; returns the status the process should exit with. */
    @Override
    public ExitStatus run() throws InterruptedException {
        start();
        return awaitExit();
    }

    /** Starts the receiver, the watchers and the pings; {@link #awaitExit} then waits for the end. */
    void start() {
        try {
            Scheduler scheduler = context.scheduler();
            ReceiverProcess process = new ReceiverProcess(retry, engine, scheduler, clock, context.nanoTime(),
                    heartbeatInterval, this::stateChanged, status -> {
                        exitStatus.compareAndSet(null, status);
                        finished.countDown();
                    }, finishOnFailure);
            this.process = process;

            // The child gets QUIT_GRACE to stop before it is killed; only then may the JVM be halted.
            context.process().haltAfterSignal(ReceiverProcess.QUIT_GRACE.plusSeconds(3));

            // Offline, a session that looks connected is not: check it now (it fails fast, then
            // backs off); back online, any pending backoff wait ends at once.
            watching = context.watchers().start(new WorldChanges() {
                @Override
                public void networkChanged(boolean offline) {
                    if (offline) process.worldChanged("The network is gone", true);
                    else process.networkChanged();
                }

                @Override
                public void wokeUp(Duration slept) {
                    process.worldChanged("The machine woke up after about "
                            + DurationText.duration(clock.instant().minus(slept), clock.instant()), true);
                }
            });
            sdNotify.watchdogInterval().ifPresent(every -> keepWatchdogFed(scheduler, every));
            keepNoteFresh(scheduler);
            process.start();
            // After start, so a signal that came during start-up (handed over at once) stops a
            // started process: quit runs after start, and Stopped is the last state in the history.
            context.process().onTerminate(signal -> {
                LOG.info("Received SIG{}; shutting down", signal);
                sdNotify.stopping();
                process.quit();
            });
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
    }

    /** Waits until the receiver is finished with, then lets go of everything; returns the exit status. */
    ExitStatus awaitExit() throws InterruptedException {
        try {
            finished.await();
            closeWatchers();
            sdNotify.stopping();
            return exitStatus.get();
        } finally {
            release();
        }
    }

    private void closeWatchers() {
        AutoCloseable w = watching;
        watching = null;
        if (w == null) return;
        try {
            w.close();
        } catch (Exception e) {
            LOG.debug("Stopping the network and sleep watchers failed: {}", e.toString());
        }
    }

    private void release() {
        closeWatchers();
        StatusNote note = statusNote;
        if (note != null) note.remove();
        history.close();
        sdNotify.close();
    }

    /** Reconnect now (the tray's menu, the status window); ignored until {@link #run} has begun. */
    @Override
    public void reconnectNow() {
        ReceiverProcess p = process;
        if (p != null) p.reconnectNow();
    }

    /** Quit: stops the receiver; {@link #run} then returns the status quitting gives. */
    @Override
    public void quit() {
        ReceiverProcess p = process;
        if (p != null) {
            p.quit();
        } else {
            exitStatus.compareAndSet(null, ExitStatus.OK);
            finished.countDown();
        }
    }

    /** The engine this supervisor runs, for what the tray and the window say about it. */
    @Override
    public Engine engine() {
        return engine;
    }

    /** The state changes so far, oldest first, for the status window. */
    @Override
    public java.util.List<StateChange> history() {
        return history.entries();
    }

    /** Lets a caller (the tray) see every state as it is published. */
    @Override
    public void observe(Consumer<ConnectionState> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    private void stateChanged(ConnectionState state) {
        StateLog.log(LOG, state, clock.instant(), zone);
        history.record(clock.instant(), state);
        noteEngine();
        sdNotify.status(StateLog.changeText(state, clock.instant()));
        if (!(state instanceof ConnectionState.Starting) && ready.compareAndSet(false, true)) sdNotify.ready();
        observer.accept(state);
    }

    /** The engine's description into the status note, when there is one. */
    private void noteEngine() {
        StatusNote note = statusNote;
        if (note == null) return;
        try {
            note.engine(engine.describe());
        } catch (RuntimeException e) {
            LOG.debug("Could not note the engine's description: {}", e.toString());
        }
    }

    /** Between state changes the description changes too (days left): checked every {@link #NOTE_REFRESH}. */
    private void keepNoteFresh(Scheduler scheduler) {
        if (statusNote == null) return;
        scheduler.every(NOTE_REFRESH, () -> {
            if (finished.getCount() == 0) return;
            noteEngine();
        });
    }

    /**
     * Pings systemd's watchdog from the supervisor's own thread: if that thread wedges, the pings
     * stop and systemd restarts the service, which is what the watchdog is for.
     */
    private void keepWatchdogFed(Scheduler scheduler, Duration every) {
        LOG.debug("Pinging the systemd watchdog every {}", DurationText.duration(every));
        scheduler.every(every, () -> {
            if (finished.getCount() == 0) return;
            sdNotify.watchdog();
        });
    }
}
