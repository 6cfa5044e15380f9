package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.view.StateText;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.ExitVerdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** go-librespot's exits with the lines it really prints (v0.9.0, cmd/daemon). */
class GoLibrespotExitsTest {
    private static final Path FOLDER = Path.of("/home/u/.local/state/connect-tray/go-librespot");
    private static final String RUNNING = "time=\"2026-12-05T15:00:00Z\" level=info msg=\"running go-librespot v0.9.0\"";
    private static final String API = "time=\"2026-12-05T15:00:00Z\" level=info msg=\"api server listening on "
            + "127.0.0.1:40123\"";
    private final GoLibrespotExits exits = new GoLibrespotExits(FOLDER, 24879);

    private ExitVerdict classify(int status, String... lines) {
        return exits.classify(new EndedRun(42, status, null, null, List.of(lines)));
    }

    @Test
    void theNetworkDownAtStartIsRetriedAsSpotifyUnreachable() {
        String fatal = "time=\"2026-12-05T15:00:01Z\" level=fatal msg=\"failed running zeroconf\" error=\"failed "
                + "getting endpoints from resolver: failed fetching apresolve URL: Get \\\"https://apresolve.spotify.com/"
                + "?type=accesspoint&type=dealer&type=spclient\\\": dial tcp 104.199.65.124:443: i/o timeout\"";

        ExitVerdict verdict = classify(1, RUNNING, API, fatal);

        assertThat(verdict).isInstanceOf(ExitVerdict.Restart.class);
        var cause = ((ExitVerdict.Restart) verdict).cause();
        assertThat(cause.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(StateText.reason(cause)).isEqualTo("Spotify unreachable");
        assertThat(cause.message()).isEqualTo("go-librespot could not get Spotify's server list (Spotify "
                + "unreachable); restarting it");
        assertThat(cause.detail()).isEqualTo(fatal);
    }

    @Test
    void givingUpOnTheAccessPointAfterItsBackoffIsRetried() {
        String line = "time=\"x\" level=error msg=\"failed reconnecting accesspoint, bye bye\" error=\"failed "
                + "performing keyexchange: failed reading APResponseMessage message: EOF\"";

        ExitVerdict verdict = classify(1, RUNNING, API, line);

        assertThat(verdict).isInstanceOfSatisfying(ExitVerdict.Restart.class, r -> {
            assertThat(StateText.reason(r.cause())).isEqualTo("Spotify unreachable");
            assertThat(r.cause().detail()).isEqualTo(line);
        });
    }

    @Test
    void noNameResolutionAtStartIsNoNetwork() {
        ExitVerdict verdict = classify(1, RUNNING, API, "time=\"x\" level=fatal msg=\"failed running zeroconf\" "
                + "error=\"failed getting endpoints from resolver: failed fetching apresolve URL: Get "
                + "\\\"https://apresolve.spotify.com/\\\": dial tcp: lookup apresolve.spotify.com: no such host\"");

        assertThat(verdict).isInstanceOf(ExitVerdict.Restart.class);
        assertThat(StateText.reason(((ExitVerdict.Restart) verdict).cause())).isEqualTo("No network");
        assertThat(((ExitVerdict.Restart) verdict).cause().message()).isEqualTo("go-librespot cannot resolve or "
                + "reach Spotify's servers (is the network down?); restarting it");
    }

    @Test
    void anotherInstanceHoldingTheLockIsAConfigurationFailureNamingTheFolder() {
        String line = "could not start: go-librespot is already running (lockfile: " + FOLDER + "/lockfile)";

        ExitVerdict verdict = classify(1, line);

        assertThat(verdict).isInstanceOf(ExitVerdict.GiveUp.class);
        var giveUp = (ExitVerdict.GiveUp) verdict;
        assertThat(giveUp.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(giveUp.cause().kind()).isEqualTo(FailureKind.CONFIG);
        assertThat(giveUp.cause().message()).contains("Another go-librespot is already running")
                .contains(FOLDER.toString()).contains("stop that one");
        assertThat(giveUp.cause().detail()).isEqualTo(line);
    }

    @Test
    void aRefusedConfigIsAConfigurationFailureNamingTheFile() {
        ExitVerdict verdict = classify(1, "time=\"x\" level=fatal msg=\"failed loading config\" error=\"failed "
                + "reading configuration file: yaml: line 3: could not find expected ':'\"");

        var giveUp = (ExitVerdict.GiveUp) verdict;
        assertThat(giveUp.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(giveUp.cause().message()).contains(FOLDER.resolve("config.yml").toString())
                .contains("yaml: line 3: could not find expected ':'").contains("engine.binary");
        assertThat(StateText.reason(giveUp.cause())).isEqualTo("Configuration invalid");
    }

    @Test
    void aTakenZeroconfPortNamesTheKeyToChange() {
        var giveUp = (ExitVerdict.GiveUp) classify(1, RUNNING, API, "time=\"x\" level=fatal msg=\"failed running "
                + "zeroconf\" error=\"failed initializing zeroconf: failed starting zeroconf listener: listen tcp "
                + ":24879: bind: address already in use\"");

        assertThat(giveUp.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(giveUp.cause().message()).isEqualTo("The Zeroconf port 24879 is taken by another program; set "
                + "zeroconf.port to a free port (or 0 for any), then Reconnect (or restart Connect Tray)");
    }

    @Test
    void aTakenApiPortIsAConfigurationFailureToo() {
        var giveUp = (ExitVerdict.GiveUp) classify(1, RUNNING, "time=\"x\" level=fatal msg=\"failed creating api "
                + "server\" error=\"failed starting api listener: listen tcp 127.0.0.1:0: bind: address already in use\"");

        assertThat(giveUp.status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(giveUp.cause().message()).startsWith("go-librespot could not open its local API port");
    }

    @Test
    void anUnknownFatalErrorIsACrash() {
        var crashed = (ExitVerdict.Crashed) classify(1, RUNNING, API, "time=\"x\" level=fatal msg=\"failed creating "
                + "app\" error=\"open /s/state.json: permission denied\"");

        assertThat(crashed.cause().kind()).isEqualTo(FailureKind.INTERNAL);
        assertThat(crashed.cause().message()).isEqualTo("go-librespot exited with status 1: failed creating app: "
                + "open /s/state.json: permission denied");
    }

    @Test
    void aPanicOrASignalIsACrash() {
        assertThat(classify(2, RUNNING, "panic: runtime error: invalid memory address or nil pointer dereference",
                "", "goroutine 42 [running]:")).isInstanceOfSatisfying(ExitVerdict.Crashed.class,
                c -> assertThat(c.cause().message()).isEqualTo("go-librespot exited with status 2: panic: runtime "
                        + "error: invalid memory address or nil pointer dereference"));
        assertThat(classify(139, RUNNING, API)).isInstanceOfSatisfying(ExitVerdict.Crashed.class,
                c -> assertThat(c.cause().message()).isEqualTo("go-librespot was killed by SIGSEGV"));
        assertThat(classify(137, RUNNING, API)).as("SIGKILL comes from outside (the OOM killer, a user): "
                + "restarted like every engine, not counted as a crash").isInstanceOfSatisfying(ExitVerdict.Restart.class,
                r -> assertThat(r.cause().message()).isEqualTo("go-librespot was killed by SIGKILL"));
    }

    @Test
    void endingWithZeroUnaskedIsRestarted() {
        assertThat(classify(0, RUNNING, API)).isInstanceOfSatisfying(ExitVerdict.Restart.class,
                r -> assertThat(r.cause().message()).isEqualTo("go-librespot ended without being asked to (status 0); "
                        + "restarting it"));
    }

    @Test
    void exitOneWithoutAFatalLineIsACrash() {
        assertThat(classify(1, RUNNING, API)).isInstanceOfSatisfying(ExitVerdict.Crashed.class,
                c -> assertThat(c.cause().message()).isEqualTo("go-librespot exited with status 1 without saying why"));
    }
}
