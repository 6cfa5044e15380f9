package dev.connecttray.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The process's signals and halts for a service under test: a signal comes when the test sends it; halts are recorded. */
public final class FakeProcessControl implements ProcessControl {
    private Consumer<String> handler;
    private boolean signalled;
    /** The halts armed, as "STATUS after DURATION". */
    public final List<String> halts = new ArrayList<>();
    /** The delay asked for with {@link #haltAfterSignal}, or null. */
    public Duration haltAfter;

    /** A stop signal, such as "TERM", handed to the service's handler. */
    public void send(String signal) {
        signalled = true;
        handler.accept(signal);
    }

    @Override
    public boolean stopping() {
        return signalled;
    }

    @Override
    public void onTerminate(Consumer<String> handler) {
        this.handler = handler;
    }

    @Override
    public void haltAfterSignal(Duration delay) {
        haltAfter = delay;
    }

    @Override
    public void armHalt(ExitStatus status, Duration delay) {
        halts.add(status + " after " + delay);
    }
}
