package dev.connecttray.engine.soloist;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Soloist build as its {@code --version} line tells it, e.g.
 * {@code soloist 1.3.7.345 build 1787077868 (20260818) (gb24005ef46) (linux/aarch64)}. Each build
 * runs for {@link #LIFETIME_DAYS} days from its build date.
 *
 * @param version   "1.3.7.345"
 * @param buildDate the date in brackets
 */
public record SoloistBuild(String version, LocalDate buildDate) {
    public static final int LIFETIME_DAYS = 90;

    /** "soloist", the version, then the rest of the line. */
    private static final Pattern LINE = Pattern.compile("soloist\\s+v?(\\d+(?:\\.\\d+)+)\\b(.*)");
    /** "build 1787077868": the build time as a Unix epoch. */
    private static final Pattern EPOCH = Pattern.compile("\\bbuild\\s+(\\d{9,11})\\b");
    /** "(20260818)": the build date; other brackets (commit, platform, whatever comes later) are ignored. */
    private static final Pattern DATE = Pattern.compile("\\((\\d{8})\\)");
    private static final int QUOTE_LIMIT = 120;

    public SoloistBuild {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildDate, "buildDate");
    }

    /**
     * Reads a {@code soloist --version} line. The version and the build date are required; the date
     * is the bracketed {@code (YYYYMMDD)}, else the date of the {@code build} epoch (UTC). Any other
     * bracket, before or after, is ignored, so a later build adding one still parses.
     *
     * @throws IllegalArgumentException the line is not a Soloist version line; the message quotes it
     */
    public static SoloistBuild parse(String line) {
        String text = line == null ? "" : line.strip();
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Soloist --version line (expected \"soloist 1.3.7.345 build "
                    + "1787077868 (20260818) …\"): " + quote(text));
        }
        String rest = m.group(2);
        Matcher date = DATE.matcher(rest);
        while (date.find()) {
            try {
                return new SoloistBuild(m.group(1), LocalDate.of(Integer.parseInt(date.group(1).substring(0, 4)),
                        Integer.parseInt(date.group(1).substring(4, 6)), Integer.parseInt(date.group(1).substring(6))));
            } catch (DateTimeException notADate) {
                // eight digits that are no date (a commit-like bracket): look on
            }
        }
        Matcher epoch = EPOCH.matcher(rest);
        if (epoch.find()) {
            return new SoloistBuild(m.group(1),
                    LocalDate.ofInstant(Instant.ofEpochSecond(Long.parseLong(epoch.group(1))), ZoneOffset.UTC));
        }
        throw new IllegalArgumentException("the Soloist --version line has no build date (expected \"(YYYYMMDD)\" "
                + "or \"build <epoch>\"): " + quote(text));
    }

    /** The last day it runs. */
    public LocalDate expiresOn() {
        return buildDate.plusDays(LIFETIME_DAYS);
    }

    /** Days from {@code today} until it expires; 0 on its last day, less once it has expired. */
    public long daysLeft(LocalDate today) {
        return ChronoUnit.DAYS.between(today, expiresOn());
    }

    /** Whether it has expired by its date: {@code today} is after {@link #expiresOn()}. */
    public boolean expiredOn(LocalDate today) {
        return today.isAfter(expiresOn());
    }

    /** "1.3.7.345 (built 2026-08-18)". */
    public String describe() {
        return version + " (built " + buildDate + ")";
    }

    /** {@code text} in quotes, cut short and with control characters shown as '?', for a message. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(text.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > QUOTE_LIMIT) b.append('…');
        return b.append('"').toString();
    }
}
