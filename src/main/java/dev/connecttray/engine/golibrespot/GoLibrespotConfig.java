package dev.connecttray.engine.golibrespot;

import dev.connecttray.config.AudioOutput;
import dev.connecttray.config.DeviceType;
import dev.connecttray.config.LogLevel;
import dev.connecttray.config.Settings;
import dev.connecttray.os.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code config.yml} Connect Tray writes for go-librespot before every start: Zeroconf with the
 * credentials a Spotify app hands over kept in go-librespot's folder, and its API server on loopback
 * on a port the system picks (read back from its log). Everything else is go-librespot's default.
 *
 * <p>The Zeroconf port is our own {@code zeroconf.port}: only one engine runs at a time, so the port
 * a user opened in a firewall for Connect Tray stays the one phones reach, whichever engine runs.
 *
 * @param deviceName   the name phones show
 * @param deviceType   the icon phones show
 * @param zeroconfPort the TCP port of go-librespot's Zeroconf endpoint; 0 = any free port
 * @param zeroconfBackend go-librespot's {@code zeroconf_backend} ("avahi", "builtin"), or null for its
 *                     default (its own responder): our {@code zeroconf.backend} when not "auto"
 * @param audioBackend go-librespot's {@code audio_backend}
 * @param pipe         the file written by the {@code pipe} backend, else null
 * @param logLevel     go-librespot's {@code log_level}
 */
public record GoLibrespotConfig(String deviceName, DeviceType deviceType, int zeroconfPort, String zeroconfBackend,
                                String audioBackend, Path pipe, String logLevel) {
    public GoLibrespotConfig {
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(audioBackend, "audioBackend");
        Objects.requireNonNull(logLevel, "logLevel");
        if (audioBackend.equals("pipe")) Objects.requireNonNull(pipe, "pipe");
    }

    /** The configuration for Connect Tray's settings on this machine. */
    public static GoLibrespotConfig of(Settings settings) {
        boolean pipe = settings.audio().output() == AudioOutput.PIPE && settings.audio().pipe() != null;
        String backend = switch (settings.zeroconf().backend()) {
            case AUTO -> null;
            case AVAHI -> "avahi";
            case BUILTIN -> "builtin";
        };
        return new GoLibrespotConfig(settings.deviceName(), settings.deviceType(), settings.zeroconf().port(), backend,
                pipe ? "pipe" : audioBackend(Platform.current(), System.getenv()),
                pipe ? settings.audio().pipe().toAbsolutePath() : null, logLevel(settings.logLevel()));
    }

    /**
     * go-librespot's audio backend for the platform: the platform's own on macOS and Windows; on
     * Linux PulseAudio when a sound server answers that protocol (PulseAudio itself, or PipeWire's
     * pulse server, on every desktop), else ALSA's default device (a headless box).
     */
    static String audioBackend(Platform platform, Map<String, String> env) {
        if (platform.isMac()) return "audio-toolbox";
        if (platform.isWindows()) return "wasapi";
        String server = env.get("PULSE_SERVER");
        if (server != null && !server.isBlank()) return "pulseaudio";
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "pulse", "native"))) {
            return "pulseaudio";
        }
        return "alsa";
    }

    /** go-librespot logs at info unless ours is more detailed; trace would log every event it sends. */
    static String logLevel(LogLevel ours) {
        return switch (ours) {
            case TRACE, DEBUG -> "debug";
            case INFO, WARN, ERROR -> "info";
        };
    }

    /** The file's text. */
    public String yaml() {
        StringBuilder y = new StringBuilder();
        y.append("# Written by Connect Tray before every start of go-librespot; changes here are replaced.\n");
        y.append("# Change Connect Tray's own config instead (deviceName, deviceType, zeroconf.port, audio).\n");
        y.append("log_level: ").append(logLevel).append('\n');
        y.append("device_name: ").append(quoted(deviceName)).append('\n');
        y.append("device_type: ").append(deviceType.name().toLowerCase(Locale.ROOT)).append('\n');
        y.append("zeroconf_enabled: true\n");
        y.append("zeroconf_port: ").append(zeroconfPort).append('\n');
        if (zeroconfBackend != null) y.append("zeroconf_backend: ").append(zeroconfBackend).append('\n');
        y.append("credentials:\n");
        y.append("  type: zeroconf\n");
        y.append("  zeroconf:\n");
        y.append("    persist_credentials: true\n");
        y.append("server:\n");
        y.append("  enabled: true\n");
        y.append("  address: 127.0.0.1\n");
        y.append("  port: 0\n");
        y.append("audio_backend: ").append(audioBackend).append('\n');
        if (pipe != null) {
            y.append("audio_output_pipe: ").append(quoted(pipe.toString())).append('\n');
        }
        return y.toString();
    }

    /** A YAML double-quoted scalar: any name or path reads back as itself. */
    static String quoted(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) q.append(String.format("\\x%02x", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }
}
