package dev.connecttray.config;

import dev.connecttray.os.Platform;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where the config file, the state (device id, credentials, history), the logs and the data (the
 * managed Soloist copy) live, per OS. The packaged launcher or a test may override each with a system
 * property ({@code connecttray.configFile}, {@code connecttray.stateDir}, {@code connecttray.logDir},
 * {@code connecttray.dataDir}).
 */
public record AppPaths(Path configFile, Path stateDir, Path logDir, Path dataDir) {
    private static final String APP = "connect-tray";
    private static final String APP_TITLE = "Connect Tray";

    /** Paths whose data folder is the state folder. */
    public AppPaths(Path configFile, Path stateDir, Path logDir) {
        this(configFile, stateDir, logDir, stateDir);
    }

    /** The paths for this process's environment. */
    public static AppPaths current() {
        return forEnvironment(System.getenv(), System.getProperties(), Platform.current(),
                Path.of(System.getProperty("user.home")));
    }

    public static AppPaths forEnvironment(Map<String, String> env, Properties props, Platform platform, Path home) {
        Path config;
        Path state;
        Path logs;
        Path data;
        if (platform.isWindows()) {
            Path roaming = dir(env, "APPDATA", home.resolve("AppData").resolve("Roaming"));
            Path local = dir(env, "LOCALAPPDATA", home.resolve("AppData").resolve("Local"));
            config = roaming.resolve(APP_TITLE).resolve("config.json");
            state = local.resolve(APP_TITLE);
            logs = state.resolve("logs");
            data = state;
        } else if (platform.isMac()) {
            Path support = home.resolve("Library").resolve("Application Support").resolve(APP_TITLE);
            config = support.resolve("config.json");
            state = support;
            logs = home.resolve("Library").resolve("Logs").resolve(APP_TITLE);
            data = support;
        } else {
            config = dir(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve(APP).resolve("config.json");
            state = dir(env, "XDG_STATE_HOME", home.resolve(".local").resolve("state")).resolve(APP);
            logs = state.resolve("logs");
            data = dir(env, "XDG_DATA_HOME", home.resolve(".local").resolve("share")).resolve(APP);
        }
        return new AppPaths(override(props, "connecttray.configFile", config),
                override(props, "connecttray.stateDir", state),
                override(props, "connecttray.logDir", logs),
                override(props, "connecttray.dataDir", data));
    }

    /** The files of ours that the state folder may hold, each owner-only. */
    private static final List<String> STATE_FILES = List.of("instance.lock", "device-id", "device-id.bad",
            "credentials.json", "history.jsonl", "history.1.jsonl", "soloist-consent.json");

    /**
     * What {@link #makePrivate()} did: {@code changed} names what was more open than owner-only
     * (empty when nothing was), {@code problems} what could not be changed.
     */
    public record Privacy(List<String> changed, List<String> problems) {
        /** One line for the log, or null when there is nothing to say. */
        public String summary() {
            return changed.isEmpty() ? null : "Made the state and log folders owner-only; they were readable by others: "
                    + String.join(", ", changed);
        }
    }

    /**
     * Creates the state and log folders owner-only (0700) if missing, and tightens what is already
     * there: the folders to 0700, our files in them (the lock, the device id, the credentials, the
     * history, the logs) to 0600. Symbolic links are left alone, never followed.
     *
     * @throws IOException a folder cannot be created (the message says why, such as "No space left
     *                     on device")
     */
    public Privacy makePrivate() throws IOException {
        List<String> changed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        AtomicFiles.createPrivateDirectories(stateDir);
        tighten(stateDir, changed, problems);
        for (String name : STATE_FILES) tighten(stateDir.resolve(name), changed, problems);
        AtomicFiles.createPrivateDirectories(logDir);
        tighten(logDir, changed, problems);
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir,
                p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path log : logs) tighten(log, changed, problems);
        } catch (IOException e) {
            problems.add("cannot list " + logDir + ": " + e.getMessage());
        }
        return new Privacy(List.copyOf(changed), List.copyOf(problems));
    }

    private static void tighten(Path p, List<String> changed, List<String> problems) {
        try {
            AtomicFiles.tighten(p).ifPresent(was -> changed.add(p + " (was " + was + ")"));
        } catch (IOException | UnsupportedOperationException e) {
            problems.add("cannot make " + p + " owner-only: " + e.getMessage());
        }
    }

    /** An environment folder, ignored when empty or relative (as the XDG spec says). */
    private static Path dir(Map<String, String> env, String name, Path fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        Path p = Path.of(v);
        return p.isAbsolute() ? p : fallback;
    }

    private static Path override(Properties props, String key, Path fallback) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? fallback : Path.of(v);
    }
}
