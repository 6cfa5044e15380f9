package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.ui.ColorScheme.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ColorSchemeTest {
    private final List<List<String>> asked = new ArrayList<>();

    private ColorScheme.CommandRunner answering(int exitCode, String stdout) {
        return command -> {
            asked.add(command);
            return Optional.of(new Output(exitCode, stdout));
        };
    }

    @Test
    void gnomePreferDarkIsDark() {
        assertThat(ColorScheme.detect("Linux", answering(0, "'prefer-dark'\n"))).isEqualTo(ColorScheme.DARK);
        assertThat(asked).containsExactly(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"));
        assertThat(ColorScheme.detect("Linux", answering(0, "'default'\n"))).isEqualTo(ColorScheme.LIGHT);
        assertThat(ColorScheme.detect("Linux", answering(0, "'prefer-light'\n"))).isEqualTo(ColorScheme.LIGHT);
        // An older GNOME has no such key: gsettings fails.
        assertThat(ColorScheme.detect("Linux", answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void macDarkIsDarkAndAMissingKeyLight() {
        assertThat(ColorScheme.detect("Mac OS X", answering(0, "Dark\n"))).isEqualTo(ColorScheme.DARK);
        assertThat(asked).containsExactly(List.of("defaults", "read", "-g", "AppleInterfaceStyle"));
        assertThat(ColorScheme.detect("Mac OS X", answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void windowsAppsNotUsingTheLightThemeIsDark() {
        String dark = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize\r\n"
                + "    AppsUseLightTheme    REG_DWORD    0x0\r\n\r\n";
        assertThat(ColorScheme.detect("Windows 11", answering(0, dark))).isEqualTo(ColorScheme.DARK);
        assertThat(asked.get(0)).startsWith("reg", "query").endsWith("/v", "AppsUseLightTheme");
        assertThat(ColorScheme.detect("Windows 11", answering(0, dark.replace("0x0", "0x1")))).isEqualTo(ColorScheme.LIGHT);
        assertThat(ColorScheme.detect("Windows 10", answering(1, ""))).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    void noAnswerIsLight() {
        assertThat(ColorScheme.detect("Linux", command -> Optional.empty())).isEqualTo(ColorScheme.LIGHT);
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aCommandThatHangsOrIsMissingGivesNoAnswer() {
        long start = System.nanoTime();
        assertThat(ColorScheme.run(List.of("sleep", "10"), 200)).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        assertThat(ColorScheme.run(List.of("connect-tray-no-such-command"), 200)).isEmpty();
        assertThat(ColorScheme.run(List.of("echo", "'prefer-dark'"), 2000)).contains(new Output(0, "'prefer-dark'\n"));
    }

    @Test
    void eachSchemeHasItsStylesheet() {
        assertThat(ColorScheme.LIGHT.stylesheet()).endsWith("/dev/connecttray/ui/light.css");
        assertThat(ColorScheme.DARK.stylesheet()).endsWith("/dev/connecttray/ui/dark.css");
    }
}
