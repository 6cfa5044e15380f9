package dev.connecttray.config;

import java.util.Locale;

/** Which Spotify Connect engine the supervisor runs as its child ({@code engine.kind}). */
public enum EngineKind {
    /** Our receiver with librespot-java, repaired for today's Spotify (the default). */
    EMBEDDED("Embedded (librespot-java)"),
    /** Spotify's official headless Connect player (Linux, the user's own API key). */
    SOLOIST("Spotify Soloist"),
    /** go-librespot, a binary the user supplies. */
    GO_LIBRESPOT("go-librespot");

    private final String displayName;

    EngineKind(String displayName) {
        this.displayName = displayName;
    }

    /** The value in the config file: {@code embedded}, {@code soloist}, {@code go-librespot}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The engine's name for people: the tray, the status window, the log. */
    public String displayName() {
        return displayName;
    }
}
