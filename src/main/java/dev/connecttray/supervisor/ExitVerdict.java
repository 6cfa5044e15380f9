package dev.connecttray.supervisor;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.util.Objects;

/** What an engine's exit means, as its adapter classified it; {@link ReceiverProcess} decides from it. */
public sealed interface ExitVerdict {

    /** Worth trying again: restart after the backoff, spending budget. */
    record Restart(Failure cause) implements ExitVerdict {
        public Restart {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** A crash: restart like {@link Restart}, but too many within a while is a crash loop (70). */
    record Crashed(Failure cause) implements ExitVerdict {
        public Crashed {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** Retrying cannot help (or the child already used the budget): fail with {@code status}. */
    record GiveUp(Failure cause, ExitStatus status) implements ExitVerdict {
        public GiveUp {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(status, "status");
        }
    }
}
