package dev.connecttray.core;

/**
 * The process exit statuses (sysexits.h) that a service manager or script acts on. Every path out
 * of the program maps to exactly one of these.
 */
public enum ExitStatus {
    /** The user quit, or SIGTERM/SIGINT, after a clean shutdown. */
    OK(0, "stopped"),
    /** Bad command line. */
    USAGE(64, "bad command line"),
    /** Spotify stayed unreachable through the whole retry budget. */
    UNAVAILABLE(69, "unavailable: Spotify or the engine, try again later"),
    /** Internal error: a bug, or a receiver that crashed repeatedly. */
    SOFTWARE(70, "internal error"),
    /** The receiver is wedged or lost its connection; restart it. */
    TEMPFAIL(75, "temporary failure, restart"),
    /** Spotify rejected the login or the account. */
    NOPERM(77, "login rejected"),
    /** Invalid configuration file or values. */
    CONFIG(78, "invalid configuration");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** A few words for logs and menus. */
    public String meaning() {
        return meaning;
    }

    /** The status for a numeric code, if it is one of ours. */
    public static java.util.Optional<ExitStatus> ofCode(int code) {
        for (ExitStatus s : values()) {
            if (s.code == code) return java.util.Optional.of(s);
        }
        return java.util.Optional.empty();
    }
}
