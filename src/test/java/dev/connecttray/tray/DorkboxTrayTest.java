package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.EngineKind;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.os.Platform;
import dev.connecttray.view.LongMenuTexts;
import dev.connecttray.view.TrayMenu;
import dev.connecttray.view.TrayMenuBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When {@link DorkboxTray} may update entries in place, and when it must build the menu again. */
class DorkboxTrayTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    @Test
    void aCountdownOrAnotherStateKeepsTheShape() {
        Failure offline = Failure.transientFailure("Cannot reach Spotify", "");
        TrayMenu retrying = TrayMenuBuilder.build(new ConnectionState.Retrying(2, 10, NOW.plusSeconds(8), offline), NOW, false);
        TrayMenu later = TrayMenuBuilder.build(new ConnectionState.Retrying(2, 10, NOW.plusSeconds(8), offline),
                NOW.plusSeconds(1), true);
        TrayMenu failed = TrayMenuBuilder.build(new ConnectionState.Failed(offline, ExitStatus.UNAVAILABLE), NOW, false);

        assertThat(DorkboxTray.sameShape(retrying.items(), later.items())).isTrue();
        assertThat(DorkboxTray.sameShape(retrying.items(), failed.items())).as("only the status text differs").isTrue();
    }

    @Test
    void aNewOrMissingEntryChangesTheShape() {
        ConnectionState connected = new ConnectionState.Connected("alice", NOW);
        TrayMenu withAutostart = TrayMenuBuilder.build(connected, NOW, false);
        TrayMenu without = TrayMenuBuilder.build(connected, NOW, null);

        assertThat(DorkboxTray.sameShape(withAutostart.items(), without.items())).isFalse();
        assertThat(DorkboxTray.sameShape(withAutostart.items(), withAutostart.items().subList(1, 7))).isFalse();
    }

    @Test
    void aLongTooltipIsCutToWhatWindowsKeeps() {
        String longText = "Gave up for now; trying again in 4 min 59 s: " + "x".repeat(200);

        assertThat(DorkboxTray.tooltip(longText)).hasSize(64).endsWith("\u2026").startsWith("Gave up for now");
        assertThat(DorkboxTray.tooltip("Connected as alice")).isEqualTo("Connected as alice");
    }

    @Test
    void asRootSwingAndWithoutASessionBusGtkStatusIconAreChosenInsteadOfWarnedAbout() {
        assertThat(DorkboxTray.trayType(Platform.of("Linux"), true, true)).contains(dorkbox.systemTray.SystemTray.TrayType.Swing);
        assertThat(DorkboxTray.trayType(Platform.of("Linux"), false, false)).contains(dorkbox.systemTray.SystemTray.TrayType.Gtk);
        assertThat(DorkboxTray.trayType(Platform.of("Linux"), false, true)).as("a user's session: dorkbox detects").isEmpty();
        assertThat(DorkboxTray.trayType(Platform.of("Windows 11"), true, false)).isEmpty();
    }

    @Test
    void theTrayLibrarysImageCacheIsTheAppsCacheFolder() {
        assertThat(DorkboxTray.cacheFolder(Platform.of("Linux"), java.util.Map.of("XDG_CACHE_HOME", "/var/cache/alice"), "/home/alice"))
                .isEqualTo(java.nio.file.Path.of("/var/cache/alice/connect-tray"));
        assertThat(DorkboxTray.cacheFolder(Platform.of("Linux"), java.util.Map.of(), "/home/alice"))
                .isEqualTo(java.nio.file.Path.of("/home/alice/.cache/connect-tray"));
        assertThat(DorkboxTray.cacheFolder(Platform.of("Linux"), java.util.Map.of("XDG_CACHE_HOME", "relative"), "/home/alice"))
                .as("a relative XDG folder is ignored, as the spec says")
                .isEqualTo(java.nio.file.Path.of("/home/alice/.cache/connect-tray"));
        assertThat(DorkboxTray.cacheFolder(Platform.of("Mac OS X"), java.util.Map.of(), "/Users/alice"))
                .isEqualTo(java.nio.file.Path.of("/Users/alice/Library/Caches/Connect Tray"));
        assertThat(DorkboxTray.cacheFolder(Platform.of("Windows 11"), java.util.Map.of("LOCALAPPDATA", "/c/Users/alice/AppData/Local"), "/c/Users/alice"))
                .isEqualTo(java.nio.file.Path.of("/c/Users/alice/AppData/Local/Connect Tray/cache"));
    }

    @Test
    void theBuildersTooltipsAreNotCutAgain() {
        List<ConnectionState> states = LongMenuTexts.states(NOW);
        for (ConnectionState s : states) {
            TrayMenu m = TrayMenuBuilder.build(s, NOW, true);
            assertThat(DorkboxTray.tooltip(m.tooltip())).as("not cut again").isEqualTo(m.tooltip());
        }
        TrayMenu m = TrayMenuBuilder.build(new ConnectionState.Connected("a-user-of-twenty-chr", NOW),
                NOW, true, EngineKind.SOLOIST, "Spotify Soloist 1.3.10.12345 \u00b7 9 days left");
        assertThat(DorkboxTray.tooltip(m.tooltip())).isEqualTo(m.tooltip());
    }

    @Test
    void soloistsDaysLeftKeepTheShape() {
        ConnectionState connected = new ConnectionState.Connected("alice", NOW.minusSeconds(60));
        TrayMenu far = TrayMenuBuilder.build(connected, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        TrayMenu near = TrayMenuBuilder.build(connected, NOW, true, EngineKind.SOLOIST,
                "Spotify Soloist 1.3.8.9 \u00b7 14 days left");
        assertThat(DorkboxTray.sameShape(far.items(), near.items())).as("the menu keeps its shape").isTrue();
    }
}
