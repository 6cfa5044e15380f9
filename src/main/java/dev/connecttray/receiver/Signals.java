package dev.connecttray.receiver;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a callback instead of the JVM's default (run shutdown hooks, exit 143):
 * we want an orderly stop and status 0, which a shutdown hook cannot give.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onTerminate(Consumer<String> handler) {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> handler.accept(s.getName()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not every platform has both (Windows has no TERM); the JVM's default then applies.
                LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
