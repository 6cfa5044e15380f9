package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.os.Platform;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which command lines start the tray before they are parsed ({@link Main#desktopLaunch}): only
 * tray mode on a display, so that a question (--help, status), the receiver child or a headless
 * run never starts JavaFX and the tray library for nothing.
 */
class DesktopLaunchTest {
    private static final Map<String, String> X11 = Map.of("DISPLAY", ":0");

    @Test
    void trayModeOnADisplayStartsTheTrayEarly() {
        assertThat(Main.desktopLaunch(new String[0], X11, Platform.of("Linux"))).isTrue();
        assertThat(Main.desktopLaunch(new String[]{"--config", "/tmp/c.json", "--log-level=debug"}, X11, Platform.of("Linux"))).isTrue();
        assertThat(Main.desktopLaunch(new String[]{"--config=/tmp/c.json", "--log-level", "warn"}, X11, Platform.of("Linux"))).isTrue();
        assertThat(Main.desktopLaunch(new String[0], Map.of("WAYLAND_DISPLAY", "wayland-0"), Platform.of("Linux"))).isTrue();
        assertThat(Main.desktopLaunch(new String[0], Map.of(), Platform.of("Windows 11"))).isTrue();
        assertThat(Main.desktopLaunch(new String[0], Map.of(), Platform.of("Mac OS X"))).isTrue();
    }

    @Test
    void questionsTheChildHeadlessAndNoDisplayDoNot() {
        for (String[] args : new String[][]{{"--help"}, {"--version"}, {"-V"}, {"status"}, {"--headless"},
                {"receiver", "--supervised"}, {"--config"}, {"--config", "c.json", "--headless"}, {"--bogus"}}) {
            assertThat(Main.desktopLaunch(args, X11, Platform.of("Linux"))).as(String.join(" ", args)).isFalse();
        }
        assertThat(Main.desktopLaunch(new String[0], Map.of(), Platform.of("Linux"))).as("no display").isFalse();
        assertThat(Main.desktopLaunch(new String[0], Map.of("DISPLAY", ""), Platform.of("Linux"))).as("an empty DISPLAY").isFalse();
    }

    @Test
    void theLastLogLevelGivenIsTheOneThatCounts() {
        assertThat(Main.logLevelArgument(new String[]{"--config", "c.json"})).isNull();
        assertThat(Main.logLevelArgument(new String[]{"--log-level", "debug"})).isEqualTo("debug");
        assertThat(Main.logLevelArgument(new String[]{"--log-level=warn", "--log-level", "trace"})).isEqualTo("trace");
        assertThat(Main.logLevelArgument(new String[]{"--log-level"})).as("no value: picocli says so").isNull();
    }
}
