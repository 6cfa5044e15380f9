package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connecttray.core.AfterGiveUp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example config stays in step with the keys the loader knows: a new key without an example fails here. */
class ConfigExampleTest {
    @TempDir
    Path dir;

    /** Every key the loader knows, dotted ("retry.maxDelay"). */
    private static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : SettingsLoader.keys().entrySet()) {
            for (String k : e.getValue()) {
                String dotted = e.getKey().isEmpty() ? k : e.getKey() + "." + k;
                if (!SettingsLoader.keys().containsKey(dotted)) keys.add(dotted); // objects: their members count
            }
        }
        return keys;
    }

    private static void leaves(String prefix, JsonObject o, Set<String> into) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isJsonObject()) leaves(key, e.getValue().getAsJsonObject(), into);
            else into.add(key);
        }
    }

    @Test
    void theExampleHasEveryKeyAndTheTextExplainsEach() {
        Set<String> inExample = new TreeSet<>();
        leaves("", JsonParser.parseString(ConfigExample.json()).getAsJsonObject(), inExample);
        assertThat(knownKeys()).isNotEmpty();
        assertThat(inExample).isEqualTo(knownKeys());
        String text = ConfigExample.text();
        for (String key : knownKeys()) {
            assertThat(text).as("config.example.txt explains %s", key).containsPattern("(?m)^" + key.replace(".", "\\.") + "\\s");
        }
    }

    @Test
    void theExampleLoadsWithoutAWarningAndChangesNothing() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, ConfigExample.json());
        LoadedSettings loaded = SettingsLoader.load(file, true, AfterGiveUp.COOLDOWN);
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.settings()).as("a copy of the example is the defaults (tray mode's)")
                .isEqualTo(SettingsLoader.defaults(AfterGiveUp.COOLDOWN));
    }

    @Test
    void writtenNextToTheConfigWhichIsNeverTouched() throws Exception {
        Path folder = dir.resolve("connect-tray");
        Path config = folder.resolve("config.json");
        assertThat(ConfigExample.writeNextTo(config)).containsExactly(folder.resolve(ConfigExample.JSON_NAME),
                folder.resolve(ConfigExample.TEXT_NAME));
        assertThat(config).as("a first run gets the example, not a config").doesNotExist();
        assertThat(folder.resolve(ConfigExample.JSON_NAME)).hasContent(ConfigExample.json());
        assertThat(ConfigExample.writeNextTo(config)).as("up to date: not written again").isEmpty();

        Files.writeString(config, "{\"version\": 1, \"logLevel\": \"debug\"}");
        Files.writeString(folder.resolve(ConfigExample.JSON_NAME), "{\"old\": true}");
        assertThat(ConfigExample.writeNextTo(config)).containsExactly(folder.resolve(ConfigExample.JSON_NAME));
        assertThat(config).hasContent("{\"version\": 1, \"logLevel\": \"debug\"}");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("config.json", ConfigExample.JSON_NAME, ConfigExample.TEXT_NAME);
        }
    }

    @Test
    void aConfigNamedLikeTheExampleIsNotOverwritten() throws Exception {
        Path config = dir.resolve(ConfigExample.JSON_NAME);
        Files.writeString(config, "{\"version\": 1}");
        ConfigExample.writeNextTo(config);
        assertThat(config).hasContent("{\"version\": 1}");
    }

    @Test
    void theExampleSaysWhatTheReadmeSaysJitterDoes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String text = ConfigExample.text().replaceAll("\\s+", " ");
        String says = "each wait is shortened at random by up to this fraction, never lengthened";
        assertThat(readme).contains("| `retry.jitter` | number from 0.0 to 1.0: " + says);
        assertThat(text).contains("retry.jitter " + says).doesNotContain("varies");
    }
}
