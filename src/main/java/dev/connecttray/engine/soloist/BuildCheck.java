package dev.connecttray.engine.soloist;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

/** What running {@code --version} says about a build: usable, expired, or broken. */
sealed interface BuildCheck {

    /** It runs, says its version, and has days left (or this is its last day). */
    record Usable(SoloistBuild build) implements BuildCheck {
    }

    /**
     * It has expired: {@code --version} exited 10, or its build date is more than 90 days ago.
     *
     * @param build what it said, when it said it
     */
    record Expired(Optional<SoloistBuild> build) implements BuildCheck {
        /**
         * "on 2026-11-16 (built …)" when its date says so; else why it counts as expired although its
         * date does not say so, for a sentence "… expired " + when(today).
         */
        String when(LocalDate today) {
            if (build.isEmpty()) {
                return "(it exited " + SoloistVersion.EXPIRED_EXIT + ", which Soloist does once its "
                        + SoloistBuild.LIFETIME_DAYS + " days are over)";
            }
            SoloistBuild b = build.get();
            if (b.expiredOn(today)) {
                return "on " + b.expiresOn() + " (built " + b.buildDate() + ", version " + b.version()
                        + "; each build runs " + SoloistBuild.LIFETIME_DAYS + " days)";
            }
            return "(version " + b.version() + " exited " + SoloistVersion.EXPIRED_EXIT + ", which Soloist does once "
                    + "its days are over, although its build date " + b.buildDate() + " gives it until " + b.expiresOn()
                    + "; check this computer's date)";
        }
    }

    /** It cannot be used as Soloist: {@code why} says what happened, in words for a message. */
    record Broken(String why) implements BuildCheck {
    }

    /** Runs {@code binary --version} and judges it as of {@code today}. */
    static BuildCheck of(Path binary, LocalDate today, Duration timeout) throws InterruptedException {
        SoloistVersion.Ran ran;
        try {
            ran = SoloistVersion.run(binary, timeout);
        } catch (IOException e) {
            return new Broken(e.getMessage());
        }
        Optional<SoloistBuild> build = ran.build();
        if (ran.expiredExit()) return new Expired(build);
        if (ran.exitCode() != 0) {
            return new Broken("its --version exited " + ran.exitCode() + firstLine(ran.output()));
        }
        if (build.isEmpty()) return new Broken("its --version output is not Soloist's: " + ran.unreadable());
        if (build.get().expiredOn(today)) return new Expired(build);
        return new Usable(build.get());
    }

    private static String firstLine(String output) {
        for (String line : output.split("\\R")) {
            if (!line.isBlank()) return ", saying " + SoloistBuild.quote(line.strip());
        }
        return " without a word";
    }
}
