package dev.connecttray.supervisor;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import dev.connecttray.core.DurationText;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.RetryRound;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.core.Scheduler;
import dev.connecttray.ipc.Command;
import dev.connecttray.ipc.Event;
import dev.connecttray.view.Actions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one receiver child process alive and honest: forwards its states, kills it when its
 * heartbeat stops, decides from its exit status whether to restart it (with the same backoff and
 * budget as connection attempts) or fail, and shuts it down on quit. Only a child that was told to
 * stop ends the supervision; any other exit, 0 included, is a failure to recover from. Knows
 * nothing of librespot: only a child that speaks the JSON-lines events.
 *
 * <p>Silence is measured on a monotonic clock (a step of the wall clock neither blinds the watchdog
 * nor fires it), and a pause of the supervisor itself (SIGSTOP, a suspended laptop) is not taken
 * for the child's: after one, the child gets one heartbeat interval to be heard before it is judged.
 *
 * <p>All state lives on the {@link Scheduler}'s thread; the public methods may be called from any thread.
 */
public final class ReceiverProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverProcess.class);
    /** Three missed heartbeats mean the child is wedged. */
    static final int MISSED_HEARTBEATS = 3;
    /** How long a wedged child gets to end after SIGTERM before it is killed. */
    static final Duration WEDGED_KILL_GRACE = Duration.ofSeconds(3);
    /** How long a child gets to stop after the stop command on quit before it is killed. */
    public static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    /** This many crashes (exit 70) within {@link #CRASH_WINDOW} is a crash loop: give up. */
    static final int CRASH_LIMIT = 3;
    static final Duration CRASH_WINDOW = Duration.ofMinutes(10);
    /** The watchdog looks at least this often; a look that comes much later means the supervisor was paused. */
    static final Duration MAX_CHECK_PERIOD = Duration.ofSeconds(1);
    /** At most one "not an event" warning per this time; the lines skipped meanwhile are counted. */
    static final Duration MALFORMED_WARNING_PERIOD = Duration.ofSeconds(1);

    private final RetrySettings retry;
    private final Engine engine;
    /** What the log and the messages call the child: "the receiver", "Spotify Soloist". */
    private final String noun;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Duration heartbeatInterval;
    private final long checkPeriod;
    private final Consumer<ConnectionState> stateListener;
    private final Consumer<ExitStatus> onFinished;
    private final boolean finishOnFailure;

    // Everything below is touched only on the scheduler's thread.
    private ConnectionState state = new Starting();
    private volatile ConnectionState published = state;
    /** The current run, or null between runs. */
    private ChildRun run;
    /** Bumped for every run, so a late report from an earlier one is ignored. */
    private long generation;
    private Scheduler.Cancellable watchdog;
    private Scheduler.Cancellable killTimer;
    private Scheduler.Cancellable pendingStart;
    /** The round of restarts: the budget spent by ended children and by the current one's earlier attempts. */
    private final RetryRound round;
    /** A run that said it ends with 75 and was replaced at once, until its exit is seen. */
    private ChildRun leaving;
    /** When the recent crashes happened, on {@link #nanoTime}. */
    private final Deque<Long> crashes = new ArrayDeque<>();
    /** The "not an event" warnings: when the last was logged, and the lines skipped since. */
    private long malformedLoggedAt;
    private boolean malformedLogged;
    private int malformedSkipped;
    private String malformedLastSkipped;
    private Scheduler.Cancellable malformedSummary;
    private boolean quitting;
    private ExitStatus quitStatus = ExitStatus.OK;
    private boolean finished;

    /**
     * @param finishOnFailure end (call {@code onFinished}) on {@link Failed}, as headless does; the
     *                        tray instead stays in Failed so the user can reconnect or quit
     */
    public ReceiverProcess(RetrySettings retry, Engine engine, Scheduler scheduler, Clock clock,
                           Duration heartbeatInterval, Consumer<ConnectionState> stateListener,
                           Consumer<ExitStatus> onFinished, boolean finishOnFailure) {
        this(retry, engine, scheduler, clock, System::nanoTime, heartbeatInterval, stateListener, onFinished,
                finishOnFailure);
    }

    /**
     * @param clock    the wall clock, for the times shown (next attempt at, cooldown until)
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime}), for every duration
     *                 measured: heartbeat silence, an attempt's age, the crash window
     */
    public ReceiverProcess(RetrySettings retry, Engine engine, Scheduler scheduler, Clock clock,
                           LongSupplier nanoTime, Duration heartbeatInterval, Consumer<ConnectionState> stateListener,
                           Consumer<ExitStatus> onFinished, boolean finishOnFailure) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.round = new RetryRound(retry);
        this.engine = Objects.requireNonNull(engine, "engine");
        this.noun = engine.kind() == dev.connecttray.config.EngineKind.EMBEDDED ? "receiver"
                : engine.kind().displayName();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        this.stateListener = Objects.requireNonNull(stateListener, "stateListener");
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
        this.finishOnFailure = finishOnFailure;
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive");
        }
        this.checkPeriod = (heartbeatInterval.compareTo(MAX_CHECK_PERIOD) < 0 ? heartbeatInterval : MAX_CHECK_PERIOD)
                .toNanos();
    }

    /** The state as last published; safe from any thread. */
    public ConnectionState state() {
        return published;
    }

    /** Starts the first child. */
    public void start() {
        scheduler.execute(() -> {
            publish(state);
            launch();
        });
    }

    /**
     * Reconnect now: a live child is told to reconnect (with a fresh budget); with no child (waiting
     * to restart, cooling down, failed) a fresh child starts at once with a fresh budget.
     */
    public void reconnectNow() {
        scheduler.execute(this::reconnect);
    }

    private void reconnect() {
        if (quitting || finished) return;
        round.reset();
        crashes.clear();
        if (run != null && !run.isEnding() && engine.reconnectsInPlace()) {
            LOG.info("Reconnecting now, as requested (backoff reset)");
            run.child.send(Command.RECONNECT);
            return;
        }
        if (run != null && !run.isEnding()) {
            LOG.info("Reconnecting now, as requested: restarting {} (pid {}) with the backoff reset", noun(),
                    run.pid());
            run.endingBecause = Failure.transientFailure("Reconnecting now, as requested", "reconnect");
            run.relaunchAtOnce = true;
            endRun(run, "did not end within");
            return;
        }
        if (run != null) return; // being replaced already; its successor starts with a fresh budget
        LOG.info("Starting {} afresh now, as requested (backoff reset)", noun());
        cancel(pendingStart);
        pendingStart = null;
        launch();
    }

    /**
     * The network changed or the machine woke up: while waiting to retry, retry now with a fresh
     * budget; when connected after a sleep, reconnect, since the old session is most likely dead.
     */
    public void worldChanged(String what, boolean alsoWhenConnected) {
        scheduler.execute(() -> {
            if (quitting || finished) return;
            boolean waiting = state instanceof Retrying || state instanceof Cooldown;
            boolean connected = state instanceof Connected || state instanceof Degraded;
            if (waiting || (alsoWhenConnected && connected)) {
                LOG.info("{}: {}", what, waiting ? "retrying now instead of waiting" : "checking the connection now");
                reconnect();
            }
        });
    }

    /**
     * The network addresses changed (not gone): a live child announces the device again, so phones
     * on the new network see it; then as {@link #worldChanged}.
     */
    public void networkChanged() {
        scheduler.execute(() -> {
            if (quitting || finished || run == null) return;
            run.child.send(Command.NETWORK_CHANGED);
        });
        worldChanged("The network changed", false);
    }

    /**
     * Quit (the user, SIGTERM, SIGINT): stops the child (killed if it has not ended within
     * {@link #QUIT_GRACE}), then finishes with 0, or with the failure's status when quitting from
     * {@link Failed}.
     */
    public void quit() {
        scheduler.execute(() -> {
            if (quitting || finished) return;
            quitting = true;
            quitStatus = Actions.quitStatus(state);
            cancel(pendingStart);
            pendingStart = null;
            if (run == null) {
                publish(new Stopped());
                finish(quitStatus);
                return;
            }
            LOG.info("Stopping {}{}", noun(), pidText(run.pid()));
            run.child.send(Command.STOP);
            cancel(killTimer);
            ChildRun stopping = run;
            killTimer = scheduler.schedule(QUIT_GRACE, () -> {
                if (run == stopping) {
                    LOG.warn("{} (pid {}) did not stop within {}; killing it", capitalNoun(), stopping.pid(),
                            DurationText.duration(QUIT_GRACE));
                    stopping.child.kill();
                }
            });
        });
    }

    // --- on the scheduler's thread ---

    private void launch() {
        long gen = ++generation;
        ChildLauncher.Child child;
        try {
            child = engine.start(round.used(), new Reports(gen));
        } catch (EngineUnusable e) {
            LOG.debug("{} cannot start", capitalNoun(), e);
            run = null;
            if (e.status() == ExitStatus.TEMPFAIL) {
                restartLater(null, e.failure());
                return;
            }
            fail(e.failure(), e.status());
            return;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Starting {} failed", noun(), e);
            run = null;
            fail(Failure.internal("Could not start the " + noun + " process: " + e.getMessage(), e.getClass().getName()),
                    ExitStatus.SOFTWARE);
            return;
        }
        run = new ChildRun(gen, child, nanoTime.getAsLong());
        if (!engine.reportsAttempts() && !(state instanceof Starting)) {
            publish(new Connecting(round.used() + 1, retry.maxAttempts()));
        }
        // An engine that prepares first (Soloist may download) has no pid yet, and logs it once it has.
        LOG.info("{} {}{}{}", child.pid() < 0 ? "Starting" : "Started", noun(), pidText(child.pid()),
                round.used() == 0 ? "" : ", " + round.used() + " of " + retry.maxAttempts() + " attempts spent");
        scheduleWatchdog(gen);
    }

    private void scheduleWatchdog(long gen) {
        cancel(watchdog);
        watchdog = scheduler.schedule(Duration.ofNanos(checkPeriod), () -> checkHeartbeat(gen));
    }

    /**
     * Looks every {@link #checkPeriod} (at most a second): a look that comes much later than planned
     * means the supervisor itself did not run (stopped, suspended, starved), and what the child sent
     * meanwhile is still waiting in the pipe; so the verdict waits one heartbeat interval.
     */
    private void checkHeartbeat(long gen) {
        if (run == null || gen != run.generation) return;
        long now = nanoTime.getAsLong();
        long gap = now - run.lastCheck;
        run.lastCheck = now;
        if (gap > checkPeriod + Math.max(checkPeriod, MAX_CHECK_PERIOD.toNanos())) {
            run.judgeNotBefore = now + heartbeatInterval.toNanos();
            LOG.info("The supervisor itself did not run for {}; giving {} (pid {}) {} to be heard "
                            + "before judging it", DurationText.duration(Duration.ofNanos(gap)), noun(), run.pid(),
                    DurationText.duration(heartbeatInterval));
        }
        Duration silent = Duration.ofNanos(now - run.lastHeard);
        Duration limit = heartbeatInterval.multipliedBy(MISSED_HEARTBEATS);
        if (!run.isEnding() && !quitting && silent.compareTo(limit) >= 0 && now - run.judgeNotBefore >= 0) {
            Failure wedged = Failure.transientFailure(capitalNoun() + " stopped responding (nothing from it for "
                    + DurationText.duration(silent) + "); restarting it", "no heartbeat");
            LOG.warn("{} (pid {}) sent nothing for {}: it is wedged; ending it",
                    capitalNoun(), run.pid(), DurationText.duration(silent));
            run.endingBecause = wedged;
            endRun(run, "ignored SIGTERM for");
            return;
        }
        scheduleWatchdog(gen);
    }

    private void onEvent(long gen, Event event) {
        if (run == null || gen != run.generation) return;
        run.lastHeard = nanoTime.getAsLong();
        if (!(event instanceof Event.StateChanged changed)) return;
        ConnectionState s = changed.state();
        if (s instanceof Failed f) {
            // Not published yet: the exit status decides whether this is final or a restart. The state
            // before it stays the child's state, so a timed-out attempt counts as that attempt's failure.
            run.failure = f.cause();
            if (f.exitStatus() == ExitStatus.TEMPFAIL && !quitting && !run.isEnding()) replaceLeavingRun();
            return;
        }
        run.state = s;
        if (s instanceof Connecting) run.attemptStartedAt = nanoTime.getAsLong();
        if (s instanceof Stopped) return; // the exit follows and decides
        if (s instanceof Connected || s instanceof Degraded || s instanceof Cooldown
                || s instanceof WaitingForCredentials) {
            // The child starts a fresh round after any of these, so the budget is full again.
            round.reset();
        }
        if (quitting || run.isEnding()) return; // keep showing what we are doing
        if (s instanceof Starting) return; // we said Starting ourselves; after a restart, Retrying stands until it attempts
        publish(s);
    }

    /** SIGTERM (or the engine's own way to end it), then a kill after {@link #WEDGED_KILL_GRACE}. */
    private void endRun(ChildRun ending, String ignoredWords) {
        ending.child.terminate();
        cancel(killTimer);
        killTimer = scheduler.schedule(WEDGED_KILL_GRACE, () -> {
            if (run == ending) {
                LOG.warn("{} (pid {}) {} {}; killing it", capitalNoun(), ending.pid(), ignoredWords,
                        DurationText.duration(WEDGED_KILL_GRACE));
                ending.child.kill();
            }
        });
    }

    /**
     * The child said it fails with 75 and is about to exit by itself: its successor is decided (and
     * started, when no delay is due) now rather than at the exit, because a JVM with a thread stuck in
     * a socket read (a wedged attempt) takes a good while to end. Its exit is ignored from now on; if
     * it has not ended after {@link #WEDGED_KILL_GRACE}, it is killed.
     */
    private void replaceLeavingRun() {
        ChildRun going = run;
        onExit(going.generation, ExitStatus.TEMPFAIL.code());
        leaving = going;
        scheduler.schedule(WEDGED_KILL_GRACE, () -> {
            if (leaving != going) return;
            LOG.warn("{} (pid {}) said it would end but has not within {}; killing it", capitalNoun(), going.pid(),
                    DurationText.duration(WEDGED_KILL_GRACE));
            going.child.kill();
        });
    }

    /**
     * Logs a line that is not an event, at most once per {@link #MALFORMED_WARNING_PERIOD}: a thread
     * dump or a library's chatter on stdout is hundreds of lines. The ones skipped are counted in one
     * more warning when the period is over.
     */
    private void onMalformed(long gen, String line, String why) {
        if (run == null || gen != run.generation) return;
        String shown = (line.length() <= 200 ? line : line.substring(0, 197) + "...") + " (" + why + ")";
        long now = nanoTime.getAsLong();
        long period = MALFORMED_WARNING_PERIOD.toNanos();
        if (malformedLogged && now - malformedLoggedAt < period) {
            malformedSkipped++;
            malformedLastSkipped = shown;
            if (malformedSummary == null) {
                long pid = run.pid();
                malformedSummary = scheduler.schedule(Duration.ofNanos(period - (now - malformedLoggedAt)),
                        () -> summarizeMalformed(pid));
            }
            return;
        }
        malformedLogged = true;
        malformedLoggedAt = now;
        LOG.warn("Ignoring a line from {} (pid {}) that is not an event: {}", noun(),
                run.pid(), shown);
    }

    private void summarizeMalformed(long pid) {
        malformedSummary = null;
        if (malformedSkipped == 0) return;
        LOG.warn("Ignored {} more line{} from the " + noun + " (pid {}) that {} not events (warnings are limited to "
                        + "one per {}); the last: {}", malformedSkipped, malformedSkipped == 1 ? "" : "s", pid,
                malformedSkipped == 1 ? "is" : "are", DurationText.duration(MALFORMED_WARNING_PERIOD),
                malformedLastSkipped);
        malformedSkipped = 0;
        malformedLastSkipped = null;
        malformedLogged = true;
        malformedLoggedAt = nanoTime.getAsLong();
    }

    private void onExit(long gen, int status) {
        if (leaving != null && gen == leaving.generation) {
            leaving = null; // a run already replaced when it said it would end: gone as it said
            return;
        }
        // A run's exit counts once: a second report of it must not schedule a second restart.
        if (run == null || gen != run.generation) return;
        ChildRun ended = run;
        run = null;
        cancel(watchdog);
        cancel(killTimer);
        watchdog = null;
        killTimer = null;
        long pid = ended.pid();
        if (quitting) {
            LOG.info("{}{} ended with status {}", capitalNoun(), pidText(pid), status);
            publish(new Stopped());
            finish(quitStatus);
            return;
        }
        if (ended.relaunchAtOnce) {
            LOG.info("{}{} is gone (status {}); starting a fresh one now", capitalNoun(), pidText(pid), status);
            round.reset();
            launch();
            return;
        }
        if (ended.isEnding()) {
            LOG.info("The wedged {} (pid {}) is gone (status {})", noun, pid, status);
            restartLater(ended, ended.endingBecause);
            return;
        }
        decide(ended, engine.classifyExit(ended.ended(status)));
    }

    /** The exit policy: from what the engine's exit means to what happens next. */
    private void decide(ChildRun ended, ExitVerdict verdict) {
        long pid = ended.pid();
        if (verdict instanceof ExitVerdict.GiveUp g) {
            fail(g.cause(), g.status());
        } else if (verdict instanceof ExitVerdict.Restart r) {
            LOG.warn("{}{} ended: {}", capitalNoun(), pidText(pid), r.cause());
            restartLater(ended, r.cause());
        } else if (verdict instanceof ExitVerdict.Crashed c) {
            long now = nanoTime.getAsLong();
            crashes.addLast(now);
            while (!crashes.isEmpty() && now - crashes.peekFirst() > CRASH_WINDOW.toNanos()) {
                crashes.removeFirst();
            }
            String why = c.cause().message();
            String detail = c.cause().detail();
            if (crashes.size() >= CRASH_LIMIT) {
                fail(Failure.internal(capitalNoun() + " crashed " + crashes.size() + " times within "
                        + DurationText.duration(CRASH_WINDOW) + "; the last time: " + why, detail), ExitStatus.SOFTWARE);
                return;
            }
            LOG.warn("{}{} crashed: {}", capitalNoun(), pidText(pid), c.cause());
            restartLater(ended, Failure.transientFailure(capitalNoun() + " crashed (" + why + "); restarting it",
                    detail));
        } else {
            throw new IllegalStateException("unknown verdict " + verdict);
        }
    }

    /** " (pid 123)", or nothing for a run that has no process yet. */
    private static String pidText(long pid) {
        return pid < 0 ? "" : " (pid " + pid + ")";
    }

    /** "the receiver", or the engine's name. */
    private String noun() {
        return noun.equals("receiver") ? "the receiver" : noun;
    }

    /** "The receiver", or the engine's name. */
    private String capitalNoun() {
        return noun.equals("receiver") ? "The receiver" : noun;
    }

    /** @param ended the run that ended, or null when none could start */
    private void restartLater(ChildRun ended, Failure cause) {
        // A failure during an attempt is that attempt's failure; between attempts it costs one more.
        int used = ended == null ? round.used() + 1
                : ended.state instanceof Connecting c ? c.attempt() : Math.max(round.used(), ended.attemptsMade()) + 1;
        RetryRound.Next next = round.failedAt(used, cause);
        if (next instanceof RetryRound.Next.GiveUp g) {
            // What failed each time is the engine's run (it crashed, went silent, could not start, or lost
            // Spotify): say so, and not that it is being restarted.
            String last = dev.connecttray.view.StateText.lowerFirst(g.cause().message().replaceFirst("; restarting it$", ""));
            fail(new Failure(g.cause().kind(), capitalNoun() + " failed " + g.attempts() + " times in a row; the last "
                    + "time: " + last, g.cause().detail()), ExitStatus.UNAVAILABLE);
            return;
        }
        if (next instanceof RetryRound.Next.Cooldown c) {
            publish(new Cooldown(clock.instant().plus(c.cooldown()), cause));
            pendingStart = scheduler.schedule(c.cooldown(), () -> {
                pendingStart = null;
                round.reset();
                launch();
            });
            return;
        }
        RetryRound.Next.Wait wait = (RetryRound.Next.Wait) next;
        Duration d = wait.delay();
        if (ended != null && ended.state instanceof Connecting && ended.attemptStartedAt != null) {
            // An attempt that hung until its timeout (or died late) has already waited: the backoff counts
            // from the attempt's start, so a wedged library costs attemptTimeout plus a restart, not more.
            d = d.minus(Duration.ofNanos(nanoTime.getAsLong() - ended.attemptStartedAt));
            if (d.isNegative()) d = Duration.ZERO;
        }
        publish(new Retrying(wait.attempt(), retry.maxAttempts(), clock.instant().plus(d), cause));
        if (d.isZero()) {
            launch();
            return;
        }
        pendingStart = scheduler.schedule(d, () -> {
            pendingStart = null;
            launch();
        });
    }

    private void fail(Failure cause, ExitStatus status) {
        publish(new Failed(cause, status));
        if (finishOnFailure) finish(status);
    }

    private void finish(ExitStatus status) {
        if (finished) return;
        finished = true;
        cancel(pendingStart);
        cancel(watchdog);
        onFinished.accept(status);
    }

    private void publish(ConnectionState next) {
        state = next;
        published = next;
        stateListener.accept(next);
    }

    private static void cancel(Scheduler.Cancellable c) {
        if (c != null) c.cancel();
    }

    static String describeStatus(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = switch (signal) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + signal;
            };
            return "killed by " + name;
        }
        return "status " + status;
    }

    /** Hands a child's reports to the scheduler's thread, tagged with the child they came from. */
    private final class Reports implements ChildLauncher.Listener {
        private final long gen;

        Reports(long gen) {
            this.gen = gen;
        }

        @Override
        public void event(Event event) {
            scheduler.execute(() -> onEvent(gen, event));
        }

        @Override
        public void malformedLine(String line, String why) {
            scheduler.execute(() -> onMalformed(gen, line, why));
        }

        @Override
        public void exited(int status) {
            scheduler.execute(() -> onExit(gen, status));
        }
    }
}
