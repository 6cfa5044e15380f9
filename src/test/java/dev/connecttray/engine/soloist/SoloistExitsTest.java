package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.view.StateText;
import dev.connecttray.fakeengines.FakeSoloist;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.ExitVerdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoloistExitsTest {
    private static final Path KEY_FILE = Path.of("/home/u/.local/state/connect-tray/soloist-api-key");

    private static ExitVerdict classify(int status, String... lines) {
        return SoloistExits.classify(new EndedRun(42, status, null, null, List.of(lines)), KEY_FILE);
    }

    @Test
    void aNormalExitNobodyAskedForIsRestarted() {
        ExitVerdict v = classify(0, "[I] shutting down");
        assertThat(v).isInstanceOf(ExitVerdict.Restart.class);
        assertThat(((ExitVerdict.Restart) v).cause().message()).contains("without being asked");
    }

    @Test
    void aRejectedKeyIsNopermWithWordsToReplaceTheKey() {
        ExitVerdict v = classify(1, "[I] authenticating the API key", FakeSoloist.KEY_REJECTED_LINE);
        assertThat(v).isInstanceOf(ExitVerdict.GiveUp.class);
        ExitVerdict.GiveUp g = (ExitVerdict.GiveUp) v;
        assertThat(g.status()).isEqualTo(ExitStatus.NOPERM);
        assertThat(g.cause().message()).contains(KEY_FILE.toString()).contains("developer.spotify.com/dashboard")
                .contains("rejected the API key");
        assertThat(StateText.reason(g.cause())).isEqualTo("Login refused");
        assertThat(StateText.failureAdvice(new ConnectionState.Failed(g.cause(), g.status()), false))
                .isEqualTo("Put a valid Soloist API key in the key file, then Reconnect");
        assertThat(classify(1, "Error: invalid api key")).isInstanceOf(ExitVerdict.GiveUp.class);
        assertThat(classify(1, "auth failed: 401 unauthorized")).isInstanceOf(ExitVerdict.GiveUp.class);
    }

    @Test
    void aKeyOfAnAccountWithoutPremiumIsNopermSayingSo() {
        ExitVerdict.GiveUp g = (ExitVerdict.GiveUp) classify(1, "[E] Premium required for this API key owner");
        assertThat(g.status()).isEqualTo(ExitStatus.NOPERM);
        assertThat(StateText.reason(g.cause())).isEqualTo("Premium account needed");
    }

    @Test
    void anArgumentComplaintIsAConfigurationProblem() {
        for (String line : List.of("soloist: the option '--api-key' is required",
                "soloist: unrecognized option '--ws'",
                "Error: --single-track requires a valid single playable Spotify URI")) {
            ExitVerdict v = classify(1, line);
            assertThat(v).as(line).isInstanceOf(ExitVerdict.GiveUp.class);
            assertThat(((ExitVerdict.GiveUp) v).status()).isEqualTo(ExitStatus.CONFIG);
            assertThat(((ExitVerdict.GiveUp) v).cause().kind()).isEqualTo(FailureKind.CONFIG);
            assertThat(((ExitVerdict.GiveUp) v).cause().message()).contains(line);
        }
    }

    @Test
    void otherFailuresWithStatusOneAreRestartedWithTheirLastLine() {
        ExitVerdict v = classify(1, "[I] starting", "[E] network: could not reach Spotify (apresolve: timed out)");
        assertThat(v).isInstanceOf(ExitVerdict.Restart.class);
        assertThat(((ExitVerdict.Restart) v).cause().message()).contains("apresolve: timed out");
        assertThat(classify(1)).isInstanceOf(ExitVerdict.Restart.class);
    }

    @Test
    void anExpiredBuildIsRestartedOnlyThroughARefresh() {
        ExitVerdict v = classify(10, "[E] This build of soloist has expired");
        assertThat(v).isInstanceOf(ExitVerdict.Restart.class);
        assertThat(((ExitVerdict.Restart) v).cause().message()).contains("expired").contains("fresh build");
    }

    @Test
    void aBinaryThatCannotBeExecutedIsAConfigurationProblem() {
        ExitVerdict v = classify(126, "setsid: failed to execute /opt/soloist: Exec format error");
        assertThat(v).isInstanceOf(ExitVerdict.GiveUp.class);
        assertThat(((ExitVerdict.GiveUp) v).status()).isEqualTo(ExitStatus.CONFIG);
        assertThat(((ExitVerdict.GiveUp) v).cause().message()).contains("Exec format error").contains("engine.binary");
        assertThat(classify(127)).isInstanceOf(ExitVerdict.GiveUp.class);
    }

    @Test
    void aSignalOfItsOwnMakingIsACrashOneFromOutsideIsARestart() {
        ExitVerdict v = classify(139, "[E] Segmentation fault");
        assertThat(v).isInstanceOf(ExitVerdict.Crashed.class);
        assertThat(((ExitVerdict.Crashed) v).cause().message()).contains("SIGSEGV");
        assertThat(classify(134)).isInstanceOf(ExitVerdict.Crashed.class);
        assertThat(classify(137)).as("the OOM killer or a user: not counted towards a crash loop")
                .isInstanceOfSatisfying(ExitVerdict.Restart.class,
                        r -> assertThat(r.cause().message()).isEqualTo("Spotify Soloist was killed by SIGKILL"));
    }

    @Test
    void theHeadlinesSayWhatHappensToSoloist() {
        assertThat(StateText.reason(((ExitVerdict.Restart) classify(0)).cause())).isEqualTo("Soloist restarting");
        assertThat(StateText.reason(((ExitVerdict.Restart) classify(1, "[E] network down")).cause()))
                .isEqualTo("Soloist restarting");
        assertThat(StateText.reason(((ExitVerdict.Restart) classify(10)).cause())).isEqualTo("Soloist build expired");
        assertThat(StateText.reason(Failure.transientFailure("Playback stalled: Spotify Soloist said it was playing",
                "stall"))).isEqualTo("Playback stalled");
        assertThat(StateText.reason(new Failure(FailureKind.CONFIG, "No Soloist API key: /x does not exist", "")))
                .isEqualTo("API key unusable");
    }

    @Test
    void whatTheAdapterReportedDecides() {
        Failure stall = Failure.transientFailure("Playback stalled", "stall");
        ExitVerdict restart = SoloistExits.classify(new EndedRun(1, 75, new ConnectionState.Starting(), stall, List.of()),
                KEY_FILE);
        assertThat(restart).isEqualTo(new ExitVerdict.Restart(stall));
        Failure noKey = new Failure(FailureKind.CONFIG, "No Soloist API key", "");
        ExitVerdict giveUp = SoloistExits.classify(new EndedRun(1, 78, null, noKey, List.of()), KEY_FILE);
        assertThat(giveUp).isEqualTo(new ExitVerdict.GiveUp(noKey, ExitStatus.CONFIG));
    }
}
