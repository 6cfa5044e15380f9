package dev.connecttray.core;

import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Starting;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link Receiver} connected: attempts with exponential backoff and jitter ({@link Backoff}),
 * a retry budget per round, a cooldown or an exit when a round is used up, an attempt timeout that
 * treats an overrun as a wedged library, and an immediate stop on a permanent failure.
 *
 * <p>All state lives on the {@link Scheduler}'s thread; attempts run on {@code attemptExecutor}
 * because the library may block in them for as long as it likes.
 */
public final class ConnectionLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLoop.class);
    /**
     * A session that held this long before it dropped was fine: the drop is one event, not a series
     * of failures, so the first attempt after it goes at once (librespot's own player waits 10 s).
     * A session that drops sooner waits the initial delay first, so a server that accepts and drops
     * again and again is not hammered.
     */
    static final Duration HELD_SESSION = Duration.ofSeconds(5);

    private final RetrySettings settings;
    private final Receiver receiver;
    private final String deviceName;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Executor attemptExecutor;
    private final Consumer<ConnectionState> stateListener;
    private final Consumer<ExitStatus> onFinished;

    // Everything below is touched only on the scheduler's thread.
    private ConnectionState state = new Starting();
    private final RetryRound round;
    private Scheduler.Cancellable pendingTask;
    private Scheduler.Cancellable attemptTimer;
    /** Bumped for every attempt, so a late answer from an abandoned attempt is ignored. */
    private long attemptGeneration;
    private boolean attemptInFlight;
    private boolean finished;
    private volatile ConnectionState published = state;

    public ConnectionLoop(RetrySettings settings, Receiver receiver, String deviceName, Scheduler scheduler,
                                Clock clock, Executor attemptExecutor, Consumer<ConnectionState> stateListener,
                                Consumer<ExitStatus> onFinished) {
        this(settings, receiver, deviceName, scheduler, clock, attemptExecutor, stateListener, onFinished,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitterDraws the random numbers in [0, 1) that {@link Backoff} jitters the waits with */
    ConnectionLoop(RetrySettings settings, Receiver receiver, String deviceName, Scheduler scheduler,
                         Clock clock, Executor attemptExecutor, Consumer<ConnectionState> stateListener,
                         Consumer<ExitStatus> onFinished, DoubleSupplier jitterDraws) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.attemptExecutor = Objects.requireNonNull(attemptExecutor, "attemptExecutor");
        this.stateListener = Objects.requireNonNull(stateListener, "stateListener");
        this.onFinished = Objects.requireNonNull(onFinished, "onFinished");
        this.round = new RetryRound(settings, jitterDraws);
        receiver.setListener(new ReceiverEvents());
    }

    /** The state as last published; safe from any thread. */
    public ConnectionState state() {
        return published;
    }

    /** Starts connecting, or waits for credentials when there are none yet. */
    public void start() {
        start(0);
    }

    /**
     * Starts connecting with {@code attemptsAlreadyUsed} of the first round's budget spent: a
     * receiver restarted by its parent process carries on the round (attempt numbers, backoff,
     * budget) instead of getting a fresh one, so a crash loop cannot retry forever.
     */
    public void start(int attemptsAlreadyUsed) {
        if (attemptsAlreadyUsed < 0 || attemptsAlreadyUsed >= settings.maxAttempts()) {
            throw new IllegalArgumentException("attemptsAlreadyUsed must be from 0 to " + (settings.maxAttempts() - 1)
                    + ", was " + attemptsAlreadyUsed);
        }
        scheduler.execute(() -> {
            publish(state);
            if (receiver.hasCredentials()) {
                beginRound(Duration.ZERO, null, attemptsAlreadyUsed);
            } else {
                publish(new WaitingForCredentials(deviceName));
            }
        });
    }

    /** Attempts at once with a fresh budget (the user asked, or the network came back). */
    public void reconnectNow() {
        scheduler.execute(() -> {
            if (finished) return;
            if (attemptInFlight) {
                LOG.info("Reconnect requested while attempt {} is under way; letting it finish", attemptCount());
                return;
            }
            if (!receiver.hasCredentials()) {
                LOG.info("Reconnect requested, but no Spotify app has picked this device yet");
                return;
            }
            LOG.info("Reconnecting now, as requested (backoff reset)");
            cancelPending();
            if (state instanceof Connected || state instanceof Degraded) receiver.disconnect();
            beginRound(Duration.ZERO, null);
        });
    }

    /** Closes the receiver and ends in {@link Stopped}; nothing stays scheduled. */
    public void stop() {
        scheduler.execute(() -> {
            if (finished) return;
            cancelPending();
            cancelAttemptTimer();
            attemptGeneration++;
            attemptInFlight = false;
            receiver.disconnect();
            publish(new Stopped());
            finish(ExitStatus.OK);
        });
    }

    // --- the state machine, on the scheduler's thread ---

    private void beginRound(Duration firstDelay, Failure cause) {
        beginRound(firstDelay, cause, 0);
    }

    private void beginRound(Duration firstDelay, Failure cause, int alreadyUsed) {
        round.begin(alreadyUsed);
        if (firstDelay.isZero()) {
            // A cause (a dropped session) goes into the history even though the attempt follows at once.
            if (cause != null) publish(new Retrying(1 + alreadyUsed, settings.maxAttempts(), clock.instant(), cause));
            attempt();
        } else {
            publish(new Retrying(1, settings.maxAttempts(), clock.instant().plus(firstDelay), cause));
            pendingTask = scheduler.schedule(firstDelay, this::attempt);
        }
    }

    private void attempt() {
        pendingTask = null;
        if (finished) return;
        int attempt = attemptCount() + 1;
        long generation = ++attemptGeneration;
        attemptInFlight = true;
        publish(new Connecting(attempt, settings.maxAttempts()));
        attemptTimer = scheduler.schedule(settings.attemptTimeout(), () -> attemptTimedOut(generation, attempt));
        attemptExecutor.execute(() -> {
            try {
                String user = receiver.connect(attempt);
                scheduler.execute(() -> attemptSucceeded(generation, user));
            } catch (Receiver.ReceiverFailure e) {
                scheduler.execute(() -> attemptFailed(generation, e.failure()));
            } catch (RuntimeException | Error e) {
                LOG.debug("Attempt {} threw unexpectedly", attempt, e);
                Failure f = Failure.internal("The receiver failed unexpectedly: " + e, e.getClass().getName());
                scheduler.execute(() -> attemptFailed(generation, f));
            }
        });
    }

    private void attemptSucceeded(long generation, String user) {
        if (generation != attemptGeneration || finished) return;
        attemptInFlight = false;
        cancelAttemptTimer();
        publish(new Connected(user, clock.instant()));
    }

    private void attemptFailed(long generation, Failure failure) {
        if (generation != attemptGeneration || finished) return;
        attemptInFlight = false;
        cancelAttemptTimer();
        receiver.disconnect();
        if (!failure.isTransient()) {
            failWith(failure, failure.kind().exitStatus());
            return;
        }
        RetryRound.Next next = round.failed(failure);
        if (next instanceof RetryRound.Next.Wait w) {
            publish(new Retrying(w.attempt(), settings.maxAttempts(), clock.instant().plus(w.delay()), failure));
            pendingTask = scheduler.schedule(w.delay(), this::attempt);
        } else if (next instanceof RetryRound.Next.GiveUp g) {
            failWith(g.failure(), ExitStatus.UNAVAILABLE);
        } else if (next instanceof RetryRound.Next.Cooldown c) {
            publish(new Cooldown(clock.instant().plus(c.cooldown()), failure));
            pendingTask = scheduler.schedule(c.cooldown(), () -> {
                pendingTask = null;
                beginRound(Duration.ZERO, null);
            });
        }
    }

    private void attemptTimedOut(long generation, int attempt) {
        attemptTimer = null;
        if (generation != attemptGeneration || finished || !attemptInFlight) return;
        attemptInFlight = false;
        attemptGeneration++;
        receiver.disconnect();
        failWith(Failure.transientFailure(
                "Attempt " + attempt + " did not finish within " + DurationText.duration(settings.attemptTimeout())
                        + ": the receiver library is stuck and must be restarted",
                "attempt timeout"), ExitStatus.TEMPFAIL);
    }

    private void failWith(Failure failure, ExitStatus status) {
        cancelPending();
        publish(new Failed(failure, status));
        finish(status);
    }

    private void finish(ExitStatus status) {
        if (finished) return;
        finished = true;
        onFinished.accept(status);
    }

    private void publish(ConnectionState next) {
        state = next;
        published = next;
        stateListener.accept(next);
    }

    private int attemptCount() {
        return round.used();
    }

    private void cancelPending() {
        if (pendingTask != null) {
            pendingTask.cancel();
            pendingTask = null;
        }
    }

    private void cancelAttemptTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel();
            attemptTimer = null;
        }
    }


    private final class ReceiverEvents implements Receiver.Listener {
        @Override
        public void connectionDropped(Failure cause) {
            scheduler.execute(() -> {
                if (finished || !(state instanceof Connected || state instanceof Degraded)) return;
                receiver.disconnect();
                Instant since = state instanceof Connected c ? c.since() : ((Degraded) state).since();
                Duration held = Duration.between(since, clock.instant());
                if (held.compareTo(HELD_SESSION) >= 0) {
                    LOG.info("Connection dropped ({}) after {}; closing the session and reconnecting at once",
                            cause, DurationText.duration(since, clock.instant()));
                    beginRound(Duration.ZERO, cause);
                } else {
                    LOG.info("Connection dropped ({}) {} after it was made; closing the session and reconnecting "
                            + "after the initial delay", cause, DurationText.duration(since, clock.instant()));
                    beginRound(settings.initialDelay(), cause);
                }
            });
        }

        @Override
        public void degraded(String reason) {
            scheduler.execute(() -> {
                if (state instanceof Connected c) {
                    publish(new Degraded(c.user(), c.since(), reason));
                } else if (state instanceof Degraded d && !d.reason().equals(reason)) {
                    publish(new Degraded(d.user(), d.since(), reason));
                }
            });
        }

        @Override
        public void healthy() {
            scheduler.execute(() -> {
                if (state instanceof Degraded d) publish(new Connected(d.user(), d.since()));
            });
        }

        @Override
        public void exhausted(Failure cause) {
            scheduler.execute(() -> {
                if (finished) return;
                LOG.error("{}", cause.message());
                attemptInFlight = false;
                cancelAttemptTimer();
                receiver.disconnect();
                failWith(cause, ExitStatus.TEMPFAIL);
            });
        }

        @Override
        public void credentialsArrived() {
            scheduler.execute(() -> {
                if (finished || attemptInFlight) return;
                LOG.info("A Spotify app handed over credentials; connecting");
                cancelPending();
                if (state instanceof Connected || state instanceof Degraded) receiver.disconnect();
                beginRound(Duration.ZERO, null);
            });
        }
    }
}
