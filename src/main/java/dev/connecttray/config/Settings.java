package dev.connecttray.config;

import dev.connecttray.core.RetrySettings;
import java.nio.file.Path;
import java.util.Objects;

/** The whole configuration, every key filled (from the file or its default). */
public record Settings(int version, String deviceName, DeviceType deviceType, Auth auth, RetrySettings retry,
                       Audio audio, LogLevel logLevel) {
    public Settings {
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(logLevel, "logLevel");
    }

    /** @param credentialsFile null means the state folder's {@code credentials.json} */
    public record Auth(AuthMode mode, Path credentialsFile) {
        public Auth {
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** @param pipe the file written when {@code output} is {@link AudioOutput#PIPE} */
    public record Audio(AudioOutput output, Path pipe) {
        public Audio {
            Objects.requireNonNull(output, "output");
        }
    }
}
