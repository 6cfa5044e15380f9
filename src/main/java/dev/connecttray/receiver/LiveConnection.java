package dev.connecttray.receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The one live session of a receiver, its player and its timers, owned under one lock. A connection
 * attempt (on its own thread) builds a session and a player and hands each in; a disconnect (on the
 * connection loop's thread) or the receiver's close takes them out, possibly at the same moment.
 *
 * <p>Invariants, all under {@code lock}:
 * <ul>
 *   <li>{@code session}, {@code player} and {@code timers} belong to the connection numbered
 *       {@code current}; a part is in a field only while it is live.</li>
 *   <li>Whoever takes a part out of its field closes it (or cancels it), exactly once.</li>
 *   <li>A part handed in for a connection that has ended since (its attempt raced a disconnect) is
 *       never put in a field: the one who handed it in is told to close it, so nothing is left open.</li>
 * </ul>
 *
 * @param <S> the session
 * @param <P> the player
 */
final class LiveConnection<S, P> {
    private final Object lock = new Object();
    private final BiConsumer<P, S> close;
    private long current;
    private boolean closed;
    private S session;
    private P player;
    private final List<Future<?>> timers = new ArrayList<>();

    /** @param close closes a player and a session (either may be null); called outside the lock */
    LiveConnection(BiConsumer<P, S> close) {
        this.close = close;
    }

    /** Where an attempt begins: the connection its parts are for. */
    long begin() {
        synchronized (lock) {
            return current;
        }
    }

    /**
     * The session an attempt made becomes the live one, unless the connection {@code ticket} ended
     * since; then it is closed here and false is returned.
     */
    boolean adoptSession(long ticket, S s) {
        S previous;
        P previousPlayer;
        List<Future<?>> ended;
        synchronized (lock) {
            if (closed || ticket != current) {
                previous = s;
                previousPlayer = null;
                ended = List.of();
            } else {
                // A session still live (no disconnect came between two attempts) is replaced, and closed here.
                previous = session;
                previousPlayer = player;
                ended = List.copyOf(timers);
                timers.clear();
                session = s;
                player = null;
            }
        }
        for (Future<?> t : ended) t.cancel(false);
        if (previous != null || previousPlayer != null) close.accept(previousPlayer, previous);
        return previous != s;
    }

    /** The player of {@code owner} becomes the live one, unless {@code owner} is no longer live; then it is closed here. */
    boolean adoptPlayer(S owner, P p) {
        synchronized (lock) {
            if (session == owner && owner != null) {
                player = p;
                return true;
            }
        }
        close.accept(p, null);
        return false;
    }

    /** A timer of {@code owner}'s, cancelled when it ends (at once, when it has ended already). */
    void attach(S owner, Future<?> timer) {
        synchronized (lock) {
            if (session == owner && owner != null) {
                timers.removeIf(Future::isDone);
                timers.add(timer);
                return;
            }
        }
        timer.cancel(false);
    }

    /** Whether {@code s} is the live session: a listener of an older one stays silent. */
    boolean isLive(S s) {
        synchronized (lock) {
            return s != null && session == s;
        }
    }

    /**
     * Ends the live connection: its timers are cancelled, and {@code closer} is given its player and
     * session to close (nothing when there were none); an attempt still running for it closes what it
     * makes. With {@code forGood}, nothing is adopted after this.
     */
    void end(boolean forGood, BiConsumer<P, S> closer) {
        S s;
        P p;
        List<Future<?>> ended;
        synchronized (lock) {
            current++;
            if (forGood) closed = true;
            s = session;
            p = player;
            session = null;
            player = null;
            ended = List.copyOf(timers);
            timers.clear();
        }
        for (Future<?> t : ended) t.cancel(false);
        if (s != null || p != null) closer.accept(p, s);
    }
}
