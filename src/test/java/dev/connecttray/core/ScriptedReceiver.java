package dev.connecttray.core;

import java.util.ArrayDeque;
import java.util.Deque;

/** A {@link Receiver} that answers attempts from a script, for the supervisor's unit tests. */
final class ScriptedReceiver implements Receiver {
    private final Deque<Failure> failures = new ArrayDeque<>();
    boolean hasCredentials = true;
    int connectCalls;
    int disconnectCalls;
    Listener listener;
    String user = "alice";

    ScriptedReceiver failWith(Failure failure, int times) {
        for (int i = 0; i < times; i++) failures.add(failure);
        return this;
    }

    @Override
    public boolean hasCredentials() {
        return hasCredentials;
    }

    @Override
    public String connect(int attempt) throws ReceiverFailure {
        connectCalls++;
        Failure next = failures.poll();
        if (next != null) throw new ReceiverFailure(next, null);
        return user;
    }

    @Override
    public void disconnect() {
        disconnectCalls++;
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }
}
