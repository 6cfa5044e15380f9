package dev.connecttray.engine.soloist;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

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

    public SoloistBuild {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildDate, "buildDate");
    }

    /** The last day it runs. */
    public LocalDate expiresOn() {
        return buildDate.plusDays(LIFETIME_DAYS);
    }

    /** Days from {@code today} until it expires; 0 or less once it has. */
    public long daysLeft(LocalDate today) {
        return ChronoUnit.DAYS.between(today, expiresOn());
    }
}
