package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.os.Platform;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AppPathsTest {
    private static final Path HOME = Path.of("/home/alice");

    @Test
    void linuxFollowsXdg() {
        AppPaths p = AppPaths.forEnvironment(Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_STATE_HOME", "/st"),
                new Properties(), Platform.of("Linux"), HOME);
        assertThat(p.configFile()).isEqualTo(Path.of("/cfg/connect-tray/config.json"));
        assertThat(p.stateDir()).isEqualTo(Path.of("/st/connect-tray"));
        assertThat(p.logDir()).isEqualTo(Path.of("/st/connect-tray/logs"));
        assertThat(p.dataDir()).isEqualTo(Path.of("/home/alice/.local/share/connect-tray"));
    }

    @Test
    void linuxDataFolderFollowsXdgDataHome() {
        AppPaths p = AppPaths.forEnvironment(Map.of("XDG_DATA_HOME", "/data"), new Properties(), Platform.of("Linux"), HOME);
        assertThat(p.dataDir()).isEqualTo(Path.of("/data/connect-tray"));
    }

    @Test
    void linuxIgnoresEmptyOrRelativeXdgVariables() {
        AppPaths p = AppPaths.forEnvironment(Map.of("XDG_CONFIG_HOME", "", "XDG_STATE_HOME", "rel/state"),
                new Properties(), Platform.of("Linux"), HOME);
        assertThat(p.configFile()).isEqualTo(Path.of("/home/alice/.config/connect-tray/config.json"));
        assertThat(p.stateDir()).isEqualTo(Path.of("/home/alice/.local/state/connect-tray"));
    }

    @Test
    void macOsUsesLibraryFolders() {
        AppPaths p = AppPaths.forEnvironment(Map.of(), new Properties(), Platform.of("Mac OS X"), HOME);
        assertThat(p.configFile()).isEqualTo(HOME.resolve("Library/Application Support/Connect Tray/config.json"));
        assertThat(p.logDir()).isEqualTo(HOME.resolve("Library/Logs/Connect Tray"));
    }

    @Test
    void windowsUsesAppData() {
        AppPaths p = AppPaths.forEnvironment(Map.of("APPDATA", "/appdata/roaming", "LOCALAPPDATA", "/appdata/local"),
                new Properties(), Platform.of("Windows 11"), HOME);
        assertThat(p.configFile()).isEqualTo(Path.of("/appdata/roaming/Connect Tray/config.json"));
        assertThat(p.stateDir()).isEqualTo(Path.of("/appdata/local/Connect Tray"));
        assertThat(p.logDir()).isEqualTo(Path.of("/appdata/local/Connect Tray/logs"));
    }

    @Test
    void systemPropertiesOverrideEachFolder() {
        Properties props = new Properties();
        props.setProperty("connecttray.configFile", "/etc/ct.json");
        props.setProperty("connecttray.logDir", "/var/log/ct");
        props.setProperty("connecttray.dataDir", "/srv/ct");
        AppPaths p = AppPaths.forEnvironment(Map.of(), props, Platform.of("Linux"), HOME);
        assertThat(p.configFile()).isEqualTo(Path.of("/etc/ct.json"));
        assertThat(p.stateDir()).isEqualTo(Path.of("/home/alice/.local/state/connect-tray"));
        assertThat(p.logDir()).isEqualTo(Path.of("/var/log/ct"));
        assertThat(p.dataDir()).isEqualTo(Path.of("/srv/ct"));
    }
}
