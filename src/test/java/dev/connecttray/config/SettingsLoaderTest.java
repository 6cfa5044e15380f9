package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.AfterGiveUp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return f;
    }

    private LoadedSettings load(String json) throws Exception {
        return SettingsLoader.load(write(json), true, AfterGiveUp.COOLDOWN);
    }

    private ConfigException error(String json) throws Exception {
        Path f = write(json);
        return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> SettingsLoader.load(f, true, AfterGiveUp.COOLDOWN));
    }

    @Test
    void aMissingDefaultFileMeansDefaultsWithTheModesAfterGiveUp() throws Exception {
        LoadedSettings tray = SettingsLoader.load(dir.resolve("absent.json"), false, AfterGiveUp.COOLDOWN);
        LoadedSettings headless = SettingsLoader.load(dir.resolve("absent.json"), false, AfterGiveUp.EXIT);

        assertThat(tray.fileExisted()).isFalse();
        Settings s = tray.settings();
        assertThat(s.deviceName()).startsWith("Connect Tray (");
        assertThat(s.deviceType()).isEqualTo(DeviceType.COMPUTER);
        assertThat(s.auth().mode()).isEqualTo(AuthMode.ZEROCONF);
        assertThat(s.retry().initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.retry().maxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.retry().multiplier()).isEqualTo(2.0);
        assertThat(s.retry().jitter()).isEqualTo(0.2);
        assertThat(s.retry().maxAttempts()).isEqualTo(10);
        assertThat(s.retry().attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.retry().cooldown()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.retry().afterGiveUp()).isEqualTo(AfterGiveUp.COOLDOWN);
        assertThat(headless.settings().retry().afterGiveUp()).isEqualTo(AfterGiveUp.EXIT);
        assertThat(s.audio().output()).isEqualTo(AudioOutput.MIXER);
        assertThat(s.logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void anExplicitFileThatDoesNotExistIsAnError() {
        Path f = dir.resolve("nope.json");
        assertThatThrownBy(() -> SettingsLoader.load(f, true, AfterGiveUp.EXIT))
                .isInstanceOf(ConfigException.class).hasMessageContaining(f.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void theDesignDocumentsExampleReadsAsWritten() throws Exception {
        Settings s = load("""
                {
                  "version": 1,
                  "deviceName": "Connect Tray (myhost)",
                  "deviceType": "COMPUTER",
                  "auth": { "mode": "zeroconf", "credentialsFile": null },
                  "retry": {
                    "initialDelay": "1s", "maxDelay": "60s", "multiplier": 2.0, "jitter": 0.2,
                    "maxAttempts": 10, "attemptTimeout": "30s", "cooldown": "5m", "afterGiveUp": "cooldown"
                  },
                  "audio": { "output": "mixer", "pipe": null },
                  "logLevel": "info"
                }
                """).settings();
        assertThat(s.deviceName()).isEqualTo("Connect Tray (myhost)");
        assertThat(s.auth().credentialsFile()).isNull();
        assertThat(s.retry().cooldown()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void relativePathsAreRelativeToTheConfigFile() throws Exception {
        Settings s = load("{\"auth\":{\"mode\":\"stored\",\"credentialsFile\":\"creds/c.json\"},"
                + "\"audio\":{\"output\":\"pipe\",\"pipe\":\"out.pcm\"}}").settings();
        assertThat(s.auth().credentialsFile()).isEqualTo(dir.resolve("creds/c.json"));
        assertThat(s.audio().pipe()).isEqualTo(dir.resolve("out.pcm"));
    }

    @Test
    void aSyntaxErrorNamesTheFileLineAndColumn() throws Exception {
        ConfigException e = error("{\n  \"version\": 1,\n  \"retry\": { \"maxAttempts\": 3,, }\n}");
        assertThat(e.getMessage()).contains(dir.resolve("config.json").toString()).contains("line 3")
                .contains("column").contains("not valid JSON");
    }

    @Test
    void commentsAndTrailingCommasAreRefusedStrictly() throws Exception {
        assertThat(error("{ // comment\n \"version\": 1 }")).isNotNull();
        assertThat(error("{ \"version\": 1, }")).isNotNull();
        assertThat(error("{ version: 1 }")).isNotNull();
    }

    @Test
    void aWrongTypeNamesTheKeyAndWhatIsAllowed() throws Exception {
        ConfigException e = error("{\n\"retry\": {\n  \"maxAttempts\": \"ten\"\n}}");
        assertThat(e.getMessage()).contains("line 3").contains("`retry.maxAttempts`")
                .contains("whole number from 1 to 1000").contains("\"ten\"");
    }

    @Test
    void aValueOutOfRangeSaysTheRange() throws Exception {
        assertThat(error("{\"retry\": {\"jitter\": 1.5}}").getMessage())
                .contains("`retry.jitter` must be a number from 0.0 to 1.0, got 1.5");
        assertThat(error("{\"retry\": {\"maxAttempts\": 0}}").getMessage()).contains("from 1 to 1000, got 0");
        assertThat(error("{\"retry\": {\"initialDelay\": \"1 minute\"}}").getMessage())
                .contains("`retry.initialDelay`").contains("\"500ms\"");
    }

    @Test
    void maxDelayBelowInitialDelayIsAContradictionNamingBothKeys() throws Exception {
        assertThat(error("{\"retry\": {\"initialDelay\": \"10s\", \"maxDelay\": \"5s\"}}").getMessage())
                .contains("retry.maxDelay").contains("retry.initialDelay");
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() throws Exception {
        assertThat(error("{\"auth\": {\"mode\": \"password\"}}").getMessage())
                .contains("`auth.mode` must be one of \"zeroconf\", \"stored\", got \"password\"");
    }

    @Test
    void storedModeNeedsACredentialsFile() throws Exception {
        assertThat(error("{\"auth\": {\"mode\": \"stored\"}}").getMessage()).contains("auth.credentialsFile");
    }

    @Test
    void aDeviceNameLongerThanZeroconfAllowsIsRefused() throws Exception {
        assertThat(error("{\"deviceName\": \"" + "\u00e9".repeat(32) + "\"}").getMessage())
                .contains("`deviceName`").contains("63 bytes");
        assertThat(load("{\"deviceName\": \"" + "x".repeat(63) + "\"}").settings().deviceName()).hasSize(63);
    }

    @Test
    void onlyVersionOneIsRead() throws Exception {
        assertThat(error("{\"version\": 2}").getMessage()).contains("`version` must be 1");
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        assertThat(error("  \n").getMessage()).contains("is empty");
    }

    @Test
    void nullWhereAValueIsNeededIsAnError() throws Exception {
        assertThat(error("{\"deviceName\": null}").getMessage()).contains("`deviceName` must not be null");
    }

    @Test
    void anUnknownKeyIsAWarningWithADidYouMean() throws Exception {
        LoadedSettings l = load("{\"version\": 1, \"retry\": {\"maxAttempt\": 4}, \"colour\": \"blue\"}");
        assertThat(l.warnings()).hasSize(2);
        assertThat(l.warnings().get(0)).contains("unknown key `retry.maxAttempt`")
                .contains("did you mean `retry.maxAttempts`?");
        assertThat(l.warnings().get(1)).contains("unknown key `colour`");
        assertThat(l.settings().retry().maxAttempts()).isEqualTo(10);
    }

    @Test
    void theLoaderNeverChangesTheFileEvenWhenItIsBroken() throws Exception {
        Path f = write("{ \"retry\": { \"jitter\": 7 } ");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000L));
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> SettingsLoader.load(f, true, AfterGiveUp.EXIT)).isInstanceOf(ConfigException.class);
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(1_000_000_000L);
    }

    @Test
    void theZeroconfPortIsFixedByDefaultAndZeroMeansAnyFreePort() throws Exception {
        Settings defaults = load("{\"version\": 1}").settings();
        assertThat(defaults.zeroconf().port()).isEqualTo(24879);
        assertThat(defaults.zeroconf().backend()).isEqualTo(ZeroconfBackend.AUTO);

        Settings any = load("{\"version\": 1, \"zeroconf\": {\"port\": 0, \"backend\": \"builtin\"}}").settings();
        assertThat(any.zeroconf().port()).isZero();
        assertThat(any.zeroconf().backend()).isEqualTo(ZeroconfBackend.BUILTIN);
        assertThat(load("{\"version\": 1, \"zeroconf\": {\"backend\": \"avahi\"}}").settings().zeroconf().backend())
                .isEqualTo(ZeroconfBackend.AVAHI);
    }

    @Test
    void aPrivilegedOrImpossibleZeroconfPortNamesTheKeyAndWhatIsAllowed() throws Exception {
        assertThat(error("{\"version\": 1, \"zeroconf\": {\"port\": 80}}").getMessage())
                .contains("zeroconf.port").contains("1024..65535").contains("80");
        assertThat(error("{\"version\": 1, \"zeroconf\": {\"port\": 70000}}").getMessage())
                .contains("zeroconf.port");
        assertThat(error("{\"version\": 1, \"zeroconf\": {\"backend\": \"bonjour\"}}").getMessage())
                .contains("zeroconf.backend").contains("avahi");
    }
}
