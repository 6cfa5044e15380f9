package dev.connecttray.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.view.TrayMenu.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrayMenuBuilderTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ConnectException");
    private static final Failure REJECTED = Failure.permanent("Spotify rejected the stored credentials", "BadCredentials");

    private static TrayMenu.Entry entry(TrayMenu menu, Action action) {
        return menu.items().stream().filter(i -> i instanceof TrayMenu.Entry e && e.action() == action)
                .map(TrayMenu.Entry.class::cast).findFirst().orElseThrow();
    }

    private static String statusLine(TrayMenu menu) {
        assertThat(menu.items().get(0)).isInstanceOf(TrayMenu.Status.class);
        return ((TrayMenu.Status) menu.items().get(0)).text();
    }

    private static List<String> statusLines(TrayMenu menu) {
        return menu.items().stream().filter(i -> i instanceof TrayMenu.Status)
                .map(i -> ((TrayMenu.Status) i).text()).toList();
    }

    @Test
    void connectedShowsTheUserInTheTooltipAndStatusLine() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Connected("alice",
                NOW.minus(Duration.ofMinutes(133))), NOW, false);
        assertThat(m.icon()).isEqualTo(IconState.CONNECTED);
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Connected as alice");
        assertThat(statusLines(m)).containsExactly("Connected as alice");
        assertThat(entry(m, Action.RECONNECT).enabled()).isTrue();
        assertThat(entry(m, Action.QUIT).label()).isEqualTo("Quit");
    }

    @Test
    void retryingSaysTheKindOfProblemAndCountsDownAsTimePasses() {
        ConnectionState s = new ConnectionState.Retrying(3, 10, NOW.plusSeconds(8), REFUSED);
        TrayMenu now = TrayMenuBuilder.build(s, NOW, false);
        TrayMenu later = TrayMenuBuilder.build(s, NOW.plusSeconds(5), false);
        assertThat(now.icon()).isEqualTo(IconState.BUSY);
        assertThat(now.tooltip()).isEqualTo("Connect Tray: Spotify unreachable \u00b7 retrying in 8 s");
        assertThat(statusLines(now)).containsExactly("Spotify unreachable \u00b7 retrying in 8 s");
        assertThat(later.tooltip()).endsWith("retrying in 3 s");
    }

    @Test
    void waitingSaysSoAndCannotReconnect() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.WaitingForCredentials("Connect Tray (myhost)"), NOW, true);
        assertThat(m.icon()).isEqualTo(IconState.WAITING);
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Waiting for a Spotify app");
        assertThat(statusLines(m)).containsExactly("Waiting for a Spotify app");
        assertThat(entry(m, Action.RECONNECT).enabled()).isFalse();
    }

    @Test
    void failedIsRedSaysWhyInAFewWordsAndQuitIsJustQuit() {
        ConnectionState s = new ConnectionState.Failed(REJECTED, ExitStatus.NOPERM);
        TrayMenu m = TrayMenuBuilder.build(s, NOW, false);
        assertThat(m.icon()).isEqualTo(IconState.FAILED);
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Login refused");
        assertThat(statusLines(m)).containsExactly("Login refused");
        assertThat(entry(m, Action.RECONNECT).enabled()).isTrue();
        assertThat(entry(m, Action.QUIT).label()).as("no exit codes for desktop users").isEqualTo("Quit");
        // Quitting still returns the failure's status, for the log and a service manager.
        assertThat(Actions.quitStatus(s)).isEqualTo(ExitStatus.NOPERM);
    }

    @Test
    void aBrokenCredentialsFileKeepsTheMenuNarrowAndNamesNoPath() {
        String path = "/home/alice-with-a-long-name/.local/state/connect-tray/some/deeper/folder/credentials.json";
        Failure broken = new Failure(FailureKind.CONFIG, "The credentials file " + path + " cannot be used: not "
                + "valid JSON; auth.credentialsFile " + path + " must name a librespot credentials file", "");
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Failed(broken, ExitStatus.CONFIG), NOW, false);
        assertThat(statusLines(m)).containsExactly("Credentials file unusable");
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Credentials file unusable");
    }

    @Test
    void theTooltipCarriesTheHeadlineWithin64CharactersAndMenuLinesStayShort() {
        List<ConnectionState> states = LongMenuTexts.states(NOW);
        for (ConnectionState s : states) {
            TrayMenu m = TrayMenuBuilder.build(s, NOW, true);
            assertThat(m.tooltip()).as(s.name()).hasSizeLessThanOrEqualTo(64);
            assertThat(statusLines(m)).as(s.name()).hasSize(1)
                    .allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(TrayMenuBuilder.MENU_LINE_MAX));
        }
        TrayMenu retrying = TrayMenuBuilder.build(states.get(0), NOW, true);
        assertThat(retrying.tooltip()).isEqualTo("Connect Tray: No network \u00b7 retrying in 1 h");
    }

    @Test
    void aLongCountdownMovesInStepsAndNeverSaysLessThanIsLeft() {
        ConnectionState s = new ConnectionState.Retrying(7, 10, NOW.plusSeconds(72), REFUSED);
        assertThat(TrayMenuBuilder.build(s, NOW, false).tooltip()).endsWith("retrying in 2 min");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(11), false).tooltip()).endsWith("retrying in 2 min");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(12), false).tooltip()).endsWith("retrying in 1 min");
        assertThat(TrayMenuBuilder.build(s, NOW.plusMillis(28_500), false).tooltip()).endsWith("retrying in 45 s");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(31), false).tooltip()).endsWith("retrying in 45 s");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(32), false).tooltip()).endsWith("retrying in 40 s");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(63), false).tooltip()).endsWith("retrying in 9 s");
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(64), false).tooltip()).endsWith("retrying in 8 s");

        // Within a step the menu is the same, so the tray is not touched.
        assertThat(TrayMenuBuilder.build(s, NOW.plusSeconds(33), false))
                .isEqualTo(TrayMenuBuilder.build(s, NOW.plusSeconds(36), false));

        ConnectionState cooldown = new ConnectionState.Cooldown(NOW.plusSeconds(300), REFUSED);
        assertThat(TrayMenuBuilder.build(cooldown, NOW.plusSeconds(1), false).tooltip())
                .endsWith("Spotify unreachable \u00b7 next try in 5 min");
        assertThat(TrayMenuBuilder.build(cooldown, NOW.plusSeconds(241), false).tooltip())
                .endsWith("next try in 1 min");
    }

    @Test
    void everyStateHasAnIconAStatusLineAndTheFullMenu() {
        List<ConnectionState> all = List.of(new ConnectionState.Starting(),
                new ConnectionState.WaitingForCredentials("d"), new ConnectionState.Connecting(1, 10),
                new ConnectionState.Connected("alice", NOW), new ConnectionState.Degraded("alice", NOW, "no dealer"),
                new ConnectionState.Retrying(2, 10, NOW, REFUSED), new ConnectionState.Cooldown(NOW.plusSeconds(60), REFUSED),
                new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE), new ConnectionState.Stopped());
        for (ConnectionState s : all) {
            TrayMenu m = TrayMenuBuilder.build(s, NOW, false);
            assertThat(statusLine(m)).as(s.name()).isNotBlank();
            assertThat(m.items()).as("the same shape in every state: entries stay in place").extracting(
                    i -> i.getClass().getSimpleName())
                    .containsExactly("Status", "Entry", "Entry", "Entry", "Check", "Separator", "Entry");
            assertThat(entry(m, Action.QUIT).label()).isEqualTo("Quit");
        }
        assertThat(TrayMenuBuilder.build(all.get(4), NOW, false).icon()).isEqualTo(IconState.DEGRADED);
        assertThat(TrayMenuBuilder.build(all.get(6), NOW, false).icon()).isEqualTo(IconState.BUSY);
        assertThat(entry(TrayMenuBuilder.build(all.get(2), NOW, false), Action.RECONNECT).enabled())
                .as("an attempt is under way").isFalse();
    }

    @Test
    void withoutAutostartThereIsNoStartAtLoginEntry() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Starting(), NOW, null);
        assertThat(m.items()).noneMatch(i -> i instanceof TrayMenu.Check);
        TrayMenu on = TrayMenuBuilder.build(new ConnectionState.Starting(), NOW, true);
        assertThat(on.items()).filteredOn(i -> i instanceof TrayMenu.Check).singleElement()
                .isEqualTo(new TrayMenu.Check("Start at login", Action.TOGGLE_START_AT_LOGIN, true));
    }

    private static final ConnectionState CONNECTED = new ConnectionState.Connected("alice", NOW.minusSeconds(60));

    @Test
    void theEmbeddedEngineKeepsTheMenuAsItWas() {
        TrayMenu plain = TrayMenuBuilder.build(CONNECTED, NOW, true);
        TrayMenu embedded = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.EMBEDDED, "Embedded (librespot-java)");
        assertThat(embedded).isEqualTo(plain);
        assertThat(statusLines(embedded)).containsExactly("Connected as alice");
        assertThat(embedded.tooltip()).isEqualTo("Connect Tray: Connected as alice");
    }

    @Test
    void aChosenEngineIsNamedOnASecondGreyLineUnderTheState() {
        TrayMenu m = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.GO_LIBRESPOT, "go-librespot");
        assertThat(statusLines(m)).containsExactly("Connected as alice", "Engine: go-librespot");
        assertThat(m.items().get(1)).as("right under the state line").isInstanceOf(TrayMenu.Status.class);
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Connected as alice");
        assertThat(entry(m, Action.RECONNECT).enabled()).isTrue();
    }

    @Test
    void soloistsDaysLeftShowInTheMenuAndWithinFourteenDaysInTheTooltipToo() {
        TrayMenu far = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        assertThat(statusLines(far)).containsExactly("Connected as alice", "Engine: Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        assertThat(far.tooltip()).as("weeks ahead: not worth the tooltip").isEqualTo("Connect Tray: Connected as alice");

        TrayMenu fifteen = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 15 days left");
        assertThat(fifteen.tooltip()).isEqualTo("Connect Tray: Connected as alice");

        TrayMenu near = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 14 days left");
        assertThat(near.tooltip()).isEqualTo("Connect Tray: Connected as alice \u00b7 Spotify Soloist: 14 days left");
        assertThat(statusLines(near)).contains("Engine: Spotify Soloist 1.3.8.9 \u00b7 14 days left");

        TrayMenu last = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 1 day left");
        assertThat(last.tooltip()).endsWith("Spotify Soloist: 1 day left");
        TrayMenu expired = TrayMenuBuilder.build(new ConnectionState.Failed(REJECTED, ExitStatus.CONFIG), NOW, true,
                EngineKind.SOLOIST, "Spotify Soloist 1.3.8.9 \u00b7 expired");
        assertThat(expired.tooltip()).endsWith("Spotify Soloist: expired");
    }

    @Test
    void beforeItsBuildIsKnownSoloistIsNamedWithoutDays() {
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Starting(), NOW, null, EngineKind.SOLOIST, "Spotify Soloist");
        assertThat(statusLines(m)).containsExactly("Starting", "Engine: Spotify Soloist");
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Starting");
        assertThat(TrayMenuBuilder.daysLeft("Spotify Soloist")).isEmpty();
        assertThat(TrayMenuBuilder.daysLeft("Spotify Soloist 1.3.8.9 \u00b7 42 days left")).hasValue(42);
        assertThat(TrayMenuBuilder.daysLeft("Spotify Soloist 1.3.8.9 \u00b7 expired")).hasValue(0);
    }

    @Test
    void engineLinesAndWarningsKeepToTheMenusAndTheTooltipsLimits() {
        String longVersion = "Spotify Soloist 1.3.10.12345 \u00b7 9 days left";
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Connected("a-user-of-twenty-chr", NOW),
                NOW, true, EngineKind.SOLOIST, longVersion);
        assertThat(statusLines(m)).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(TrayMenuBuilder.MENU_LINE_MAX));
        assertThat(statusLines(m).get(1)).as("the days survive; the prefix gives way").isEqualTo(longVersion);
        assertThat(m.tooltip()).hasSizeLessThanOrEqualTo(64)
                .as("the app's name gives way to the warning")
                .isEqualTo("Connected as a-user-of-twenty-chr \u00b7 Spotify Soloist: 9 days left");

        TrayMenu absurd = TrayMenuBuilder.build(new ConnectionState.Connected("a-user-name-of-thirty-chars-xx", NOW), NOW, true,
                EngineKind.SOLOIST, longVersion);
        assertThat(absurd.tooltip()).isEqualTo("Connect Tray: Connected as a-user-name-of-thirty-chars-xx");
        assertThat(statusLines(absurd).get(1)).contains("9 days left");

        TrayMenu huge = TrayMenuBuilder.build(CONNECTED, NOW, true, EngineKind.GO_LIBRESPOT, "go-librespot " + "v".repeat(80));
        assertThat(statusLines(huge).get(1)).hasSize(TrayMenuBuilder.MENU_LINE_MAX).endsWith("\u2026");
    }

    @Test
    void soloistWaitingForTheUserIsAQuestionNotAnInvalidConfiguration() {
        Failure consent = new Failure(FailureKind.CONFIG, "Spotify Soloist is not downloaded yet: answer the tray's "
                + "question, or set engine.allowDownload in /home/alice/.config/connect-tray/config.json",
                dev.connecttray.engine.soloist.SoloistBinary.CONSENT_NEEDED);
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Failed(consent, ExitStatus.CONFIG), NOW, true,
                EngineKind.SOLOIST, "Spotify Soloist");
        assertThat(statusLines(m)).containsExactly("Soloist download needs your consent", "Engine: Spotify Soloist");
        assertThat(m.tooltip()).isEqualTo("Connect Tray: Soloist download needs your consent");
        assertThat(m.icon()).isEqualTo(IconState.FAILED);

        Failure noKey = new Failure(FailureKind.CONFIG, "No Spotify Soloist API key",
                dev.connecttray.engine.soloist.SoloistBinary.API_KEY_NEEDED);
        assertThat(statusLine(TrayMenuBuilder.build(new ConnectionState.Failed(noKey, ExitStatus.CONFIG), NOW, true,
                EngineKind.SOLOIST, "Spotify Soloist"))).isEqualTo("Soloist API key needed");

        Failure other = new Failure(FailureKind.CONFIG, "engine.binary is not executable", "engine.binary");
        assertThat(statusLine(TrayMenuBuilder.build(new ConnectionState.Failed(other, ExitStatus.CONFIG), NOW, true,
                EngineKind.SOLOIST, "Spotify Soloist"))).isEqualTo("Engine unusable");
    }
}
