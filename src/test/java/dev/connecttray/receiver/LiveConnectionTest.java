package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection attempt racing a disconnect, each on its own thread, with latches fixing the order
 * in which their steps interleave: whatever the order, every session and player made is closed
 * exactly once or is the live one.
 */
class LiveConnectionTest {
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final LiveConnection<String, String> live = new LiveConnection<>(this::close);

    private void close(String player, String session) {
        if (player != null) closed.add(player);
        if (session != null) closed.add(session);
    }

    /** Runs {@code attempt} on a thread of its own, as the connection loop does. */
    private static CompletableFuture<Void> onAttemptThread(Runnable attempt) {
        return CompletableFuture.runAsync(attempt, task -> {
            Thread t = new Thread(task, "test-attempt");
            t.setDaemon(true);
            t.start();
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("the other thread got there").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSessionMadeWhileADisconnectRanIsClosedNotKept() throws Exception {
        CountDownLatch sessionMade = new CountDownLatch(1);
        CountDownLatch disconnected = new CountDownLatch(1);
        CompletableFuture<Boolean> adopted = new CompletableFuture<>();
        CompletableFuture<Void> attempt = onAttemptThread(() -> {
            long ticket = live.begin();
            sessionMade.countDown();           // the library has logged in ...
            await(disconnected);               // ... when the loop, its timeout passed, disconnects
            adopted.complete(live.adoptSession(ticket, "session-1"));
        });
        await(sessionMade);
        live.end(false, this::close);
        disconnected.countDown();
        attempt.get(10, TimeUnit.SECONDS);

        assertThat(adopted.get()).isFalse();
        assertThat(closed).containsExactly("session-1");
        assertThat(live.isLive("session-1")).isFalse();
    }

    @Test
    void aPlayerMadeAfterItsSessionWasDisconnectedIsClosedToo() throws Exception {
        CountDownLatch sessionLive = new CountDownLatch(1);
        CountDownLatch disconnected = new CountDownLatch(1);
        CompletableFuture<Void> attempt = onAttemptThread(() -> {
            assertThat(live.adoptSession(live.begin(), "session-1")).isTrue();
            sessionLive.countDown();            // the player is being made ...
            await(disconnected);                // ... when the disconnect takes the session
            live.adoptPlayer("session-1", "player-1");
        });
        await(sessionLive);
        live.end(false, this::close);
        disconnected.countDown();
        attempt.get(10, TimeUnit.SECONDS);

        assertThat(closed).containsExactlyInAnyOrder("session-1", "player-1");
    }

    @Test
    void aDisconnectAfterTheAttemptClosesBothOnceAndCancelsTheTimers() {
        assertThat(live.adoptSession(live.begin(), "session-1")).isTrue();
        live.adoptPlayer("session-1", "player-1");
        FutureTask<Void> dealerCheck = new FutureTask<>(() -> null);
        live.attach("session-1", dealerCheck);

        live.end(false, this::close);
        live.end(false, this::close);

        assertThat(closed).containsExactly("player-1", "session-1");
        assertThat(dealerCheck.isCancelled()).isTrue();
    }

    @Test
    void aTimerOfASessionThatEndedIsCancelledAtOnce() {
        assertThat(live.adoptSession(live.begin(), "session-1")).isTrue();
        live.end(false, this::close);
        FutureTask<Void> renewal = new FutureTask<>(() -> null);
        live.attach("session-1", renewal);
        assertThat(renewal.isCancelled()).isTrue();
    }

    @Test
    void aSecondSessionWithoutADisconnectBetweenReplacesAndClosesTheFirst() {
        assertThat(live.adoptSession(live.begin(), "session-1")).isTrue();
        live.adoptPlayer("session-1", "player-1");
        assertThat(live.adoptSession(live.begin(), "session-2")).isTrue();

        assertThat(closed).containsExactly("player-1", "session-1");
        assertThat(live.isLive("session-2")).isTrue();
    }

    @Test
    void afterCloseNothingIsAdopted() {
        long ticket = live.begin();
        live.end(true, this::close);
        assertThat(live.adoptSession(ticket, "late")).isFalse();
        assertThat(live.adoptSession(live.begin(), "later")).isFalse();
        assertThat(closed).containsExactly("late", "later");
    }
}
