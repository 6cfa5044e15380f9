package dev.connecttray.core;

import java.util.Objects;

/**
 * Why an attempt or a connection failed, classified.
 *
 * @param kind    whether retrying can help
 * @param message what happened, in words a user can act on
 * @param detail  the technical cause (exception class and message), for logs; never a secret
 */
public record Failure(FailureKind kind, String message, String detail) {
    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        detail = detail == null ? "" : detail;
    }

    public static Failure transientFailure(String message, String detail) {
        return new Failure(FailureKind.TRANSIENT, message, detail);
    }

    public static Failure permanent(String message, String detail) {
        return new Failure(FailureKind.PERMANENT, message, detail);
    }

    public static Failure internal(String message, String detail) {
        return new Failure(FailureKind.INTERNAL, message, detail);
    }

    public boolean isTransient() {
        return kind == FailureKind.TRANSIENT;
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? message : message + " (" + detail + ")";
    }
}
