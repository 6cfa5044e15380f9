package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.core.AfterGiveUp;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
    void afterGiveUpIsReadAndListedByItsConfigNames() throws Exception {
        for (AfterGiveUp a : AfterGiveUp.values()) {
            assertThat(load("{\"retry\": {\"afterGiveUp\": \"" + a.configName() + "\"}}").settings().retry().afterGiveUp())
                    .isEqualTo(a);
            assertThat(ConfigExample.text()).contains("\"" + a.configName() + "\"");
        }
        assertThat(error("{\"retry\": {\"afterGiveUp\": \"restart\"}}").getMessage())
                .contains("`retry.afterGiveUp` must be one of \"cooldown\", \"exit\", got \"restart\"");
    }

    /**
     * The three places the schema lives agree: the keys the loader reads (which are the keys it
     * knows), and the settings records it fills, member by member. A key parsed but kept nowhere, or
     * a setting no key fills, fails here.
     */
    @Test
    void theKeysReadAreTheMembersOfTheSettingsRecords() {
        Map<String, Set<String>> fromRecords = new TreeMap<>();
        members("", Settings.class, fromRecords);
        assertThat(new TreeMap<>(SettingsLoader.keys())).isEqualTo(fromRecords);
        assertThat(SettingsLoader.keys().get("engine")).contains("kind", "binary", "apiKeyFile", "allowDownload",
                "stallLimit");
    }

    private static void members(String prefix, Class<?> type, Map<String, Set<String>> into) {
        Set<String> names = new TreeSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            names.add(c.getName());
            if (c.getType().isRecord()) members(prefix.isEmpty() ? c.getName() : prefix + "." + c.getName(), c.getType(), into);
        }
        into.put(prefix, names);
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

    // --- size and numbers ---

    @Test
    void aConfigFileOverOneMebibyteIsRefusedWithoutReadingIt() throws Exception {
        Path f = dir.resolve("config.json");
        try (var out = Files.newOutputStream(f)) {
            out.write("{\"deviceName\": \"".getBytes());
            byte[] chunk = "x".repeat(1 << 20).getBytes();
            for (int i = 0; i < 30; i++) out.write(chunk);
            out.write("\"}".getBytes());
        }
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> SettingsLoader.load(f, true, AfterGiveUp.COOLDOWN));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(f.toString()).contains("1024 KiB").contains(Long.toString(Files.size(f)));
        assertThat(e.getMessage().length()).isLessThan(300);
        assertThat(load("{\"deviceName\": \"x\"" + " ".repeat(SettingsLoader.MAX_FILE_BYTES - 40) + "}")
                .settings().deviceName()).isEqualTo("x");
    }

    @Test
    void aNumberWithAHugeExponentIsOutOfRangeNotOutOfMemory() throws Exception {
        for (String n : new String[]{"1e999999999", "1e99999999999", "-1e999999999", "1e-999999999", "9".repeat(60)}) {
            ConfigException e = error("{\"retry\": {\"maxAttempts\": " + n + "}}");
            assertThat(e).as(n).isNotNull();
            assertThat(e.getMessage()).as(n).contains(dir.resolve("config.json").toString())
                    .contains("`retry.maxAttempts` must be a whole number from 1 to 1000").hasSizeLessThan(400);
            ConfigException j = error("{\"retry\": {\"jitter\": " + n + "}}");
            assertThat(j.getMessage()).as(n).contains("`retry.jitter` must be a number from 0.0 to 1.0")
                    .hasSizeLessThan(400);
        }
        // Longer than the JSON reader's buffer: it cannot even read it as a number, but says where it is.
        assertThat(error("{\"retry\": {\"maxAttempts\": " + "9".repeat(5000) + "}}").getMessage())
                .contains("`retry.maxAttempts` is a number 5000 characters long").hasSizeLessThan(400);
        assertThat(error("{\"version\": 1e99999999999}").getMessage()).contains("`version`");
        assertThat(error("{\"zeroconf\": {\"port\": 1e999999999}}").getMessage()).contains("`zeroconf.port`");
    }

    @Test
    void numbersInRangeStillReadInAnyNotation() throws Exception {
        Settings s = load("{\"retry\": {\"maxAttempts\": 1.0e1, \"jitter\": 5E-1, \"multiplier\": 3}}").settings();
        assertThat(s.retry().maxAttempts()).isEqualTo(10);
        assertThat(s.retry().jitter()).isEqualTo(0.5);
        assertThat(s.retry().multiplier()).isEqualTo(3.0);
        assertThat(error("{\"retry\": {\"maxAttempts\": 2.5}}").getMessage()).contains("whole number").contains("2.5");
        assertThat(load("{\"retry\": {\"maxAttempts\": 1e3}}").settings().retry().maxAttempts()).isEqualTo(1000);
    }

    // --- messages ---

    @Test
    void nanInfinityAndTrailingContentSayWhatIsWrong() throws Exception {
        assertThat(error("{\"retry\": {\"jitter\": NaN}}").getMessage())
                .contains("line 1 column").contains("`NaN` is not a JSON number").doesNotContain("()");
        assertThat(error("{\"retry\": {\"jitter\": -Infinity}}").getMessage()).contains("`-Infinity` is not a JSON number");
        assertThat(error("{\"version\": 1}\n{\"version\": 1}").getMessage())
                .contains("line 2").contains("unexpected content after the JSON object").contains("{\\\"version");
        assertThat(error("{\"version\": 1} x").getMessage()).contains("unexpected content after the JSON object: \"x\"");
        assertThat(error("{ // comment\n \"version\": 1 }").getMessage()).contains("comments are not allowed");
        assertThat(error("{ version: 1 }").getMessage()).contains("unquoted \"version\"");
        assertThat(error("{ 'version': 1 }").getMessage()).contains("single quotes");
        assertThat(error("{ \"version\": 1, }").getMessage()).contains("trailing comma");
        assertThat(error("{ \"version\": [1, ] }").getMessage()).contains("trailing comma");
        assertThat(error("{ \"version\": tru }").getMessage()).contains("unquoted \"tru\"");
        for (String broken : new String[]{"{\"a\": NaN}", "{} x", "{ // c\n}", "{ a: 1 }", "[1,]", "{\"a\": tru}", "{"}) {
            assertThat(error(broken).getMessage()).as(broken).doesNotContain("()").doesNotContain("JSON ();");
        }
    }

    @Test
    void anOverlongDeviceNameSaysItsLengthOnceAndShowsItsStart() throws Exception {
        String name = "A very long device name that goes on and on, far beyond the sixty-three bytes of the mDNS limit";
        String message = error("{\"deviceName\": \"" + name + "\"}").getMessage();
        assertThat(message).contains("`deviceName` must be at most 63 bytes in UTF-8 (the Zeroconf name limit); got "
                + name.length() + " bytes: \"" + name.substring(0, 80) + "…\"");
        assertThat(message).doesNotContain("characters").containsOnlyOnce(name.length() + " bytes");

        String wide = "\u00e9".repeat(40); // 40 characters, 80 bytes: both are said, once each
        assertThat(error("{\"deviceName\": \"" + wide + "\"}").getMessage())
                .contains("got 80 bytes (40 characters): \"" + wide + "\"").containsOnlyOnce("80 bytes");
        assertThat(error("{\"deviceName\": \"  \"}").getMessage()).contains("`deviceName` must not be blank");
    }

    @Test
    void aHugeOrControlCharacterDeviceNameIsCutAndEscapedInTheMessage() throws Exception {
        // 10 MB is no config file at all; just under the size limit, the name is still not repeated whole.
        assertThat(error("{\"deviceName\": \"" + "A".repeat(10_000_000) + "\"}").getMessage())
                .contains("more than the 1024 KiB").hasSizeLessThan(300);
        ConfigException huge = error("{\"deviceName\": \"" + "A".repeat(1_000_000) + "\"}");
        assertThat(huge.getMessage()).contains("`deviceName`").contains("A".repeat(80) + "…")
                .doesNotContain("A".repeat(81)).contains("got 1000000 bytes: ").hasSizeLessThan(600);

        ConfigException control = error("{\"deviceName\": \"evil\\u001b]0;owned\\u0007\\nname\"}");
        assertThat(control.getMessage()).contains("`deviceName`").contains("\\u001B").contains("\\u0007")
                .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\n");

        ConfigException enumValue = error("{\"logLevel\": \"\\u001b[2J" + "y".repeat(500) + "\"}");
        assertThat(enumValue.getMessage()).contains("`logLevel`").doesNotContain("\u001b").doesNotContain("y".repeat(81));
        ConfigException duration = error("{\"retry\": {\"cooldown\": \"\\u001b[2J\"}}");
        assertThat(duration.getMessage()).contains("`retry.cooldown`").doesNotContain("\u001b");

        LoadedSettings unknown = load("{\"\\u001b[2J" + "k".repeat(500) + "\": 1}");
        assertThat(unknown.warnings().get(0)).doesNotContain("\u001b").doesNotContain("k".repeat(81));
    }

    @Test
    void aDuplicateKeyIsAWarningNamingBothLines() throws Exception {
        LoadedSettings l = load("{\n  \"retry\": {\n    \"jitter\": 0.1,\n    \"maxAttempts\": 3,\n    \"jitter\": 0.3\n  }\n}");
        assertThat(l.settings().retry().jitter()).isEqualTo(0.3);
        assertThat(l.warnings()).hasSize(1);
        assertThat(l.warnings().get(0)).contains(dir.resolve("config.json").toString()).contains("`retry.jitter`")
                .contains("twice").contains("line 3").contains("line 5");
        assertThat(load("{\"version\": 1, \"version\": 1}").warnings().get(0)).contains("`version` appears twice");
    }

    @Test
    void lineSeparatorsAndDirectionControlsInTheDeviceNameAreRefusedNamingTheKey() throws Exception {
        for (String bad : new String[]{"\\u2028", "\\u2029", "\\u202E", "\\u202D", "\\u2066", "\\u2069", "\\u200F",
                "\\u061C", "\\u0085", "\\ud800", "\\t"}) {
            ConfigException e = error("{\"deviceName\": \"Kitchen" + bad + "gnp.exe\"}");
            assertThat(e).as(bad).isNotNull();
            assertThat(e.getMessage()).as(bad).contains("`deviceName` must not contain").contains("U+")
                    .doesNotContain("\u2028").doesNotContain("\u202E").doesNotContain("\u2066");
        }
        // Other scripts and emoji (with their joiners) are names like any other.
        assertThat(load("{\"deviceName\": \"Küche \u05de\u05d8\u05d1\u05d7 \ud83d\udc68\u200d\ud83c\udf73\"}")
                .settings().deviceName()).startsWith("Küche");
    }

    @Test
    void aSyntaxErrorNamesTheFileLineColumnAndWhatWasExpected() throws Exception {
        String missingComma = error("{\n  \"version\": 1\n  \"deviceName\": \"x\"\n}").getMessage();
        assertThat(missingComma).startsWith(dir.resolve("config.json") + " line 3 column 4: not valid JSON: ")
                .contains("expected , or } after the value before it (a missing comma?)").doesNotContain("()");
        assertThat(error("{\"version\" 1}").getMessage()).contains("line 1 column 13").contains("expected : after the name");
        assertThat(error("{\"version\": 1,").getMessage()).contains("the file ends early: expected } or ]");
        assertThat(error("{\"retry\": [1, 2}").getMessage()).contains("expected , or ] after the array element");
        assertThat(error("{\"deviceName\": \"a\\qb\"}").getMessage()).contains("invalid escape in a string");
        assertThat(error("{\"version\": 01}").getMessage()).contains("\"01\" is not a JSON number: expected a number");
        assertThat(error("{\"version\": 1}\n,").getMessage())
                .contains("line 2").contains("unexpected content after the JSON object: \",\"; expected the end of the file");
        // Whatever the reader says, never an empty reason.
        for (String broken : List.of("{", ",", "{,}", "{\"a\": }", "{\"a\": [}", "{\"a\": {]}", "[1", "{\"a\":\"b",
                "{\"a\": 1;}", "{\"a\": -}", "{\"a\" = 1}")) {
            assertThat(error(broken).getMessage()).as(broken).containsPattern("line \\d+ column \\d+: ")
                    .doesNotContain("()").doesNotContain("(End of input)").doesNotContainPattern("JSON: *\\.");
        }
    }
}
