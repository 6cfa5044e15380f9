package dev.connecttray.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState.Connected;
import dev.connecttray.core.ConnectionState.Connecting;
import dev.connecttray.core.ConnectionState.Cooldown;
import dev.connecttray.core.ConnectionState.Degraded;
import dev.connecttray.core.ConnectionState.Failed;
import dev.connecttray.core.ConnectionState.Retrying;
import dev.connecttray.core.ConnectionState.Stopped;
import dev.connecttray.core.ConnectionState.WaitingForCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ConnectionLoopTest {
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");
    private static final Failure BAD_CREDENTIALS =
            Failure.permanent("Spotify rejected the stored credentials", "BadCredentials");

    private final VirtualTime time = new VirtualTime();
    private final ScriptedReceiver receiver = new ScriptedReceiver();
    private final List<ConnectionState> states = new ArrayList<>();
    private final List<ExitStatus> exits = new ArrayList<>();

    private static RetrySettings settings(double jitter, int maxAttempts, AfterGiveUp afterGiveUp) {
        return new RetrySettings(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, jitter, maxAttempts,
                Duration.ofSeconds(30), Duration.ofMinutes(5), afterGiveUp);
    }

    private ConnectionLoop loop(RetrySettings settings) {
        return loop(settings, Runnable::run);
    }

    private ConnectionLoop loop(RetrySettings settings, Executor attempts) {
        return new ConnectionLoop(settings, receiver, "Connect Tray (test)", time, time, attempts,
                states::add, exits::add);
    }

    private ConnectionState last() {
        return states.get(states.size() - 1);
    }

    @Test
    void backoffDoublesFromInitialDelayUpToMaxDelayThenExitsWith69() {
        receiver.failWith(REFUSED, 10);
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.EXIT));
        s.start();
        time.runDue();

        List<Duration> gaps = new ArrayList<>();
        while (exits.isEmpty()) {
            assertThat(last()).isInstanceOf(Retrying.class);
            gaps.add(time.advanceToNext());
        }

        assertThat(gaps).containsExactly(secs(1), secs(2), secs(4), secs(8), secs(16), secs(32), secs(60),
                secs(60), secs(60));
        assertThat(receiver.connectCalls).isEqualTo(10);
        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.UNAVAILABLE);
            assertThat(f.cause().message()).contains("10 attempts").contains("Connection refused");
        });
        assertThat(exits).containsExactly(ExitStatus.UNAVAILABLE);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aReceiverOutOfDescriptorsForGoodFailsWith75SoAFreshOneStarts() {
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.COOLDOWN));
        s.start();
        time.runDue();
        assertThat(last()).isInstanceOf(Connected.class);

        Failure out = Failure.transientFailure("The receiver ran out of file descriptors", "SocketException");
        receiver.listener.exhausted(out);
        time.runDue();

        assertThat(last()).isEqualTo(new Failed(out, ExitStatus.TEMPFAIL));
        assertThat(exits).containsExactly(ExitStatus.TEMPFAIL);
        assertThat(receiver.disconnectCalls).isPositive();
    }

    @Test
    void aRestartedReceiverCarriesOnTheRoundItsParentReports() {
        receiver.failWith(REFUSED, 10);
        ConnectionLoop s = loop(settings(0, 6, AfterGiveUp.EXIT));
        s.start(3);
        time.runDue();
        assertThat(states).filteredOn(Connecting.class::isInstance).first()
                .isEqualTo(new Connecting(4, 6));
        List<Duration> gaps = new ArrayList<>();
        while (exits.isEmpty()) gaps.add(time.advanceToNext());
        // Attempts 4, 5, 6: the delays continue the curve (8 s, 16 s), and the budget ends at 6.
        assertThat(gaps).containsExactly(secs(8), secs(16));
        assertThat(receiver.connectCalls).isEqualTo(3);
        assertThat(exits).containsExactly(ExitStatus.UNAVAILABLE);
    }

    @Test
    void backoffForRestartsFollowsTheSameCurve() {
        RetrySettings s = settings(0, 5, AfterGiveUp.EXIT);
        assertThat(Backoff.delayAfter(s, 1)).contains(secs(1));
        assertThat(Backoff.delayAfter(s, 3)).contains(secs(4));
        assertThat(Backoff.delayAfter(s, 4)).contains(secs(8));
        assertThat(Backoff.delayAfter(s, 5)).as("budget used up").isEmpty();
    }

    @Test
    void retryingStateNamesTheNextAttemptItsTimeAndTheCause() {
        receiver.failWith(REFUSED, 1);
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();

        assertThat(states).extracting(ConnectionState::name)
                .containsExactly("Starting", "Connecting", "Retrying");
        Retrying r = (Retrying) last();
        assertThat(r.attempt()).isEqualTo(2);
        assertThat(r.maxAttempts()).isEqualTo(10);
        assertThat(r.nextAttemptAt()).isEqualTo(time.instant().plusSeconds(1));
        assertThat(r.cause()).isEqualTo(REFUSED);
    }

    @Test
    void jitterOnlyShortensEachDelayAndNeverPassesMaxDelay() {
        List<Double> ratios = new ArrayList<>();
        List<Duration> waits = new ArrayList<>();
        java.util.Random random = new java.util.Random(14);
        for (int run = 0; run < 40; run++) {
            VirtualTime t = new VirtualTime();
            ScriptedReceiver r = new ScriptedReceiver().failWith(REFUSED, 9);
            List<ExitStatus> done = new ArrayList<>();
            // 1 s doubling to 60 s: retries 7 and 8 are at the cap, where a jitter on top would pass it.
            new ConnectionLoop(settings(0.2, 9, AfterGiveUp.EXIT), r, "d", t, t, Runnable::run,
                    st -> { }, done::add, random::nextDouble).start();
            t.runDue();
            double base = 1.0;
            while (done.isEmpty()) {
                Duration wait = t.advanceToNext();
                waits.add(wait);
                ratios.add(wait.toNanos() / (base * 1e9));
                base = Math.min(base * 2, 60);
            }
        }
        assertThat(ratios).hasSize(40 * 8).allSatisfy(x -> assertThat(x).isBetween(0.8, 1.0));
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(secs(60)));
        // Jitter really spreads the delays, at the cap too.
        assertThat(ratios).anySatisfy(x -> assertThat(x).isLessThan(0.85));
        assertThat(waits).filteredOn(w -> w.compareTo(secs(48)) >= 0).extracting(Duration::toNanos)
                .doesNotHaveDuplicates().anySatisfy(ns -> assertThat(ns).isLessThan(50_000_000_000L));
    }

    @Test
    void afterGiveUpCooldownWaitsThenStartsAFreshRound() {
        receiver.failWith(REFUSED, 4);
        loop(settings(0, 3, AfterGiveUp.COOLDOWN)).start();
        time.runDue();
        time.advanceToNext();
        time.advanceToNext();

        assertThat(receiver.connectCalls).isEqualTo(3);
        assertThat(last()).isInstanceOfSatisfying(Cooldown.class, c -> {
            assertThat(c.until()).isEqualTo(time.instant().plus(Duration.ofMinutes(5)));
            assertThat(c.cause()).isEqualTo(REFUSED);
        });
        assertThat(exits).isEmpty();

        assertThat(time.advanceToNext()).isEqualTo(Duration.ofMinutes(5));
        // The fresh round starts again at attempt 1 and at the initial delay.
        assertThat(states.get(states.size() - 2)).isEqualTo(new Connecting(1, 3));
        assertThat(last()).isInstanceOf(Retrying.class);
        assertThat(time.advanceToNext()).isEqualTo(secs(1));
        assertThat(last()).isInstanceOf(Connected.class);
    }

    @Test
    void reconnectNowAttemptsAtOnceWithResetBackoffAndCancelsThePendingAttempt() {
        receiver.failWith(REFUSED, 5);
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.EXIT));
        s.start();
        time.runDue();
        for (int i = 0; i < 3; i++) time.advanceToNext();
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> assertThat(r.attempt()).isEqualTo(5));
        int callsBefore = receiver.connectCalls;

        s.reconnectNow();
        time.runDue();

        assertThat(receiver.connectCalls).isEqualTo(callsBefore + 1);
        assertThat(states.get(states.size() - 2)).isEqualTo(new Connecting(1, 10));
        // Attempt 1 of the new round failed: the next delay is the initial one again, not 16 s.
        assertThat(last()).isInstanceOfSatisfying(Retrying.class, r -> assertThat(r.attempt()).isEqualTo(2));
        assertThat(time.pendingTasks()).isEqualTo(1);
        assertThat(time.advanceToNext()).isEqualTo(secs(1));
        assertThat(last()).isInstanceOf(Connected.class);
        assertThat(receiver.connectCalls).isEqualTo(callsBefore + 2);
    }

    @Test
    void permanentFailureStopsAtOnceWith77AndIsNeverRetried() {
        receiver.failWith(BAD_CREDENTIALS, 1);
        loop(settings(0.2, 10, AfterGiveUp.COOLDOWN)).start();
        time.runDue();

        assertThat(receiver.connectCalls).isEqualTo(1);
        assertThat(last()).isEqualTo(new Failed(BAD_CREDENTIALS, ExitStatus.NOPERM));
        assertThat(exits).containsExactly(ExitStatus.NOPERM);
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void internalFailureEndsWith70() {
        receiver.failWith(Failure.internal("boom", "NullPointerException"), 1);
        loop(settings(0, 10, AfterGiveUp.COOLDOWN)).start();
        time.runDue();

        assertThat(exits).containsExactly(ExitStatus.SOFTWARE);
    }

    @Test
    void stopDuringABackoffWaitLeavesNothingScheduled() {
        receiver.failWith(REFUSED, 3);
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.EXIT));
        s.start();
        time.runDue();
        assertThat(last()).isInstanceOf(Retrying.class);
        assertThat(time.pendingTasks()).isEqualTo(1);

        s.stop();
        time.runDue();

        assertThat(last()).isInstanceOf(Stopped.class);
        assertThat(exits).containsExactly(ExitStatus.OK);
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofHours(1));
        assertThat(receiver.connectCalls).isEqualTo(1);
    }

    @Test
    void anAttemptThatOverrunsTheTimeoutIsAWedgedLibraryAndEndsWith75() {
        List<Runnable> hung = new ArrayList<>();
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.COOLDOWN), hung::add);
        s.start();
        time.runDue();
        assertThat(last()).isEqualTo(new Connecting(1, 10));

        time.advance(Duration.ofSeconds(29));
        assertThat(exits).isEmpty();
        time.advance(Duration.ofSeconds(1));

        assertThat(last()).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.exitStatus()).isEqualTo(ExitStatus.TEMPFAIL);
            assertThat(f.cause().message()).contains("did not finish within 30 s");
        });
        assertThat(exits).containsExactly(ExitStatus.TEMPFAIL);
        assertThat(receiver.disconnectCalls).isEqualTo(1);

        // The stuck attempt returning late changes nothing.
        hung.get(0).run();
        time.runDue();
        assertThat(last()).isInstanceOf(Failed.class);
    }

    @Test
    void aSessionThatHeldIsReconnectedAtOnceWhenItDrops() {
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();
        time.advance(ConnectionLoop.HELD_SESSION);
        states.clear();

        receiver.listener.connectionDropped(REFUSED);
        time.runDue();

        assertThat(receiver.disconnectCalls).isEqualTo(1);
        assertThat(receiver.connectCalls).as("no waiting after one drop").isEqualTo(2);
        assertThat(states).extracting(ConnectionState::name).containsExactly("Retrying", "Connecting", "Connected");
        assertThat(states.get(0)).as("the history keeps the cause")
                .isEqualTo(new Retrying(1, 10, time.instant(), REFUSED));
    }

    @Test
    void aDegradedSessionThatHeldIsReconnectedAtOnceToo() {
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();
        time.advance(Duration.ofMinutes(3));
        receiver.listener.degraded("The Spotify Connect channel (dealer) is down");
        time.runDue();

        receiver.listener.connectionDropped(REFUSED);
        time.runDue();

        assertThat(receiver.connectCalls).isEqualTo(2);
        assertThat(last()).isInstanceOf(Connected.class);
    }

    @Test
    void failuresAfterAnImmediateReconnectBackOffAsUsual() {
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();
        time.advance(Duration.ofMinutes(1));
        receiver.failWith(REFUSED, 3);

        receiver.listener.connectionDropped(REFUSED);
        time.runDue();
        assertThat(receiver.connectCalls).isEqualTo(2);

        List<Duration> gaps = new ArrayList<>();
        while (!(last() instanceof Connected)) gaps.add(time.advanceToNext());
        assertThat(gaps).containsExactly(secs(1), secs(2), secs(4));
    }

    @Test
    void aSessionThatDropsSoonAfterItWasMadeReconnectsAfterTheInitialDelay() {
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();
        assertThat(last()).isInstanceOf(Connected.class);

        receiver.listener.connectionDropped(REFUSED);
        time.runDue();

        assertThat(receiver.disconnectCalls).isEqualTo(1);
        assertThat(last()).isEqualTo(new Retrying(1, 10, time.instant().plusSeconds(1), REFUSED));
        assertThat(time.advanceToNext()).isEqualTo(secs(1));
        assertThat(last()).isInstanceOf(Connected.class);
        assertThat(receiver.connectCalls).isEqualTo(2);
    }

    @Test
    void withoutCredentialsItWaitsUntilASpotifyAppHandsSomeOver() {
        receiver.hasCredentials = false;
        ConnectionLoop s = loop(settings(0, 10, AfterGiveUp.EXIT));
        s.start();
        time.runDue();
        assertThat(last()).isEqualTo(new WaitingForCredentials("Connect Tray (test)"));
        time.advance(Duration.ofHours(2));
        assertThat(receiver.connectCalls).isZero();
        s.reconnectNow();
        time.runDue();
        assertThat(receiver.connectCalls).isZero();

        receiver.hasCredentials = true;
        receiver.listener.credentialsArrived();
        time.runDue();

        assertThat(last()).isInstanceOfSatisfying(Connected.class, c -> assertThat(c.user()).isEqualTo("alice"));
    }

    @Test
    void aFailingPartIsDegradedNotFailedAndRecovers() {
        loop(settings(0, 10, AfterGiveUp.EXIT)).start();
        time.runDue();
        Connected connected = (Connected) last();

        receiver.listener.degraded("The Spotify Connect channel (dealer) is down");
        time.runDue();
        assertThat(last()).isEqualTo(new Degraded("alice", connected.since(),
                "The Spotify Connect channel (dealer) is down"));

        receiver.listener.healthy();
        time.runDue();
        assertThat(last()).isEqualTo(connected);
        assertThat(exits).isEmpty();
    }

    @Test
    void aMultiplierOfOneGivesAFixedDelay() {
        receiver.failWith(REFUSED, 3);
        loop(new RetrySettings(Duration.ofMillis(500), Duration.ofSeconds(60), 1.0, 0, 10,
                Duration.ofSeconds(30), Duration.ofMinutes(5), AfterGiveUp.EXIT)).start();
        time.runDue();
        assertThat(time.advanceToNext()).isEqualTo(Duration.ofMillis(500));
        assertThat(time.advanceToNext()).isEqualTo(Duration.ofMillis(500));
        assertThat(time.advanceToNext()).isEqualTo(Duration.ofMillis(500));
        assertThat(last()).isInstanceOf(Connected.class);
    }

    private static Duration secs(long s) {
        return Duration.ofSeconds(s);
    }
}
