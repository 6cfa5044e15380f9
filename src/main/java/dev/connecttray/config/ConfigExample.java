package dev.connecttray.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The example configuration written next to the config file when the user opens its folder: a
 * folder with nothing in it tells a first-time user nothing. {@code config.example.json} holds
 * every key at its default (strict JSON, so it has no comments) and {@code config.example.txt}
 * says what each key means and how to use the example. Neither is ever {@code config.json}: the
 * user's file is never written.
 */
public final class ConfigExample {
    public static final String JSON_NAME = "config.example.json";
    public static final String TEXT_NAME = "config.example.txt";

    private ConfigExample() {
    }

    /** The example config: every key at its default, the device name this machine's. */
    public static String json() {
        return resource(JSON_NAME).replace("\"@DEVICE_NAME@\"",
                new com.google.gson.Gson().toJson(SettingsLoader.defaultDeviceName()));
    }

    /** What each key means. */
    public static String text() {
        return resource(TEXT_NAME);
    }

    /**
     * Writes (or brings up to date) the two example files in the folder of {@code configFile};
     * files already up to date are left as they are.
     *
     * @return the files written
     * @throws IOException the folder cannot be written (the user's config.json is untouched either way)
     */
    public static List<Path> writeNextTo(Path configFile) throws IOException {
        Path folder = Objects.requireNonNull(configFile.toAbsolutePath().getParent(), "configFile has no folder");
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        for (String[] file : List.of(new String[]{JSON_NAME, json()}, new String[]{TEXT_NAME, text()})) {
            Path target = folder.resolve(file[0]);
            if (target.equals(configFile.toAbsolutePath())) continue; // someone named their config so
            if (Files.isRegularFile(target) && Files.readString(target).equals(file[1])) continue;
            AtomicFiles.refuseSymbolicLink(target);
            AtomicFiles.write(target, file[1].getBytes(StandardCharsets.UTF_8));
            written.add(target);
        }
        return written;
    }

    private static String resource(String name) {
        try (InputStream in = ConfigExample.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the application");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
