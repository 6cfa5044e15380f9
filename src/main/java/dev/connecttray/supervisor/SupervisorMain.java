package dev.connecttray.supervisor;

import dev.connecttray.core.DurationText;
import dev.connecttray.core.StateChange;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.view.StateLog;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor process, headless: a {@link ReceiverProcess} with its history, systemd
 * notifications, and the network and sleep watchers that make it retry sooner; a log line per
 * state change. Runs until the receiver is done or the process is told to stop.
 */
public final class SupervisorMain {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisorMain.class);

    private final RetrySettings retry;
    private final Engine engine;
    private final StateHistory history;
    private final SdNotify sdNotify;
    private final Duration heartbeatInterval;
    private final boolean finishOnFailure;
    private final Clock clock = Clock.systemUTC();
    private final ZoneId zone = ZoneId.systemDefault();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<ExitStatus> exitStatus = new AtomicReference<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private volatile Consumer<ConnectionState> observer = s -> { };
    private volatile ReceiverProcess process;
    /** Where {@code connect-tray status} reads the engine, if anywhere. */
    private volatile StatusNote statusNote;
    /** How often the note is checked against the engine's description between state changes (its days left). */
    static final Duration NOTE_REFRESH = Duration.ofHours(1);

    public SupervisorMain(RetrySettings retry, Engine engine, StateHistory history, SdNotify sdNotify,
                          Duration heartbeatInterval, boolean finishOnFailure) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.history = Objects.requireNonNull(history, "history");
        this.sdNotify = Objects.requireNonNull(sdNotify, "sdNotify");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.finishOnFailure = finishOnFailure;
    }

    /** Keeps {@code note} up to date with the engine's description while {@link #run} runs, and removes it after. */
    public void keepStatusNote(StatusNote note) {
        this.statusNote = Objects.requireNonNull(note, "note");
    }

    /** Runs until the receiver is finished with; returns the status the process should exit with. */
    public ExitStatus run() throws InterruptedException {
        try (ExecutorScheduler scheduler = new ExecutorScheduler("supervisor");
             ExecutorScheduler watchers = new ExecutorScheduler("world-watchers")) {
            ReceiverProcess process = new ReceiverProcess(retry, engine, scheduler, clock, heartbeatInterval,
                    this::stateChanged, status -> {
                        exitStatus.compareAndSet(null, status);
                        finished.countDown();
                    }, finishOnFailure);
            this.process = process;

            // The child gets QUIT_GRACE to stop before it is killed; only then may the JVM be halted.
            dev.connecttray.Signals.haltAfter(ReceiverProcess.QUIT_GRACE.plusSeconds(3));

            // Both watchers poll on their own thread, so a busy supervisor never delays them (nor they it).
            // Offline, a session that looks connected is not: check it now (it fails fast, then
            // backs off); back online, any pending backoff wait ends at once.
            NetworkWatcher network = NetworkWatcher.forThisMachine(watchers, offline -> {
                if (offline) process.worldChanged("The network is gone", true);
                else process.networkChanged();
            });
            ResumeWatcher resume = new ResumeWatcher(watchers, Clock.systemUTC(), System::nanoTime,
                    ResumeWatcher.DEFAULT_POLL_INTERVAL, ResumeWatcher.DEFAULT_THRESHOLD,
                    slept -> process.worldChanged("The machine woke up after about "
                            + DurationText.duration(clock.instant().minus(slept), clock.instant()), true));
            try (network; resume) {
                network.start();
                resume.start();
                sdNotify.watchdogInterval().ifPresent(every -> keepWatchdogFed(scheduler, every));
                keepNoteFresh(scheduler);
                process.start();
                // After start, so a signal that came during start-up (handed over at once) stops a
                // started process: quit runs after start, and Stopped is the last state in the history.
                dev.connecttray.Signals.onTerminate(signal -> {
                    LOG.info("Received SIG{}; shutting down", signal);
                    sdNotify.stopping();
                    process.quit();
                });
                finished.await();
            }
            sdNotify.stopping();
            return exitStatus.get();
        } finally {
            StatusNote note = statusNote;
            if (note != null) note.remove();
            history.close();
            sdNotify.close();
        }
    }

    /** Reconnect now (the tray's menu, the status window); ignored until {@link #run} has begun. */
    public void reconnectNow() {
        ReceiverProcess p = process;
        if (p != null) p.reconnectNow();
    }

    /** Quit: stops the receiver; {@link #run} then returns the status quitting gives. */
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
    public Engine engine() {
        return engine;
    }

    /** The state changes so far, oldest first, for the status window. */
    public java.util.List<StateChange> history() {
        return history.entries();
    }

    /** Lets a caller (the tray) see every state as it is published. */
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
    private void keepNoteFresh(ExecutorScheduler scheduler) {
        if (statusNote == null) return;
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (finished.getCount() == 0) return;
            noteEngine();
            scheduler.schedule(NOTE_REFRESH, check[0]);
        };
        scheduler.execute(check[0]);
    }

    /**
     * Pings systemd's watchdog from the supervisor's own thread: if that thread wedges, the pings
     * stop and systemd restarts the service, which is what the watchdog is for.
     */
    private void keepWatchdogFed(ExecutorScheduler scheduler, Duration every) {
        LOG.debug("Pinging the systemd watchdog every {}", DurationText.duration(every));
        Runnable[] ping = new Runnable[1];
        ping[0] = () -> {
            if (finished.getCount() == 0) return;
            sdNotify.watchdog();
            scheduler.schedule(every, ping[0]);
        };
        scheduler.execute(ping[0]);
    }
}
