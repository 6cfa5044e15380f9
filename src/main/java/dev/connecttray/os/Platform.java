package dev.connecttray.os;

import java.util.Locale;
import java.util.Objects;

/**
 * The operating system this runs on, the one place that reads {@code os.name}. Code that differs
 * per system asks this; tests pass {@link #of} with another system's name.
 *
 * @param osName the system's name as Java reports it ({@code Linux}, {@code Mac OS X}, {@code Windows 11})
 */
public record Platform(String osName) {

    public Platform {
        Objects.requireNonNull(osName, "osName");
    }

    /** This machine's system. */
    public static Platform current() {
        return new Platform(System.getProperty("os.name", ""));
    }

    /** The system named {@code osName} (the {@code os.name} property's form). */
    public static Platform of(String osName) {
        return new Platform(osName);
    }

    public boolean isWindows() {
        return lowerCase().startsWith("windows");
    }

    /** macOS ({@code Mac OS X}; {@code Darwin} as some tools spell it). */
    public boolean isMac() {
        return lowerCase().startsWith("mac") || lowerCase().startsWith("darwin");
    }

    public boolean isLinux() {
        return lowerCase().startsWith("linux");
    }

    /** The name in lower case, as the version line shows it. */
    public String lowerCase() {
        return osName.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return osName;
    }
}
