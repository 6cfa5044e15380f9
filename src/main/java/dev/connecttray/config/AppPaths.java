package dev.connecttray.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the config file, the state (device id, credentials, history) and the logs live, per OS.
 * The packaged launcher or a test may override each with a system property
 * ({@code connecttray.configFile}, {@code connecttray.stateDir}, {@code connecttray.logDir}).
 */
public record AppPaths(Path configFile, Path stateDir, Path logDir) {
    private static final String APP = "connect-tray";
    private static final String APP_TITLE = "Connect Tray";

    /** The paths for this process's environment. */
    public static AppPaths current() {
        return forEnvironment(System.getenv(), System.getProperties(), System.getProperty("os.name", ""),
                Path.of(System.getProperty("user.home")));
    }

    public static AppPaths forEnvironment(Map<String, String> env, Properties props, String osName, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        Path config;
        Path state;
        Path logs;
        if (os.startsWith("windows")) {
            Path roaming = dir(env, "APPDATA", home.resolve("AppData").resolve("Roaming"));
            Path local = dir(env, "LOCALAPPDATA", home.resolve("AppData").resolve("Local"));
            config = roaming.resolve(APP_TITLE).resolve("config.json");
            state = local.resolve(APP_TITLE);
            logs = state.resolve("logs");
        } else if (os.startsWith("mac")) {
            Path support = home.resolve("Library").resolve("Application Support").resolve(APP_TITLE);
            config = support.resolve("config.json");
            state = support;
            logs = home.resolve("Library").resolve("Logs").resolve(APP_TITLE);
        } else {
            config = dir(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve(APP).resolve("config.json");
            state = dir(env, "XDG_STATE_HOME", home.resolve(".local").resolve("state")).resolve(APP);
            logs = state.resolve("logs");
        }
        return new AppPaths(override(props, "connecttray.configFile", config),
                override(props, "connecttray.stateDir", state),
                override(props, "connecttray.logDir", logs));
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
