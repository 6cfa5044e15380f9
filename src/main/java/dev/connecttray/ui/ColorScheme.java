package dev.connecttray.ui;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    static final long TIMEOUT_MILLIS = 2000;

    private final String stylesheet;

    ColorScheme(String stylesheet) {
        this.stylesheet = stylesheet;
    }

    /** The stylesheet for this scheme, as a URL string for {@code Scene.getStylesheets()}. */
    public String stylesheet() {
        return Objects.requireNonNull(ColorScheme.class.getResource(stylesheet), stylesheet).toExternalForm();
    }

    /** What a command printed on stdout and how it ended. */
    record Output(int exitCode, String stdout) {
    }

    /** Runs a command; empty when it cannot be started or does not finish in time. */
    @FunctionalInterface
    interface CommandRunner {
        Optional<Output> run(List<String> command);
    }

    /** The preference of this desktop. Blocks for up to two seconds: keep it off the JavaFX thread. */
    public static ColorScheme detect() {
        return detect(System.getProperty("os.name", ""), command -> run(command, TIMEOUT_MILLIS));
    }

    static ColorScheme detect(String osName, CommandRunner runner) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return runner.run(List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                    "/v", "AppsUseLightTheme")).map(ColorScheme::fromWindows).orElse(LIGHT);
        }
        if (os.startsWith("mac")) {
            return runner.run(List.of("defaults", "read", "-g", "AppleInterfaceStyle")).map(ColorScheme::fromMac)
                    .orElse(LIGHT);
        }
        return runner.run(List.of("gsettings", "get", "org.gnome.desktop.interface", "color-scheme"))
                .map(ColorScheme::fromGnome).orElse(LIGHT);
    }

    /** {@code 'prefer-dark'} is dark; {@code 'default'} and {@code 'prefer-light'} are light. */
    static ColorScheme fromGnome(Output out) {
        return out.exitCode() == 0 && out.stdout().strip().equals("'prefer-dark'") ? DARK : LIGHT;
    }

    /** The key exists, saying {@code Dark}, only in dark mode; in light mode the command fails. */
    static ColorScheme fromMac(Output out) {
        return out.exitCode() == 0 && out.stdout().strip().equalsIgnoreCase("dark") ? DARK : LIGHT;
    }

    /** {@code AppsUseLightTheme    REG_DWORD    0x0} is dark; 0x1 or no value is light. */
    static ColorScheme fromWindows(Output out) {
        if (out.exitCode() != 0) return LIGHT;
        for (String line : out.stdout().split("\\R")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[0].equals("AppsUseLightTheme") && words[1].equals("REG_DWORD")) {
                return words[2].equalsIgnoreCase("0x0") ? DARK : LIGHT;
            }
        }
        return LIGHT;
    }

    /** Runs {@code command}; empty when it cannot start or has not ended after {@code timeoutMillis}. */
    static Optional<Output> run(List<String> command, long timeoutMillis) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            LOG.debug("Cannot ask for the colour scheme with {}: {}", command.get(0), e.toString());
            return Optional.empty();
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.debug("{} did not answer within {} ms; using the light colour scheme", command.get(0), timeoutMillis);
                p.destroyForcibly();
                return Optional.empty();
            }
            // The answer is one short line: it fits the pipe, so reading after the exit cannot block.
            try (InputStream in = p.getInputStream()) {
                return Optional.of(new Output(p.exitValue(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            LOG.debug("Reading the colour scheme from {} failed: {}", command.get(0), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Optional.empty();
        }
    }
}
