package dev.connecttray.core;

/** Whether a failure is worth retrying, and if not, whose move it is. */
public enum FailureKind {
    /** Network, DNS, refused, reset, timeout, 5xx: retry with backoff. */
    TRANSIENT,
    /** Spotify said no (credentials, account, token): retrying cannot help; the user must act. */
    PERMANENT,
    /** Our configuration is unusable: the user must fix the file. */
    CONFIG,
    /** A bug or an unexpected library state. */
    INTERNAL;

    /** The exit status a process ends with when this kind of failure ends it. */
    public ExitStatus exitStatus() {
        return switch (this) {
            case TRANSIENT -> ExitStatus.UNAVAILABLE;
            case PERMANENT -> ExitStatus.NOPERM;
            case CONFIG -> ExitStatus.CONFIG;
            case INTERNAL -> ExitStatus.SOFTWARE;
        };
    }
}
