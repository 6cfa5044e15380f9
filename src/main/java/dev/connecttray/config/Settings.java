package dev.connecttray.config;

import dev.connecttray.core.RetrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** The whole configuration, every key filled (from the file or its default). */
public record Settings(int version, String deviceName, DeviceType deviceType, Auth auth, RetrySettings retry,
                       Audio audio, Zeroconf zeroconf, Engine engine, LogLevel logLevel) {
    public Settings {
        Objects.requireNonNull(zeroconf, "zeroconf");
        Objects.requireNonNull(engine, "engine");
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

    /**
     * The engine the supervisor runs as its child.
     *
     * @param kind          which engine
     * @param binary        the external engine's executable; null: the managed Soloist copy, or a PATH lookup
     * @param apiKeyFile    the owner-only file holding the user's Soloist API key; null: {@code soloist-api-key}
     *                      in the state folder
     * @param allowDownload the user's consent to download, keep and refresh Spotify Soloist from Spotify's build
     *                      host (recorded by the tray's question, the command line or the file)
     * @param stallLimit    how long an engine may say "playing" while the position stands still before the
     *                      connection counts as degraded (and, as long again, before the engine is restarted)
     */
    public record Engine(EngineKind kind, Path binary, Path apiKeyFile, boolean allowDownload, Duration stallLimit) {
        public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(20);

        public Engine {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(stallLimit, "stallLimit");
        }

        public static Engine defaults() {
            return new Engine(EngineKind.EMBEDDED, null, null, false, DEFAULT_STALL_LIMIT);
        }
    }
}
