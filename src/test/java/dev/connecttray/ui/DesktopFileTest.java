package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The packages' desktop file names the WM_CLASS the status window has, so desktops group the window under the app. */
class DesktopFileTest {
    @Test
    void startupWmClassIsTheWindowsClass() throws Exception {
        assertThat(Files.readAllLines(Path.of("installer/linux/resources/connect-tray.desktop")))
                .contains("StartupWMClass=" + FxPlatform.WM_CLASS);
    }
}
