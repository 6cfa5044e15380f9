package dev.connecttray.engine.soloist;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.ExitVerdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an exit of Soloist means, from its status and its last log lines (engines.md: 0 normal, 1
 * general failure with the reason in the log or on stderr, 10 the build expired; the rest is
 * undocumented). Pure: the engine acts on {@link #EXPIRED} itself.
 */
public final class SoloistExits {
    /** Soloist's status for a build past its 90 days. */
    public static final int EXPIRED = 10;

    /** A rejected, revoked or invalid API key, in the words integrators look for. */
    private static final Pattern KEY_REJECTED = Pattern.compile(
            "(api[ _-]?key|client[ _-]?(id|key)).*(invalid|revoked|rejected|refused|unauthori[sz]ed|denied|not valid|"
                    + "expired|401|403)|(invalid|revoked|rejected|unauthori[sz]ed|unknown).*(api[ _-]?key)|\\bunauthori[sz]ed\\b");
    /** The key's owner has no Premium. */
    private static final Pattern PREMIUM = Pattern.compile("premium.*(required|needed|only)|requires? .*premium");
    /** A complaint about the command line (argument parsing writes to stderr, merged into the log). */
    private static final Pattern USAGE = Pattern.compile(
            "unrecognized option|unknown option|invalid option|invalid argument|missing (required )?(argument|option)|"
                    + "\\brequires\\b|\\brequired\\b|^usage:|\\busage: ");

    private SoloistExits() {
    }

    /**
     * @param run        the ended run
     * @param apiKeyFile where the key came from, for the words when Spotify refused it
     */
    public static ExitVerdict classify(EndedRun run, Path apiKeyFile) {
        int status = run.status();
        Failure reported = run.reported();
        if (reported != null) {
            // The adapter itself decided: a stall to restart from (75), or an engine that cannot start.
            if (status == ExitStatus.TEMPFAIL.code()) return new ExitVerdict.Restart(reported);
            return new ExitVerdict.GiveUp(reported, ExitStatus.ofCode(status).orElse(ExitStatus.SOFTWARE));
        }
        List<String> lines = run.lastLines();
        if (status == 0) {
            return new ExitVerdict.Restart(Failure.transientFailure("Spotify Soloist ended without being asked to "
                    + "(status 0); restarting it", "soloist exit 0"));
        }
        if (status == EXPIRED) {
            return new ExitVerdict.Restart(Failure.transientFailure("The Spotify Soloist build expired (status 10: "
                    + "each build runs for " + SoloistBuild.LIFETIME_DAYS + " days); a fresh build is needed before it starts "
                    + "again", "soloist exit 10"));
        }
        if (status == 126 || status == 127) {
            // setsid (or a shell) could not execute it: a wrong architecture, a missing library or loader.
            return new ExitVerdict.GiveUp(new Failure(FailureKind.CONFIG, "Spotify Soloist could not be executed"
                    + last(lines).map(l -> " (\"" + l + "\")").orElse(" (status " + status + ")") + "; is engine.binary "
                    + "a Soloist build for this computer (Linux, this processor, glibc 2.38 or later)?",
                    "soloist exit " + status), ExitStatus.CONFIG);
        }
        if (run.endedBySignal() && !run.crashedBySignal()) {
            return new ExitVerdict.Restart(Failure.transientFailure("Spotify Soloist was " + run.describeStatus(),
                    "soloist " + run.describeStatus()));
        }
        if (run.endedBySignal()) {
            return new ExitVerdict.Crashed(Failure.internal("Spotify Soloist was " + run.describeStatus()
                    + last(lines).map(l -> " after \"" + l + "\"").orElse(""), "soloist " + run.describeStatus()));
        }
        if (status == 1) {
            Optional<String> key = find(lines, KEY_REJECTED);
            if (key.isPresent()) {
                return new ExitVerdict.GiveUp(Failure.permanent("Spotify refused the Soloist API key in " + apiKeyFile
                        + " (\"" + key.get() + "\"): check the key on " + ApiKeyFile.DASHBOARD + ", or create a new "
                        + "one, put it in that file, and Reconnect (or restart Connect Tray)", "soloist exit 1"), ExitStatus.NOPERM);
            }
            Optional<String> premium = find(lines, PREMIUM);
            if (premium.isPresent()) {
                return new ExitVerdict.GiveUp(Failure.permanent("Spotify Soloist needs an API key created by an "
                        + "account with Premium (\"" + premium.get() + "\"): create one on " + ApiKeyFile.DASHBOARD
                        + ", put it in " + apiKeyFile + ", and Reconnect (or restart Connect Tray)", "soloist exit 1"), ExitStatus.NOPERM);
            }
            Optional<String> usage = find(lines, USAGE);
            if (usage.isPresent()) {
                return new ExitVerdict.GiveUp(new Failure(FailureKind.CONFIG, "Spotify Soloist refused how it was "
                        + "started: \"" + usage.get() + "\"; check engine.binary (is it Spotify Soloist, and recent "
                        + "enough?) and the device name", "soloist exit 1"), ExitStatus.CONFIG);
            }
            return new ExitVerdict.Restart(Failure.transientFailure("Spotify Soloist failed (status 1"
                    + last(lines).map(l -> ": \"" + l + "\"").orElse("") + "); restarting it", "soloist exit 1"));
        }
        return new ExitVerdict.Restart(Failure.transientFailure("Spotify Soloist ended unexpectedly (status " + status
                + last(lines).map(l -> ": \"" + l + "\"").orElse("") + "); restarting it", "soloist exit " + status));
    }

    /** The last line that matches, searched from the end (the cause is usually last). */
    private static Optional<String> find(List<String> lines, Pattern pattern) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (pattern.matcher(line.toLowerCase(Locale.ROOT)).find()) return Optional.of(shorten(line.strip()));
        }
        return Optional.empty();
    }

    private static Optional<String> last(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) return Optional.of(shorten(lines.get(i).strip()));
        }
        return Optional.empty();
    }

    private static String shorten(String line) {
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }
}
