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

    /** Starting, Connecting, Retrying, Cooldown and Stopped are on the way somewhere: busy. */
    public static IconState of(ConnectionState state) {
        return state.match(OF_STATE);
    }

    private static final ConnectionState.Cases<IconState> OF_STATE = new ConnectionState.Cases<>() {
        @Override public IconState starting(ConnectionState.Starting s) { return BUSY; }
        @Override public IconState waitingForCredentials(ConnectionState.WaitingForCredentials w) { return WAITING; }
        @Override public IconState connecting(ConnectionState.Connecting c) { return BUSY; }
        @Override public IconState connected(ConnectionState.Connected c) { return CONNECTED; }
        @Override public IconState degraded(ConnectionState.Degraded d) { return DEGRADED; }
        @Override public IconState retrying(ConnectionState.Retrying r) { return BUSY; }
        @Override public IconState cooldown(ConnectionState.Cooldown c) { return BUSY; }
        @Override public IconState failed(ConnectionState.Failed f) { return FAILED; }
        @Override public IconState stopped(ConnectionState.Stopped s) { return BUSY; }
    };
}
