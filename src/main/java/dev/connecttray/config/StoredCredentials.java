package dev.connecttray.config;

import java.util.Objects;

/**
 * Reusable Spotify credentials, as librespot stores them. {@link #toString()} never shows the
 * secret, so a stray log line cannot leak it.
 */
public record StoredCredentials(String username, String type, byte[] data) {
    public StoredCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(type, "type");
        data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredCredentials c && c.username.equals(username) && c.type.equals(type)
                && java.util.Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, type, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "StoredCredentials[username=" + username + ", type=" + type + ", data=<redacted>]";
    }
}
