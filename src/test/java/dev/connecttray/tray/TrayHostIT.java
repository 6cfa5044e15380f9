package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TrayHost} against a real X server: none on a bare Xvfb, one once trayer (an XEmbed
 * system tray) runs on it, none after trayer is gone. Needs the Debian packages xvfb and trayer.
 */
class TrayHostIT {
    @Test
    void aTrayHostIsPresentWhileTrayerRuns() throws Exception {
        try (XDesktop desktop = XDesktop.start(Path.of("target", "trayhost-it"))) {
            // Only DISPLAY: no session bus, so the answer comes from the X server alone.
            Map<String, String> env = Map.of("DISPLAY", desktop.display());
            assertThat(TrayHost.displayPresent(env)).isTrue();
            assertThat(TrayHost.present(env)).as("a bare X server has no tray").isFalse();

            desktop.startTrayHost();
            assertThat(TrayHost.present(env)).isTrue();

            desktop.stopTrayHost();
            assertThat(XDesktop.within(XDesktop.STARTUP, () -> !TrayHost.present(env)))
                    .as("no tray once trayer is gone").isTrue();
        }
    }
}
