package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.os.Platform;
import dev.connecttray.view.TrayMenu;
import dev.connecttray.view.TrayMenuBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Start at login" exists only for an installed app image, never for one in a build folder. */
class AutostartTest {
    private static final Path HOME = Path.of("/home/alice");

    @TempDir
    Path dir;

    @Test
    void theLinuxPackagesLauncherIsInstalled() {
        assertThat(Autostart.isInstalled(Path.of("/opt/connect-tray/bin/connect-tray"), Platform.of("Linux"), Map.of(), HOME)).isTrue();
        assertThat(Autostart.isInstalled(Path.of("/usr/lib/connect-tray/bin/connect-tray"), Platform.of("Linux"), Map.of(), HOME)).isTrue();
    }

    @Test
    void anImageInAMavenBuildFolderIsNot() throws IOException {
        Path project = Files.createDirectories(dir.resolve("connect-tray"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path launcher = project.resolve("target/connect-tray/bin/connect-tray");

        assertThat(Autostart.isInstalled(launcher, Platform.of("Linux"), Map.of(), HOME)).isFalse();
    }

    @Test
    void anImageUnpackedInTheHomeFolderIsNot() {
        assertThat(Autostart.isInstalled(Path.of("/home/alice/apps/connect-tray/bin/connect-tray"), Platform.of("Linux"), Map.of(), HOME))
                .isFalse();
        assertThat(Autostart.isInstalled(Path.of("/tmp/connect-tray/bin/connect-tray"), Platform.of("Linux"), Map.of(), HOME)).isFalse();
    }

    @Test
    void aTargetFolderWithoutAPomIsNotABuildFolder() {
        // Only a target folder beside a pom.xml is Maven's: /opt/target/... is an ordinary install.
        assertThat(Autostart.isInstalled(Path.of("/opt/target/connect-tray/bin/connect-tray"), Platform.of("Linux"), Map.of(), HOME))
                .isTrue();
    }

    @Test
    void macOsApplicationsFolders() {
        assertThat(Autostart.isInstalled(Path.of("/Applications/Connect Tray.app/Contents/MacOS/Connect Tray"),
                Platform.of("Mac OS X"), Map.of(), HOME)).isTrue();
        assertThat(Autostart.isInstalled(HOME.resolve("Applications/Connect Tray.app/Contents/MacOS/Connect Tray"),
                Platform.of("Mac OS X"), Map.of(), HOME)).isTrue();
        assertThat(Autostart.isInstalled(HOME.resolve("Downloads/Connect Tray.app/Contents/MacOS/Connect Tray"),
                Platform.of("Mac OS X"), Map.of(), HOME)).isFalse();
    }

    @Test
    void windowsProgramFoldersWhateverTheCaseOrSlash() {
        Map<String, String> env = Map.of("ProgramFiles", "C:\\Program Files", "LOCALAPPDATA", "C:\\Users\\alice\\AppData\\Local");
        assertThat(Autostart.isInstalled(Path.of("c:\\program files\\Connect Tray\\Connect Tray.exe"), Platform.of("Windows 11"), env, HOME))
                .isTrue();
        assertThat(Autostart.isInstalled(Path.of("C:\\Users\\alice\\AppData\\Local\\connect-tray\\connect-tray.exe"),
                Platform.of("Windows 11"), env, HOME)).isTrue();
        assertThat(Autostart.isInstalled(Path.of("C:\\Users\\alice\\src\\connect-tray\\target\\connect-tray\\Connect Tray.exe"),
                Platform.of("Windows 11"), env, HOME)).isFalse();
        assertThat(Autostart.isInstalled(Path.of("C:\\Program Files Extra\\Connect Tray\\Connect Tray.exe"), Platform.of("Windows 11"), env, HOME))
                .as("a folder that only starts with the same letters").isFalse();
    }

    @Test
    void theTrayMenuOfADevImageHasNoStartAtLogin() throws IOException {
        Path project = Files.createDirectories(dir.resolve("connect-tray"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path launcher = Files.createDirectories(project.resolve("target/connect-tray/bin")).resolve("connect-tray");
        Files.writeString(launcher, "#!/bin/sh\n");

        var autostart = Autostart.forCurrentOs(launcher);
        TrayMenu menu = TrayMenuBuilder.build(new ConnectionState.Starting(), Instant.EPOCH,
                autostart.map(Autostart::isEnabled).orElse(null));

        assertThat(autostart).isEmpty();
        assertThat(menu.items()).noneMatch(item -> item instanceof TrayMenu.Check c && c.label().equals("Start at login"));
    }
}
