package dev.connecttray.core;

/**
 * The port through which {@link ConnectionLoop} drives a Spotify Connect implementation.
 * Implementations classify their own failures; the connection loop decides when to try again.
 */
public interface Receiver {

    /**
     * Whether there are credentials to log in with. False in Zeroconf mode until a Spotify app
     * has picked the device; the receiver then calls {@link Listener#credentialsArrived()}.
     */
    boolean hasCredentials();

    /**
     * Makes one connection attempt and returns once the device is connected. May block for as long
     * as the library blocks; the connection loop bounds it with the attempt timeout, so it is called on a
     * thread of its own.
     *
     * @param attempt the attempt number within the current round, from 1
     * @return the user logged in
     * @throws ReceiverFailure the attempt failed, classified
     */
    String connect(int attempt) throws ReceiverFailure;

    /**
     * Closes whatever the last attempt opened (session, player). Must return promptly even if the
     * library hangs: blocking close calls belong on a throwaway thread.
     */
    void disconnect();

    /** Receives the listener; called once, before the first {@link #connect}. */
    void setListener(Listener listener);

    /** What the receiver tells the connection loop between attempts. Calls may come from any thread. */
    interface Listener {
        /** The connection made by the last successful attempt is gone. */
        void connectionDropped(Failure cause);

        /** Connected, but a part is failing; {@code reason} says which, in words. */
        void degraded(String reason);

        /** Every part that was failing works again. */
        void healthy();

        /** A Spotify app handed over credentials (Zeroconf): connect now. */
        void credentialsArrived();

        /**
         * The process ran out of something it needs (file descriptors, threads) and stayed out: it
         * cannot go on. The connection loop fails with 75, so a service manager or the parent process
         * starts a fresh one.
         */
        void exhausted(Failure cause);
    }

    /** A classified failure of one attempt. */
    final class ReceiverFailure extends Exception {
        private final Failure failure;

        public ReceiverFailure(Failure failure, Throwable cause) {
            super(failure.message(), cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
