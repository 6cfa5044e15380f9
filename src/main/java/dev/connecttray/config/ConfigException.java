package dev.connecttray.config;

import java.nio.file.Path;

/** The configuration cannot be used; the message names the file, the key and what is allowed. */
public final class ConfigException extends Exception {
    private final Path file;

    public ConfigException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
