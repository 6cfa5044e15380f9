package dev.connecttray.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings and where they came from.
 *
 * @param fileExisted false when the file was absent and every key has its default
 * @param warnings    soft problems to log (unknown keys), each naming the file and the key
 */
public record LoadedSettings(Settings settings, Path source, boolean fileExisted, List<String> warnings) {
    public LoadedSettings {
        warnings = List.copyOf(warnings);
    }
}
