package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.os.CommandRunner;
import dev.connecttray.os.CommandRunner.Result;
import dev.connecttray.os.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColorSchemeTest {
    private final List<List<String>> asked = new ArrayList<>();

    private CommandRunner answering(int exitCode, String stdout) {
        return (command, environment, timeout) -> {
            asked.add(command);
            return new Result(exitCode, stdout, false);
        };
    }

    @Test
    void gnomePreferDarkIsDark() {
        assertThat(ColorScheme.detect(Platform.of("Linux"), answering(0, "'prefer-dark'\n"))).isEqualTo(ColorScheme.DARK);
        assertThat(asked).containsExactly(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"));
        assertThat(ColorScheme.detect(Platform.of("Linux"), answering(0, "'default'\n"))).isEqualTo(ColorScheme.LIGHT);
        assertThat(ColorScheme.detect(Platform.of("Linux"), answering(0, "'prefer-light'\n"))).isEqualTo(ColorScheme.LIGHT);
        // An older GNOME has no such key: gsettings fails.
        assertThat(ColorScheme.detect(Platform.of("Linux"), answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void macDarkIsDarkAndAMissingKeyLight() {
        assertThat(ColorScheme.detect(Platform.of("Mac OS X"), answering(0, "Dark\n"))).isEqualTo(ColorScheme.DARK);
        assertThat(asked).containsExactly(List.of("defaults", "read", "-g", "AppleInterfaceStyle"));
        assertThat(ColorScheme.detect(Platform.of("Mac OS X"), answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void windowsAppsNotUsingTheLightThemeIsDark() {
        String dark = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize\r\n"
                + "    AppsUseLightTheme    REG_DWORD    0x0\r\n\r\n";
        assertThat(ColorScheme.detect(Platform.of("Windows 11"), answering(0, dark))).isEqualTo(ColorScheme.DARK);
        assertThat(asked.get(0)).startsWith("reg", "query").endsWith("/v", "AppsUseLightTheme");
        assertThat(ColorScheme.detect(Platform.of("Windows 11"), answering(0, dark.replace("0x0", "0x1")))).isEqualTo(ColorScheme.LIGHT);
        assertThat(ColorScheme.detect(Platform.of("Windows 10"), answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void noAnswerIsLight() {
        assertThat(ColorScheme.detect(Platform.of("Linux"), (command, environment, timeout) -> new Result(-1, "", true)))
                .isEqualTo(ColorScheme.LIGHT);
        assertThat(ColorScheme.detect(Platform.of("Linux"), (command, environment, timeout) -> {
            throw new IOException("Cannot run program \"gsettings\": error=2, No such file or directory");
        })).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void eachSchemeHasItsStylesheet() {
        assertThat(ColorScheme.LIGHT.stylesheet()).endsWith("/dev/connecttray/ui/light.css");
        assertThat(ColorScheme.DARK.stylesheet()).endsWith("/dev/connecttray/ui/dark.css");
    }
}
