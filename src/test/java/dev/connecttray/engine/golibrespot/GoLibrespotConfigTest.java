package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.DeviceType;
import dev.connecttray.config.LogLevel;
import dev.connecttray.fakeengines.FakeGoLibrespotYaml;
import dev.connecttray.os.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoLibrespotConfigTest {

    @Test
    void theConfigHasZeroconfWithPersistedCredentialsAndTheApiOnLoopbackOnAFreePort() throws Exception {
        var config = new GoLibrespotConfig("Connect Tray (desk)", DeviceType.SPEAKER, 24879, null, "pulseaudio", null, "info");

        Map<String, String> read = FakeGoLibrespotYaml.parse(config.yaml());

        assertThat(read).containsEntry("device_name", "Connect Tray (desk)")
                .containsEntry("device_type", "speaker")
                .containsEntry("zeroconf_enabled", "true")
                .containsEntry("zeroconf_port", "24879")
                .containsEntry("credentials.type", "zeroconf")
                .containsEntry("credentials.zeroconf.persist_credentials", "true")
                .containsEntry("server.enabled", "true")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", "0")
                .containsEntry("log_level", "info")
                .containsEntry("audio_backend", "pulseaudio")
                .doesNotContainKey("audio_output_pipe")
                .as("its own responder unless ours is chosen").doesNotContainKey("zeroconf_backend");
    }

    @Test
    void aNameWithQuotesColonsAndHashesReadsBackAsItself() throws Exception {
        String name = "Jo's \"den\": #1 \\ caf\u00e9\tx";
        var config = new GoLibrespotConfig(name, DeviceType.COMPUTER, 0, "avahi", "pipe", Path.of("/tmp/a b/audio.pcm"), "debug");

        Map<String, String> read = FakeGoLibrespotYaml.parse(config.yaml());

        assertThat(read).containsEntry("device_name", name)
                .containsEntry("audio_backend", "pipe")
                .containsEntry("audio_output_pipe", "/tmp/a b/audio.pcm")
                .containsEntry("zeroconf_port", "0")
                .containsEntry("zeroconf_backend", "avahi");
    }

    @Test
    void itIsMadeFromConnectTraysOwnSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"version": 1, "deviceName": "Den", "deviceType": "SPEAKER", "logLevel": "debug",
                 "audio": {"output": "pipe", "pipe": "out.pcm"},
                 "zeroconf": {"port": 24999, "backend": "builtin"},
                 "engine": {"kind": "go-librespot"}}
                """);
        var settings = dev.connecttray.config.SettingsLoader.load(file, true,
                dev.connecttray.core.AfterGiveUp.EXIT).settings();

        var config = GoLibrespotConfig.of(settings);

        assertThat(config).isEqualTo(new GoLibrespotConfig("Den", DeviceType.SPEAKER, 24999, "builtin", "pipe",
                dir.resolve("out.pcm").toAbsolutePath(), "debug"));
        assertThat(GoLibrespotConfig.of(dev.connecttray.config.SettingsLoader.defaults(
                dev.connecttray.core.AfterGiveUp.EXIT)).zeroconfPort())
                .as("the same fixed port as the embedded engine's, for the firewall").isEqualTo(24879);
    }

    @Test
    void theAudioBackendFitsThePlatform(@TempDir Path runtime) throws Exception {
        assertThat(GoLibrespotConfig.audioBackend(Platform.of("Mac OS X"), Map.of())).isEqualTo("audio-toolbox");
        assertThat(GoLibrespotConfig.audioBackend(Platform.of("Windows 11"), Map.of())).isEqualTo("wasapi");
        assertThat(GoLibrespotConfig.audioBackend(Platform.of("Linux"), Map.of("XDG_RUNTIME_DIR", runtime.toString())))
                .as("no sound server answers").isEqualTo("alsa");
        Files.createDirectories(runtime.resolve("pulse"));
        Files.createFile(runtime.resolve("pulse/native"));
        assertThat(GoLibrespotConfig.audioBackend(Platform.of("Linux"), Map.of("XDG_RUNTIME_DIR", runtime.toString())))
                .as("PulseAudio or PipeWire's pulse server").isEqualTo("pulseaudio");
        assertThat(GoLibrespotConfig.audioBackend(Platform.of("Linux"), Map.of("PULSE_SERVER", "tcp:host")))
                .isEqualTo("pulseaudio");
    }

    @Test
    void itLogsAtInfoUnlessOursIsMoreDetailed() {
        assertThat(GoLibrespotConfig.logLevel(LogLevel.WARN)).isEqualTo("info");
        assertThat(GoLibrespotConfig.logLevel(LogLevel.INFO)).isEqualTo("info");
        assertThat(GoLibrespotConfig.logLevel(LogLevel.DEBUG)).isEqualTo("debug");
        assertThat(GoLibrespotConfig.logLevel(LogLevel.TRACE)).isEqualTo("debug");
    }
}
