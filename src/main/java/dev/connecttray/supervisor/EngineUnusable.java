package dev.connecttray.supervisor;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import java.io.IOException;
import java.util.Objects;

/**
 * An engine cannot be started now. Until the user acts (its binary is missing or expired and cannot
 * be refreshed, its API key is missing or readable by others): the supervisor fails with
 * {@link #status()} instead of retrying. Or, with {@link ExitStatus#TEMPFAIL}, not yet (its download
 * failed): the supervisor tries again with its backoff, as after any temporary failure.
 */
public final class EngineUnusable extends IOException {
    private final transient Failure failure;
    private final ExitStatus status;

    public EngineUnusable(Failure failure, ExitStatus status) {
        super(Objects.requireNonNull(failure, "failure").message());
        this.failure = failure;
        this.status = Objects.requireNonNull(status, "status");
    }

    public EngineUnusable(Failure failure, ExitStatus status, Throwable cause) {
        this(failure, status);
        initCause(cause);
    }

    public Failure failure() {
        return failure;
    }

    public ExitStatus status() {
        return status;
    }
}
