package dev.connecttray.config;

import dev.connecttray.core.RetrySettings;
import java.nio.file.Path;
import java.util.Objects;

/** The whole configuration, every key filled (from the file or its default). */
public record Settings(int version, String deviceName, DeviceType deviceType, Auth auth, RetrySettings retry,
                       Audio audio, Zeroconf zeroconf, LogLevel logLevel) {
    public Settings {
        Objects.requireNonNull(zeroconf, "zeroconf");
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

    /**
     * @param port    the TCP port of the Zeroconf HTTP endpoint that Spotify apps hand their login to;
     *                0 means any free port (a firewall then cannot allow it)
     * @param backend which mDNS responder announces the device
     */
    public record Zeroconf(int port, ZeroconfBackend backend) {
        /** Fixed, so a firewall can allow it; above 1024 (no root needed) and unassigned by IANA. */
        public static final int DEFAULT_PORT = 24879;

        public Zeroconf {
            Objects.requireNonNull(backend, "backend");
            if (port != 0 && (port < 1024 || port > 65535)) {
                throw new IllegalArgumentException("zeroconf.port must be 0 or 1024..65535, got " + port);
            }
        }
    }
}
