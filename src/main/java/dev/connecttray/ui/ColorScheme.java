package dev.connecttray.ui;

import dev.connecttray.os.CommandRunner;
import dev.connecttray.os.CommandRunner.Result;
import dev.connecttray.os.Platform;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Light or dark, as the desktop prefers. JavaFX 21 has no API for the preference, so each
 * platform's own setting is read with an external command; anything unclear means light.
 */
public enum ColorScheme {
    LIGHT("light.css"), DARK("dark.css");

    private static final Logger LOG = LoggerFactory.getLogger(ColorScheme.class);
    /** A desktop that takes longer than this to answer is treated as having no preference. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String stylesheet;

    ColorScheme(String stylesheet) {
        this.stylesheet = stylesheet;
    }

    /** The stylesheet for this scheme, as a URL string for {@code Scene.getStylesheets()}. */
    public String stylesheet() {
        return Objects.requireNonNull(ColorScheme.class.getResource(stylesheet), stylesheet).toExternalForm();
    }

    /** The preference of this desktop. Blocks for up to two seconds: keep it off the JavaFX thread. */
    public static ColorScheme detect() {
        return detect(Platform.current(), CommandRunner.PROCESSES_OUTPUT_ONLY);
    }

    static ColorScheme detect(Platform platform, CommandRunner runner) {
        if (platform.isWindows()) {
            return ask(runner, List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme")).map(ColorScheme::fromWindows).orElse(LIGHT);
        }
        if (platform.isMac()) {
            return ask(runner, List.of("defaults", "read", "-g", "AppleInterfaceStyle")).map(ColorScheme::fromMac)
                    .orElse(LIGHT);
        }
        return ask(runner, List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"))
                .map(ColorScheme::fromGnome).orElse(LIGHT);
    }

    /** {@code 'prefer-dark'} is dark; {@code 'default'} and {@code 'prefer-light'} are light. */
    static ColorScheme fromGnome(Result out) {
        return out.exitCode() == 0 && out.output().strip().equals("'prefer-dark'") ? DARK : LIGHT;
    }

    /** The key exists, saying {@code Dark}, only in dark mode; in light mode the command fails. */
    static ColorScheme fromMac(Result out) {
        return out.exitCode() == 0 && out.output().strip().equalsIgnoreCase("dark") ? DARK : LIGHT;
    }

    /** {@code AppsUseLightTheme    REG_DWORD    0x0} is dark; 0x1 or no value is light. */
    static ColorScheme fromWindows(Result out) {
        if (out.exitCode() != 0) return LIGHT;
        for (String line : out.output().split("\\R")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[0].equals("AppsUseLightTheme") && words[1].equals("REG_DWORD")) {
                return words[2].equalsIgnoreCase("0x0") ? DARK : LIGHT;
            }
        }
        return LIGHT;
    }

    /** What {@code command} answered; empty when it cannot start or has not ended in time. */
    static Optional<Result> ask(CommandRunner runner, List<String> command) {
        try {
            Result result = runner.run(command, Map.of(), TIMEOUT);
            if (result.timedOut()) {
                LOG.debug("{} did not answer within {} ms; using the light colour scheme", command.get(0),
                        TIMEOUT.toMillis());
                return Optional.empty();
            }
            return Optional.of(result);
        } catch (IOException e) {
            LOG.debug("Cannot ask for the colour scheme with {}: {}", command.get(0), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
