package dev.connecttray.engine.golibrespot;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.ExitVerdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What an exit of go-librespot means. It ends with 1 for every fatal error, so the status alone
 * does not tell a network that is down at start (its resolver fails and it gives up at once) from
 * a configuration it refuses: the last fatal line of its log does.
 */
public final class GoLibrespotExits {
    private static final String NAME = "go-librespot";
    private static final List<String> NETWORK_WORDS = List.of("failed getting endpoints from resolver", "apresolve",
            // it gives up on its access point after its backoff (about 15 min) and exits 1 (an error line, not fatal)
            "failed reconnecting accesspoint",
            "no such host", "network is unreachable", "no route to host", "connection refused", "connection reset",
            "i/o timeout", "tls handshake timeout", "context deadline exceeded", "server misbehaving",
            "temporary failure in name resolution");
    private static final List<String> OFFLINE_WORDS = List.of("no such host", "network is unreachable",
            "no route to host", "temporary failure in name resolution", "server misbehaving");
    private static final List<String> CONFIG_WORDS = List.of("failed loading config",
            "failed reading configuration file", "failed to unmarshal configuration", "invalid config override",
            "failed loading command line configuration", "unknown credentials", "invalid device type",
            "failed creating config directory", "could not lock config directory");

    private final Path folder;
    private final int zeroconfPort;

    /**
     * @param folder       go-librespot's folder (its config.yml and lockfile), named in the words
     * @param zeroconfPort the Zeroconf port it was given, named when it could not bind it
     */
    public GoLibrespotExits(Path folder, int zeroconfPort) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.zeroconfPort = zeroconfPort;
    }

    public ExitVerdict classify(EndedRun run) {
        int status = run.status();
        if (run.reported() != null && run.reported().kind() == FailureKind.CONFIG) {
            return new ExitVerdict.GiveUp(run.reported(), ExitStatus.CONFIG); // the adapter ended it, and said why
        }
        if (status == 0) {
            return new ExitVerdict.Restart(Failure.transientFailure(NAME + " ended without being asked to "
                    + "(status 0); restarting it", "go-librespot exit 0"));
        }
        LogLine last = lastFatal(run.lastLines());
        String detail = last == null ? NAME + " exit " + status : last.raw();
        if (run.endedBySignal() && !run.crashedBySignal()) {
            return new ExitVerdict.Restart(Failure.transientFailure(NAME + " was " + run.describeStatus(), detail));
        }
        if (status > 128) {
            return new ExitVerdict.Crashed(Failure.internal(NAME + " was " + run.describeStatus(), detail));
        }
        if (status != 1 || last == null) {
            return new ExitVerdict.Crashed(Failure.internal(NAME + " exited with " + run.describeStatus()
                    + (last == null ? " without saying why" : ": " + last.text()), detail));
        }
        String text = last.text();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("already running")) {
            return new ExitVerdict.GiveUp(new Failure(FailureKind.CONFIG, "Another go-librespot is already running "
                    + "with Connect Tray's go-librespot folder (" + folder + "); stop that one, then Reconnect (or restart Connect Tray)",
                    detail), ExitStatus.CONFIG);
        }
        if (lower.contains("address already in use") || lower.contains("bind:")) {
            boolean zeroconf = lower.contains("zeroconf");
            String what = zeroconf
                    ? "The Zeroconf port " + (zeroconfPort == 0 ? "" : zeroconfPort + " ")
                    + "is taken by another program; set zeroconf.port to a free port (or 0 for any), then Reconnect (or restart Connect Tray)"
                    : "go-librespot could not open its local API port: " + text;
            return new ExitVerdict.GiveUp(new Failure(FailureKind.CONFIG, what, detail), ExitStatus.CONFIG);
        }
        for (String word : CONFIG_WORDS) {
            if (lower.contains(word)) {
                return new ExitVerdict.GiveUp(new Failure(FailureKind.CONFIG, "go-librespot refused the configuration "
                        + "Connect Tray wrote for it (" + folder.resolve("config.yml") + "): " + text
                        + "; check that engine.binary is go-librespot 0.9 or newer", detail), ExitStatus.CONFIG);
            }
        }
        for (String word : OFFLINE_WORDS) {
            if (lower.contains(word)) {
                return new ExitVerdict.Restart(Failure.transientFailure("go-librespot cannot resolve or reach "
                        + "Spotify's servers (is the network down?); restarting it", detail));
            }
        }
        for (String word : NETWORK_WORDS) {
            if (lower.contains(word)) {
                return new ExitVerdict.Restart(Failure.transientFailure("go-librespot could not get Spotify's server "
                        + "list (Spotify unreachable); restarting it", detail));
            }
        }
        return new ExitVerdict.Crashed(Failure.internal(NAME + " exited with status 1: " + text, detail));
    }

    /** The last line go-librespot printed when it gave up, or else its last warning or error, or null. */
    static LogLine lastFatal(List<String> lines) {
        LogLine warning = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            LogLine line = LogLine.parse(lines.get(i));
            if (line.fatal()) return line;
            if (warning == null && line.level() != null && line.level().equals("error")) warning = line;
        }
        return warning;
    }
}
