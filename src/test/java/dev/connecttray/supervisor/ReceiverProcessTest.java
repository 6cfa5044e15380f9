package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.Backoff;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.RetrySettings;
import dev.connecttray.core.VirtualTime;
import dev.connecttray.ipc.Command;
import dev.connecttray.view.Actions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverProcessTest {
    private static final Duration BEAT = Duration.ofSeconds(5);

    private final VirtualTime time = new VirtualTime();
    /** The wall clock: virtual time, plus a step a test can make (NTP, the user setting the clock). */
    private final SteppedClock wall = new SteppedClock();
    private final FakeChildLauncher launcher = new FakeChildLauncher(time);
    private final List<ConnectionState> states = new ArrayList<>();
    private final List<ExitStatus> finished = new ArrayList<>();
    private ReceiverProcess process;

    /** 1 s doubling to 8 s, no jitter, 4 attempts, 1 min cooldown. */
    private static RetrySettings settings(AfterGiveUp afterGiveUp) {
        return new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0, 4,
                Duration.ofSeconds(30), Duration.ofMinutes(1), afterGiveUp);
    }

    private void start(AfterGiveUp afterGiveUp, boolean finishOnFailure) {
        process = new ReceiverProcess(settings(afterGiveUp), launcher, time, wall, this::nanoTime, BEAT, states::add,
                finished::add, finishOnFailure);
        process.start();
        time.runDue();
    }

    private void startHeadless() {
        start(AfterGiveUp.EXIT, true);
    }

    private void startTray() {
        start(AfterGiveUp.COOLDOWN, false);
    }

    /** The monotonic clock: virtual time, which no wall-clock step moves. */
    private long nanoTime() {
        Instant now = time.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private final class SteppedClock extends java.time.Clock {
        Duration step = Duration.ZERO;

        @Override
        public Instant instant() {
            return time.instant().plus(step);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private ConnectionState last() {
        return states.get(states.size() - 1);
    }

    private FakeChildLauncher.FakeChild connectedChild() {
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        c.emit(new Connected("alice", time.instant()));
        time.runDue();
        return c;
    }

    private void exit(FakeChildLauncher.FakeChild child, int status) {
        child.exit(status);
        time.runDue();
    }

    @Test
    void restartsWaitByTheConnectionAttemptsRuleJitterNeverPassingMaxDelay() {
        // 1 s doubling to 4 s with 50 % jitter: restarts 3 and later sit at the cap.
        RetrySettings jittery = new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(4), 2.0, 0.5, 6,
                Duration.ofSeconds(30), Duration.ofMinutes(1), AfterGiveUp.EXIT);
        List<Double> ratios = new ArrayList<>();
        for (int run = 0; run < 60; run++) {
            VirtualTime t = new VirtualTime();
            List<ConnectionState> seen = new ArrayList<>();
            FakeChildLauncher children = new FakeChildLauncher(t);
            new ReceiverProcess(jittery, children, t, t, () -> t.instant().toEpochMilli() * 1_000_000L, BEAT,
                    seen::add, st -> { }, true).start();
            t.runDue();
            for (int attempt = 1; attempt <= 5; attempt++) {
                FakeChildLauncher.FakeChild c = children.last();
                c.emit(new Connecting(attempt, 6));
                c.exit(ExitStatus.TEMPFAIL.code()); // a wedged attempt: restarted after the backoff
                t.runDue();
                Retrying r = (Retrying) seen.get(seen.size() - 1);
                Duration wait = Duration.between(t.instant(), r.nextAttemptAt());
                Duration base = Backoff.base(jittery, attempt);
                assertThat(wait).isLessThanOrEqualTo(base).isLessThanOrEqualTo(Duration.ofSeconds(4))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(base.toMillis() / 2));
                ratios.add(wait.toNanos() / (double) base.toNanos());
                while (children.started.size() == attempt) t.advanceToNext();
            }
        }
        assertThat(ratios).anySatisfy(x -> assertThat(x).isLessThan(0.6));
        assertThat(ratios).anySatisfy(x -> assertThat(x).isGreaterThan(0.9));
    }

    @Test
    void startsAChildAndPublishesWhatItReports() {
        startHeadless();
        assertThat(launcher.started).hasSize(1);
        assertThat(launcher.last().attemptsUsed).isZero();
        launcher.last().emit(new ConnectionState.Starting());
        connectedChild();
        assertThat(states).extracting(ConnectionState::name).containsExactly("Starting", "Connecting", "Connected");
        assertThat(process.state()).isInstanceOf(Connected.class);
    }

    @Test
    void anExit0ThatWasNotAskedForIsRestartedLike75NeverStopped() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        // What a child that wrongly thought its supervisor gone did: say Stopped, exit 0.
        c.emit(new Stopped());
        exit(c, 0);
        assertThat(states).noneMatch(s -> s instanceof Stopped);
        assertThat(finished).isEmpty();
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.cause().message()).contains("without being asked").contains("status 0");
            assertThat(r.nextAttemptAt()).isEqualTo(time.instant().plusSeconds(1));
        });
        time.advance(Duration.ofSeconds(1));
        assertThat(launcher.started).hasSize(2);
        assertThat(launcher.last().attemptsUsed).isEqualTo(1);
    }

    @Test
    void exit0AfterTheStopCommandIsStopped() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.quit();
        time.runDue();
        assertThat(c.received).containsExactly(Command.STOP);
        exit(c, 0);
        assertThat(last()).isInstanceOf(Stopped.class);
        assertThat(finished).containsExactly(ExitStatus.OK);
        time.advance(Duration.ofMinutes(5));
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void exit75RestartsAfterTheBackoffDelay() {
        startHeadless();
        exit(connectedChild(), 75);
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.nextAttemptAt()).isEqualTo(time.instant().plusSeconds(1));
        });
        time.advance(Duration.ofMillis(999));
        assertThat(launcher.started).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(launcher.started).hasSize(2);
        assertThat(launcher.last().attemptsUsed).isEqualTo(1);
        assertThat(finished).isEmpty();
    }

    @Test
    void aChildWhoseAttemptHungUntilItsTimeoutIsReplacedAtOnce() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        time.runDue();
        for (int i = 0; i < 6; i++) {
            c.beat();
            time.advance(BEAT);
        }
        c.emit(new Failed(Failure.transientFailure("Attempt 1 did not finish within 30s", "attempt timeout"),
                ExitStatus.TEMPFAIL));
        exit(c, 75);

        // The backoff (1 s) counts from the hung attempt's start, 30 s ago: nothing left to wait.
        assertThat(launcher.started).hasSize(2);
        assertThat(launcher.last().attemptsUsed).isEqualTo(1);
        assertThat(states).filteredOn(Retrying.class::isInstance).singleElement()
                .isInstanceOfSatisfying(Retrying.class, r -> assertThat(r.nextAttemptAt()).isEqualTo(time.instant()));
    }

    @Test
    void aChildThatSaysItEndsWith75IsReplacedBeforeItsJvmIsGone() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        time.runDue();
        time.advance(Duration.ofSeconds(2)); // more than the 1 s backoff: no delay left
        c.emit(new Failed(Failure.transientFailure("Attempt 1 did not finish within 2s", "attempt timeout"),
                ExitStatus.TEMPFAIL));
        time.runDue();
        assertThat(launcher.started).as("the successor starts before the exit").hasSize(2);

        exit(c, 75);
        assertThat(launcher.started).as("its exit, when it comes, changes nothing").hasSize(2);
        time.advance(ReceiverProcess.WEDGED_KILL_GRACE);
        assertThat(c.killed).isZero();
        assertThat(states).noneMatch(s -> s instanceof Failed);
    }

    @Test
    void aChildThatSaysItEndsWith75ButStaysIsKilled() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Failed(Failure.transientFailure("Could not advertise the device", "IOException"),
                ExitStatus.TEMPFAIL));
        time.runDue();
        time.advance(ReceiverProcess.WEDGED_KILL_GRACE);
        assertThat(c.killed).isEqualTo(1);
    }

    @Test
    void aTimedOutSecondAttemptCountsAsTheSecondNotAsAFreshFailure() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        c.emit(new Retrying(2, 4, time.instant().plusSeconds(1), Failure.transientFailure("refused", "")));
        c.emit(new Connecting(2, 4));
        c.emit(new Failed(Failure.transientFailure("Attempt 2 did not finish within 30s", "attempt timeout"),
                ExitStatus.TEMPFAIL));
        exit(c, 75);

        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> assertThat(r.attempt()).isEqualTo(3));
        time.advanceToNext();
        assertThat(launcher.last().attemptsUsed).isEqualTo(2);
    }

    @Test
    void aChildThatDiesDuringAnAttemptWaitsTheRestOfTheDelayFromTheAttemptsStart() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        time.runDue();
        time.advance(Duration.ofMillis(300));
        exit(c, 70);

        assertThat(last()).isInstanceOfSatisfying(Retrying.class,
                r -> assertThat(r.nextAttemptAt()).isEqualTo(time.instant().plusMillis(700)));
        time.advance(Duration.ofMillis(699));
        assertThat(launcher.started).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(launcher.started).hasSize(2);
    }

    @Test
    void exit75UsesTheFailureTheChildReported() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        Failure stuck = Failure.transientFailure("Attempt 1 did not finish within 30s", "attempt timeout");
        c.emit(new Failed(stuck, ExitStatus.TEMPFAIL));
        exit(c, 75);
        // The child's Failed was not final: the supervisor shows a retry, never Failed.
        assertThat(states).noneMatch(s -> s instanceof Failed);
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> {
            assertThat(r.cause()).isEqualTo(stuck);
            // The attempt in flight failed: that is attempt 1 used, not 2.
            assertThat(r.attempt()).isEqualTo(2);
        });
    }

    @Test
    void exit77And78AreFailedWithoutRestart() {
        for (int status : new int[]{77, 78}) {
            states.clear();
            finished.clear();
            launcher.started.clear();
            startHeadless();
            FakeChildLauncher.FakeChild c = launcher.last();
            Failure rejected = Failure.permanent("Spotify rejected the stored credentials", "BAD_CREDENTIALS");
            c.emit(new Failed(rejected, ExitStatus.ofCode(status).orElseThrow()));
            exit(c, status);
            assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
                assertThat(f.exitStatus().code()).isEqualTo(status);
                assertThat(f.cause()).isEqualTo(rejected);
            });
            assertThat(finished).containsExactly(ExitStatus.ofCode(status).orElseThrow());
            time.advance(Duration.ofHours(1));
            assertThat(launcher.started).hasSize(1);
        }
    }

    @Test
    void exit69IsFailedUnavailable() {
        startHeadless();
        exit(launcher.last(), 69);
        assertThat(last()).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.exitStatus()).isEqualTo(ExitStatus.UNAVAILABLE));
        assertThat(finished).containsExactly(ExitStatus.UNAVAILABLE);
    }

    @Test
    void aCrashRestartsButThreeWithinTenMinutesAreFailed70() {
        startHeadless();
        exit(connectedChild(), 70);
        assertThat(last()).isInstanceOf(Retrying.class);
        time.advanceToNext();
        exit(connectedChild(), 70);
        assertThat(last()).isInstanceOf(Retrying.class);
        time.advanceToNext();
        exit(connectedChild(), 70);
        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.SOFTWARE);
            assertThat(f.cause().message()).contains("crashed 3 times within 10 min");
        });
        assertThat(finished).containsExactly(ExitStatus.SOFTWARE);
        assertThat(launcher.started).hasSize(3);
    }

    @Test
    void crashesFurtherApartThanTenMinutesKeepRestarting() {
        startHeadless();
        for (int i = 0; i < 5; i++) {
            exit(connectedChild(), 70);
            assertThat(last()).as("crash %d", i + 1).isInstanceOf(Retrying.class);
            time.advanceToNext();
            time.advance(Duration.ofMinutes(6));
        }
        assertThat(finished).isEmpty();
        assertThat(launcher.started).hasSize(6);
    }

    @Test
    void aSignalIsTransientAndSaysWhichSignal() {
        startHeadless();
        exit(connectedChild(), 128 + 9);
        assertThat(last()).isInstanceOfSatisfying(Retrying.class,
                r -> assertThat(r.cause().message()).contains("SIGKILL"));
        time.advanceToNext();
        assertThat(launcher.started).hasSize(2);
    }

    @Test
    void aCrashLoopBacksOffAndSpendsTheSameBudgetThenExits69Headless() {
        startHeadless();
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            exit(launcher.last(), 137);
            gaps.add(time.advanceToNext());
        }
        assertThat(gaps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(launcher.started).extracting(c -> c.attemptsUsed).containsExactly(0, 1, 2, 3);
        exit(launcher.last(), 137);
        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.UNAVAILABLE);
            assertThat(f.cause().message()).startsWith("The receiver failed 4 times in a row; the last time: the "
                    + "receiver process ended unexpectedly (killed by SIGKILL)").doesNotContain("restarting it")
                    .doesNotContain("Spotify stayed unreachable");
        });
        assertThat(finished).containsExactly(ExitStatus.UNAVAILABLE);
    }

    @Test
    void theChildsOwnAttemptsCountTowardTheBudget() {
        startHeadless();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Connecting(1, 4));
        c.emit(new Retrying(2, 4, time.instant().plusSeconds(1), Failure.transientFailure("refused", "")));
        c.emit(new Connecting(2, 4));
        c.emit(new Retrying(3, 4, time.instant().plusSeconds(2), Failure.transientFailure("refused", "")));
        exit(c, 137); // crashed while waiting for attempt 3: attempts 1, 2 and the crash are spent
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> assertThat(r.attempt()).isEqualTo(4));
        time.advanceToNext();
        assertThat(launcher.last().attemptsUsed).isEqualTo(3);
    }

    @Test
    void anExhaustedBudgetCoolsDownInTrayModeThenStartsAFreshRound() {
        startTray();
        for (int i = 0; i < 3; i++) {
            exit(launcher.last(), 75);
            time.advanceToNext();
        }
        exit(launcher.last(), 75);
        assertThat(last()).isInstanceOfSatisfying(Cooldown.class,
                c -> assertThat(c.until()).isEqualTo(time.instant().plus(Duration.ofMinutes(1))));
        assertThat(finished).isEmpty();
        assertThat(time.advanceToNext()).isEqualTo(Duration.ofMinutes(1));
        assertThat(launcher.started).hasSize(5);
        assertThat(launcher.last().attemptsUsed).isZero();
    }

    @Test
    void aSilentChildIsEndedAndReplaced() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        time.advance(Duration.ofSeconds(14));
        assertThat(c.terminated).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(c.terminated).as("terminated after three missed beats").isEqualTo(1);
        // A polite stop is not enough for a wedged process: it is killed after the grace.
        time.advance(Duration.ofSeconds(3));
        assertThat(c.killed).isEqualTo(1);
        exit(c, 137);
        assertThat(last()).isInstanceOfSatisfying(Retrying.class,
                r -> assertThat(r.cause().message()).contains("stopped responding"));
        time.advanceToNext();
        assertThat(launcher.started).hasSize(2);
    }

    @Test
    void heartbeatsKeepAChildAlive() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        for (int i = 0; i < 100; i++) {
            c.beat();
            time.advance(BEAT);
            time.runDue();
        }
        assertThat(c.terminated).isZero();
        assertThat(c.killed).isZero();
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void aWallClockStepBackOfAnHourDoesNotBlindTheWatchdog() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        wall.step = Duration.ofHours(-1);
        time.advance(Duration.ofSeconds(14));
        assertThat(c.terminated).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(c.terminated).as("15 s of silence, whatever the wall clock says").isEqualTo(1);
    }

    @Test
    void aWallClockStepAheadDoesNotKillAHealthyChild() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        c.beat();
        time.advance(Duration.ofSeconds(1));
        wall.step = Duration.ofHours(1);
        for (int i = 0; i < 10; i++) {
            c.beat();
            time.advance(BEAT);
        }
        assertThat(c.terminated).isZero();
    }

    @Test
    void aSupervisorPausedFor20sDoesNotKillAChildWhoseHeartbeatsWaitedInThePipe() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        c.beat();
        time.advance(Duration.ofSeconds(2));
        time.pause(Duration.ofSeconds(20)); // SIGSTOP ... SIGCONT, or a closed laptop lid
        time.runDue(); // the overdue watchdog looks first, before the reader has delivered anything
        assertThat(c.terminated).isZero();
        for (int i = 0; i < 4; i++) c.beat(); // the heartbeats that sat in the pipe
        time.runDue();
        for (int i = 0; i < 10; i++) {
            c.beat();
            time.advance(BEAT);
        }
        assertThat(c.terminated).isZero();
        assertThat(c.killed).isZero();
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void aChildStillSilentOneHeartbeatIntervalAfterTheSupervisorsPauseIsEnded() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        time.advance(Duration.ofSeconds(2));
        time.pause(Duration.ofSeconds(20));
        time.runDue();
        assertThat(c.terminated).isZero();
        time.advance(BEAT.minusMillis(1));
        assertThat(c.terminated).isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(c.terminated).isEqualTo(1);
        assertThat(c.killed).isZero();
    }

    @Test
    void aChildThatEndsOnSigtermIsNotKilled() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        time.advance(Duration.ofSeconds(15));
        assertThat(c.terminated).isEqualTo(1);
        exit(c, 143);
        time.advance(Duration.ofSeconds(10));
        assertThat(c.killed).isZero();
    }

    @Test
    void reconnectNowTellsALiveChild() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.reconnectNow();
        time.runDue();
        assertThat(c.received).containsExactly(Command.RECONNECT);
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void reconnectNowRestartsAnEngineThatCannotReconnectInPlaceAtOnceWithAFreshBudget() {
        launcher.reconnectsInPlace = false;
        startHeadless();
        exit(launcher.last(), 137);
        time.advanceToNext();
        FakeChildLauncher.FakeChild c = connectedChild();
        assertThat(c.attemptsUsed).isEqualTo(1);
        process.reconnectNow();
        time.runDue();
        assertThat(c.received).as("no command it cannot carry out").isEmpty();
        assertThat(c.terminated).isEqualTo(1);
        assertThat(launcher.started).hasSize(2);
        exit(c, 143);
        assertThat(launcher.started).as("the fresh run starts at once, without a backoff wait").hasSize(3);
        assertThat(launcher.last().attemptsUsed).as("fresh budget").isZero();
        assertThat(states).noneMatch(s -> s instanceof Failed);
        assertThat(last()).as("the fresh run coming up, with a fresh budget").isEqualTo(new Connecting(1, 4));
    }

    @Test
    void anEngineThatDoesNotReportItsAttemptsShowsConnectingWhileARestartedRunComesUp() {
        launcher.reconnectsInPlace = false;
        startHeadless();
        exit(launcher.last(), 137);
        assertThat(last()).isInstanceOf(Retrying.class);
        time.advanceToNext();
        assertThat(launcher.started).hasSize(2);
        assertThat(last()).as("no stale countdown while it comes up").isEqualTo(new Connecting(2, 4));
    }

    @Test
    void reconnectNowKillsAnEngineThatIgnoresSigtermForTheRestart() {
        launcher.reconnectsInPlace = false;
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.reconnectNow();
        time.runDue();
        time.advance(ReceiverProcess.WEDGED_KILL_GRACE);
        time.runDue();
        assertThat(c.killed).isEqualTo(1);
    }

    @Test
    void anEngineThatCannotStartUntilTheUserActsFailsWithItsStatusWithoutRetrying() {
        launcher.unusable = new EngineUnusable(Failure.permanent("No Soloist API key: create one and save it in "
                + "/home/u/.local/state/connect-tray/soloist-api-key", ""), ExitStatus.CONFIG);
        startHeadless();
        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.CONFIG);
            assertThat(f.cause().message()).contains("soloist-api-key");
        });
        assertThat(finished).containsExactly(ExitStatus.CONFIG);
        assertThat(states).noneMatch(s -> s instanceof Retrying);
    }

    @Test
    void anEngineThatCannotStartYetIsTriedAgainWithTheBackoff() {
        launcher.unusable = new EngineUnusable(Failure.transientFailure("Soloist could not be downloaded: no network",
                "soloist download"), ExitStatus.TEMPFAIL);
        startHeadless();
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> {
            assertThat(r.attempt()).isEqualTo(2);
            assertThat(r.cause().message()).contains("no network");
        });
        launcher.unusable = null;
        time.advanceToNext();
        assertThat(launcher.started).as("started once the wait is over").hasSize(1);
        assertThat(launcher.last().attemptsUsed).isEqualTo(1);
        assertThat(finished).isEmpty();
    }

    @Test
    void reconnectNowWhileWaitingToRestartStartsAFreshChildAtOnce() {
        startHeadless();
        exit(launcher.last(), 137);
        exit(launcher.last(), 137); // the exit of the same child again is ignored
        time.advanceToNext();
        exit(launcher.last(), 137);
        assertThat(last()).isInstanceOf(Retrying.class);
        process.reconnectNow();
        time.runDue();
        assertThat(launcher.started).hasSize(3);
        assertThat(launcher.last().attemptsUsed).as("fresh budget").isZero();
    }

    @Test
    void reconnectNowInCooldownStartsAFreshChild() {
        startTray();
        for (int i = 0; i < 3; i++) {
            exit(launcher.last(), 75);
            time.advanceToNext();
        }
        exit(launcher.last(), 75);
        assertThat(last()).isInstanceOf(Cooldown.class);
        process.reconnectNow();
        time.runDue();
        assertThat(launcher.started).hasSize(5);
        assertThat(launcher.last().attemptsUsed).isZero();
    }

    @Test
    void reconnectNowAfterFailedInTrayModeStartsAFreshChild() {
        startTray();
        FakeChildLauncher.FakeChild c = launcher.last();
        c.emit(new Failed(Failure.permanent("Spotify rejected the stored credentials", ""), ExitStatus.NOPERM));
        exit(c, 77);
        assertThat(last()).isInstanceOf(Failed.class);
        assertThat(finished).as("the tray stays up in Failed").isEmpty();
        process.reconnectNow();
        time.runDue();
        assertThat(launcher.started).hasSize(2);
    }

    @Test
    void quitStopsTheChildAndExits0() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.quit();
        time.runDue();
        assertThat(c.received).containsExactly(Command.STOP);
        assertThat(finished).isEmpty();
        exit(c, 0);
        assertThat(last()).isInstanceOf(Stopped.class);
        assertThat(finished).containsExactly(ExitStatus.OK);
        assertThat(c.killed).isZero();
    }

    @Test
    void quitKillsAChildThatDoesNotStopWithinFiveSeconds() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.quit();
        time.advance(Duration.ofMillis(4999));
        assertThat(c.killed).isZero();
        time.advance(Duration.ofMillis(1));
        assertThat(c.killed).isEqualTo(1);
        exit(c, 137);
        assertThat(finished).containsExactly(ExitStatus.OK);
        assertThat(launcher.started).as("never restarted while quitting").hasSize(1);
    }

    @Test
    void quitWhileWaitingToRestartExits0WithoutAnotherChild() {
        startHeadless();
        exit(launcher.last(), 75);
        process.quit();
        time.advance(Duration.ofMinutes(1));
        assertThat(finished).containsExactly(ExitStatus.OK);
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void quitFromFailedExitsWithTheFailuresStatus() {
        startTray();
        exit(launcher.last(), 77);
        assertThat(Actions.quitStatus(process.state())).isEqualTo(ExitStatus.NOPERM);
        process.quit();
        time.runDue();
        assertThat(finished).containsExactly(ExitStatus.NOPERM);
    }

    @Test
    void aNetworkChangeWhileRetryingRestartsAtOnceButLeavesAConnectedChildAlone() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.worldChanged("Network changed", false);
        time.runDue();
        assertThat(c.received).isEmpty();
        exit(c, 75);
        assertThat(last()).isInstanceOf(Retrying.class);
        process.worldChanged("Network changed", false);
        time.runDue();
        assertThat(launcher.started).hasSize(2);
    }

    @Test
    void aNetworkChangeAsksTheChildToAnnounceTheDeviceAgainWithoutReconnectingIt() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.networkChanged();
        time.runDue();
        assertThat(c.received).containsExactly(Command.NETWORK_CHANGED);
    }

    @Test
    void aResumeFromSleepMakesAConnectedChildReconnect() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        process.worldChanged("The machine woke up", true);
        time.runDue();
        assertThat(c.received).containsExactly(Command.RECONNECT);
    }

    @Test
    void aChildThatCannotStartIsFailed70() {
        launcher.failToStart = true;
        startHeadless();
        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.SOFTWARE);
            assertThat(f.cause().message()).contains("launcher not found");
        });
        assertThat(finished).containsExactly(ExitStatus.SOFTWARE);
    }

    @Test
    void aGarbageLineIsNotFatal() {
        startHeadless();
        FakeChildLauncher.FakeChild c = connectedChild();
        c.listener.malformedLine("Exception in thread main", "not JSON");
        time.runDue();
        assertThat(last()).isInstanceOf(Connected.class);
        assertThat(finished).isEmpty();
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void notAnEventWarningsAreLimitedToOnePerSecondWithACountOfTheSkippedOnes() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ReceiverProcess.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            startHeadless();
            FakeChildLauncher.FakeChild c = connectedChild();
            // A SIGQUIT thread dump into the pipe: 189 lines at once.
            for (int i = 0; i < 189; i++) c.listener.malformedLine("\tat java.lang.Thread.run(" + i + ")", "not JSON");
            time.runDue();
            time.advance(Duration.ofSeconds(1));
            c.listener.malformedLine("one more, later", "not JSON");
            time.runDue();
        } finally {
            logger.detachAppender(logged);
        }
        List<String> warnings = logged.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("not an event").contains("run(0)");
        assertThat(warnings.get(1)).contains("188 more lines").contains("run(188)");
        time.advance(Duration.ofSeconds(1));
        assertThat(last()).isInstanceOf(Connected.class);
    }

    @Test
    void reportsFromAReplacedChildAreIgnored() {
        startHeadless();
        FakeChildLauncher.FakeChild first = launcher.last();
        exit(first, 75);
        time.advanceToNext();
        first.emit(new Connected("mallory", time.instant()));
        time.runDue();
        assertThat(states).noneMatch(s -> s instanceof Connected c && c.user().equals("mallory"));
    }
}
