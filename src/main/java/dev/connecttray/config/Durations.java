package dev.connecttray.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in the config file: {@code "500ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    public static final String ALLOWED = "a whole number followed by ms, s, m or h, such as \"500ms\", \"30s\", \"5m\"";

    private Durations() {
    }

    /** Parses one duration; the message of the exception says what is allowed. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new IllegalArgumentException("must be " + ALLOWED + ", got \"" + text + "\"");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The shortest string {@link #parse} reads back as {@code d}. */
    public static String format(Duration d) {
        return dev.connecttray.core.DurationText.shortDuration(d);
    }
}
