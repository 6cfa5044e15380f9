package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;

/** Which tray icon a state shows: a colour and a shape, so it reads without colour too. */
public enum IconState {
    /** Green, a check. */
    CONNECTED("connected"),
    /** Amber, a circular arrow: starting, connecting, retrying, cooling down. */
    BUSY("busy"),
    /** Blue-grey, an open ring: discoverable, waiting for a Spotify app to pick the device. */
    WAITING("waiting"),
    /** Amber with an exclamation mark: connected, but a part is failing. */
    DEGRADED("degraded"),
    /** Red, a cross: given up until the user acts. */
    FAILED("failed");

    private final String fileName;

    IconState(String fileName) {
        this.fileName = fileName;
    }

    /** The base name of this icon's files in {@code icons/} and in the jar ({@code connected}, ...). */
    public String fileName() {
        return fileName;
    }

    public static IconState of(ConnectionState state) {
        if (state instanceof ConnectionState.Connected) return CONNECTED;
        if (state instanceof ConnectionState.Degraded) return DEGRADED;
        if (state instanceof ConnectionState.WaitingForCredentials) return WAITING;
        if (state instanceof ConnectionState.Failed) return FAILED;
        // Starting, Connecting, Retrying, Cooldown, Stopped: on the way somewhere.
        return BUSY;
    }
}
