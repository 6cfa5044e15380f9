package dev.connecttray.ipc;

/** What the supervisor asks of a receiver process, one JSON object per line on its stdin. */
public enum Command {
    /** Attempt now, with the backoff reset. */
    RECONNECT("reconnect"),
    /** Close everything and exit 0. */
    STOP("stop"),
    /** The machine's network addresses changed: announce the device again on the LAN. */
    NETWORK_CHANGED("network-changed");

    private final String wireName;

    Command(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
