package dev.connecttray.ui;

import dev.connecttray.core.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.StateChange;
import dev.connecttray.ui.StatusWindow.Request;
import dev.connecttray.view.StatusTexts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class StatusWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-24T20:00:00Z");
    private static final Failure REFUSED = Failure.transientFailure("Connection refused", "ECONNREFUSED");
    private static final Failure REJECTED = Failure.permanent("Spotify rejected the stored credentials", "BadCredentials");

    private final ManualClock clock = new ManualClock(NOW);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** What the engine says of itself; the test changes it as days pass. */
    private final java.util.concurrent.atomic.AtomicReference<String> engine =
            new java.util.concurrent.atomic.AtomicReference<>("Spotify Soloist 1.3.8.9 \u00b7 42 days left");
    private StatusWindow window;


    @Start
    void start(Stage primary) {
        window = new StatusWindow(new StatusWindow.Info("Living room", "zeroconf", Path.of("/home/alice/.config/connect-tray/config.json"),
                engine::get),
                requests::add, clock, () -> ColorScheme.LIGHT);
        window.show();
    }

    @AfterEach
    void closeWindow() throws TimeoutException {
        window.hide();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void show(ConnectionState state, List<StateChange> history) {
        window.update(state, history); // from the test thread: the window hops to the FX thread
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void show(ConnectionState state) {
        show(state, List.of(new StateChange(NOW.minusSeconds(60), state)));
    }

    private String text(FxRobot robot, String query) {
        return robot.lookup(query).queryLabeled().getText();
    }

    @Test
    void showsEachStateAndWhatComesNext(FxRobot robot) {
        show(new ConnectionState.Connected("alice", NOW.minus(Duration.ofMinutes(2 * 60 + 13))));
        assertThat(text(robot, "#state")).isEqualTo("Connected as alice");
        assertThat(text(robot, "#detail")).isEqualTo("Connected since 17:47:00");
        assertThat(text(robot, "#quit")).isEqualTo("_Quit");

        show(new ConnectionState.Retrying(3, 10, NOW.plusMillis(7200), REFUSED));
        assertThat(text(robot, "#state")).isEqualTo("Spotify unreachable \u00b7 retrying in 8 s");
        assertThat(text(robot, "#detail")).isEqualTo("Connection refused. Attempt 3 of 10 at 20:00:07.");

        show(new ConnectionState.Failed(REJECTED, ExitStatus.NOPERM));
        assertThat(text(robot, "#state")).isEqualTo("Login refused");
        assertThat(text(robot, "#detail")).startsWith(REJECTED.message()).endsWith("then Reconnect.");
        assertThat(text(robot, "#quit")).as("no exit codes for desktop users").isEqualTo("_Quit");
        Button quit = robot.lookup("#quit").queryButton();
        assertThat(quit.isMnemonicParsing()).isTrue();

        show(new ConnectionState.Failed(Failure.internal("The receiver crashed 3 times", ""), ExitStatus.SOFTWARE));
        assertThat(text(robot, "#detail")).endsWith("Reconnect to try again.");
        assertThat(text(robot, "#quit")).isEqualTo("_Quit");
    }

    /** The text a label actually draws: its own, or an ellipsized cut of it. */
    private static String drawn(FxRobot robot, String query) {
        return robot.lookup(query + " .text").<javafx.scene.text.Text>queryAll().stream()
                .map(javafx.scene.text.Text::getText).collect(Collectors.joining());
    }

    @Test
    void atItsSmallestTheHeadlineAndTheLineUnderItAreWrappedNeverCut(FxRobot robot) throws Exception {
        Failure dns = Failure.transientFailure("Cannot resolve apresolve.spotify.com: no DNS or no network",
                "java.net.UnknownHostException: apresolve.spotify.com: Name or service not known");
        WaitForAsyncUtils.asyncFx(() -> {
            window.stage().setWidth(window.stage().getMinWidth());
            window.stage().setHeight(window.stage().getMinHeight());
        }).get();
        show(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(12), dns));
        assertThat(text(robot, "#state")).isEqualTo("No network \u00b7 retrying in 12 s");
        assertThat(drawn(robot, "#state").replaceAll("\\s+", " ")).isEqualTo(text(robot, "#state"));
        assertThat(drawn(robot, "#detail").replaceAll("\\s+", " ")).isEqualTo(text(robot, "#detail"))
                .doesNotContain("\u2026").doesNotContain("...");
        assertThat(text(robot, "#detail")).doesNotContain(text(robot, "#state"));
    }

    @Test
    void theBandHasALegendForItsColours(FxRobot robot) {
        List<String> labels = robot.lookup("#timeline-legend .label").queryAllAs(javafx.scene.control.Label.class)
                .stream().map(javafx.scene.control.Label::getText).collect(Collectors.toList());
        assertThat(labels).containsExactly("Connected", "Connecting or retrying", "Connected, degraded",
                "Waiting for a Spotify app", "Failed", "Not running or unknown");
    }

    @Test
    void showsTheDevice(FxRobot robot) {
        assertThat(text(robot, "#device-name")).isEqualTo("Living room");
        assertThat(text(robot, "#auth-mode")).isEqualTo("zeroconf");
        assertThat(robot.lookup("#config-file").queryTextInputControl().getText())
                .isEqualTo(Path.of("/home/alice/.config/connect-tray/config.json").toString());
    }

    @Test
    void buttonsSendTheirRequests(FxRobot robot) {
        show(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(8), REFUSED));

        robot.clickOn("#reconnect");
        robot.clickOn("#open-config");
        robot.clickOn("#quit");

        assertThat(requests).containsExactly(Request.RECONNECT, Request.OPEN_CONFIG_FOLDER, Request.QUIT);
    }

    @Test
    void reconnectIsDisabledWhileConnecting(FxRobot robot) {
        show(new ConnectionState.Connecting(2, 10));
        assertThat(robot.lookup("#reconnect").queryButton().isDisabled()).isTrue();

        robot.clickOn("#reconnect");
        assertThat(requests).isEmpty();

        show(new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE));
        assertThat(robot.lookup("#reconnect").queryButton().isDisabled()).isFalse();
    }

    @Test
    void altRReconnects(FxRobot robot) {
        show(new ConnectionState.Cooldown(NOW.plusSeconds(300), REFUSED));

        robot.press(KeyCode.ALT, KeyCode.R).release(KeyCode.R, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(requests).containsExactly(Request.RECONNECT);
    }

    @Test
    void escapeHides(FxRobot robot) {
        assertThat(window.stage().isShowing()).isTrue();

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.stage().isShowing()).isFalse();
        assertThat(requests).isEmpty();
    }

    @Test
    void escapeHidesFromTheTableToo(FxRobot robot) {
        show(new ConnectionState.Connecting(1, 10));
        robot.clickOn("#history");
        assertThat(robot.lookup("#history").query().isFocused()).isTrue();

        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.stage().isShowing()).isFalse();
    }

    /** Reconnect is disabled while connecting: JavaFX would then give Quit the first focus, and Space would quit. */
    @Test
    void spaceInAWindowJustOpenedWhileConnectingDoesNotQuit(FxRobot robot) {
        robot.interact(window::hide);
        show(new ConnectionState.Connecting(1, 10));
        robot.interact(window::show);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(window.stage().getScene().getFocusOwner().getId()).isEqualTo("history");
        robot.press(KeyCode.SPACE).release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(requests).isEmpty();
        assertThat(window.stage().isShowing()).isTrue();
    }

    /** Reconnect pressed from the keyboard is disabled while the attempt runs: the focus must not pass on to Quit. */
    @Test
    void aButtonThatGoesAwayWithTheFocusLeavesItOnTheListNotOnQuit(FxRobot robot) {
        show(new ConnectionState.Failed(Failure.transientFailure("Connection refused", ""), ExitStatus.UNAVAILABLE));
        robot.interact(() -> robot.lookup("#reconnect").query().requestFocus());
        assertThat(window.stage().getScene().getFocusOwner().getId()).isEqualTo("reconnect");

        show(new ConnectionState.Connecting(1, 10));

        assertThat(window.stage().getScene().getFocusOwner().getId()).isEqualTo("history");
        robot.press(KeyCode.SPACE).release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(requests).isEmpty();
    }

    /** The first-run instructions ended in "..." in a window at its smallest; the list of changes gives up rows instead. */
    @Test
    void atItsSmallestTheWindowKeepsTheStateLinesWhole(FxRobot robot) {
        show(new ConnectionState.Failed(Failure.permanent("auth.credentialsFile /home/alice/.local/state/connect-tray/"
                + "credentials.json does not exist: log in once in zeroconf mode to create it, or point "
                + "auth.credentialsFile at a librespot credentials file", "NoSuchFile"), ExitStatus.CONFIG));
        robot.interact(() -> {
            window.stage().setWidth(480);
            window.stage().setHeight(420);
        });
        WaitForAsyncUtils.waitForFxEvents();

        for (String id : List.of("#state", "#detail")) {
            Label label = robot.lookup(id).queryAs(Label.class);
            javafx.scene.text.Text shown = (javafx.scene.text.Text) label.lookup(".text");
            assertThat(shown.getText()).as("%s as drawn", id).isEqualTo(label.getText());
        }
    }

    @Test
    void tabReachesEveryControl(FxRobot robot) {
        show(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(8), REFUSED));
        robot.interact(() -> robot.lookup("#reconnect").query().requestFocus());
        List<String> focused = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            focused.add(window.stage().getScene().getFocusOwner().getId());
            robot.press(KeyCode.TAB).release(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertThat(focused).containsExactly("reconnect", "quit", "history", "config-file", "open-config");
    }

    @Test
    void closingHidesAndTheWindowComesBack(FxRobot robot) {
        Stage stage = window.stage();
        WindowEvent close = new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST);
        robot.interact(() -> stage.getOnCloseRequest().handle(close));

        assertThat(close.isConsumed()).as("the close request is consumed, so closing never means quitting").isTrue();
        assertThat(stage.isShowing()).isFalse();
        assertThat(requests).isEmpty();

        show(new ConnectionState.Connecting(1, 10)); // while hidden
        window.show();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stage.isShowing()).isTrue();
        assertThat(text(robot, "#state")).isEqualTo("Connecting");
    }

    @Test
    void theBandHasOneSpanPerSegmentInItsStateColour(FxRobot robot) {
        Instant start = NOW.minus(Duration.ofHours(5));
        var connected = new ConnectionState.Connected("alice", start.plusSeconds(3));
        var history = List.of(
                new StateChange(start, new ConnectionState.Starting()),
                new StateChange(start.plusSeconds(3), connected),
                new StateChange(NOW.minus(Duration.ofHours(3)), new ConnectionState.Degraded("alice", start, "Audio output failed")),
                new StateChange(NOW.minus(Duration.ofHours(2)), new ConnectionState.Retrying(1, 10, NOW, REFUSED)),
                new StateChange(NOW.minus(Duration.ofMinutes(90)), new ConnectionState.Failed(REJECTED, ExitStatus.NOPERM)),
                new StateChange(NOW.minus(Duration.ofMinutes(60)), new ConnectionState.Stopped()),
                new StateChange(NOW.minus(Duration.ofMinutes(30)), new ConnectionState.WaitingForCredentials("Living room")));

        show(history.get(history.size() - 1).state(), history);

        List<Paint> fills = robot.lookup("#timeline .timeline-segment").<Rectangle>queryAll().stream()
                .sorted(java.util.Comparator.comparingDouble(Rectangle::getX))
                .map(Rectangle::getFill).collect(Collectors.toList());
        assertThat(fills).containsExactly(
                StatePaints.UNKNOWN,     // before the history starts
                StatePaints.AMBER,       // starting
                StatePaints.GREEN,       // connected
                StatePaints.DEGRADED,    // degraded: amber with darker stripes
                StatePaints.AMBER,       // retrying
                StatePaints.RED,         // failed
                StatePaints.UNKNOWN,     // stopped: nothing known until the next start
                StatePaints.BLUE_GREY);  // waiting for a Spotify app
        assertThat(robot.lookup("#timeline .timeline-tick").queryAll()).hasSize(25); // 20:00 yesterday to 20:00 today
    }

    @Test
    void theTableListsChangesNewestFirst(FxRobot robot) {
        var history = List.of(
                new StateChange(NOW.minusSeconds(120), new ConnectionState.Connecting(1, 10)),
                new StateChange(NOW.minusSeconds(100), new ConnectionState.Retrying(1, 10, NOW.minusSeconds(90), REFUSED)),
                new StateChange(NOW.minusSeconds(90), new ConnectionState.Connected("alice", NOW.minusSeconds(90))));
        show(history.get(2).state(), history);

        TableView<StatusTexts.Row> table = robot.lookup("#history").queryTableView();
        // The attempt and the wait after it are one episode: one row.
        assertThat(table.getItems()).hasSize(2);
        assertThat(table.getColumns().get(1).getCellData(0)).isEqualTo("Connected as alice");
        assertThat(table.getColumns().get(1).getCellData(1)).isEqualTo("Retrying, 1 attempt");
        assertThat(table.getColumns().get(2).getCellData(1)).isEqualTo("Connection refused");
        assertThat((String) table.getColumns().get(0).getCellData(1)).isEqualTo(StatusTexts.time(NOW.minusSeconds(120),
                clock.getZone()));
    }

    @Test
    void theCountdownFollowsTheClock(FxRobot robot) throws TimeoutException {
        show(new ConnectionState.Retrying(3, 10, NOW.plusSeconds(8), REFUSED));
        assertThat(text(robot, "#state")).endsWith("retrying in 8 s");
        assertThat(window.countdownRunning()).isTrue();

        clock.advance(Duration.ofSeconds(3));
        // The window's own one-second timer re-renders; nothing in the test pokes it.
        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> text(robot, "#state").endsWith("retrying in 5 s"));

        show(new ConnectionState.Failed(REFUSED, ExitStatus.UNAVAILABLE));
        assertThat(window.countdownRunning()).as("nothing to count down").isFalse();

        show(new ConnectionState.Cooldown(NOW.plusSeconds(300), REFUSED));
        assertThat(window.countdownRunning()).isTrue();
        window.hide();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.countdownRunning()).as("nobody sees it").isFalse();
    }

    @Test
    void followsTheDesktopsDarkPreference() throws Exception {
        StatusWindow[] dark = new StatusWindow[1];
        WaitForAsyncUtils.asyncFx(() -> dark[0] = new StatusWindow(
                new StatusWindow.Info("d", "stored", Path.of("c.json"), () -> "go-librespot"), r -> { }, clock, () -> ColorScheme.DARK)).get();

        WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS,
                () -> dark[0].stage().getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("/dark.css")));
        assertThat(window.stage().getScene().getStylesheets()).anyMatch(s -> s.endsWith("/light.css"))
                .noneMatch(s -> s.endsWith("/dark.css"));
    }

    @Test
    void hasItsTitle() {
        assertThat(window.stage().getTitle()).isEqualTo("Connect Tray");
    }

    @Test
    void aFolderThatDidNotOpenIsSaidInTheWindowWithItsPathToCopy(FxRobot robot) {
        assertThat(robot.lookup("#folder-problem-box").query().isVisible()).isFalse();
        Path logs = Path.of("/home/alice/.local/state/connect-tray/logs");

        window.folderNotOpened("log folder", logs, "xdg-open exited with status 3 (no file manager?)");
        WaitForAsyncUtils.waitForFxEvents();

        Label line = robot.lookup("#folder-problem").queryAs(Label.class);
        javafx.scene.control.TextField path = robot.lookup("#folder-problem-path").queryAs(javafx.scene.control.TextField.class);
        assertThat(line.getText()).isEqualTo("The log folder did not open: xdg-open exited with status 3 (no file manager?). It is:");
        assertThat(path.getText()).isEqualTo(logs.toString());
        assertThat(path.isEditable()).isFalse();
        // Seen: laid out inside the window, not squeezed away.
        for (javafx.scene.layout.Region r : List.of(line, path)) {
            assertThat(r.isVisible()).isTrue();
            assertThat(r.getHeight()).isGreaterThan(0);
            var b = r.localToScene(r.getBoundsInLocal());
            assertThat(b.getMaxY()).isLessThanOrEqualTo(window.stage().getScene().getHeight());
        }
        // Selected, with the focus, for Ctrl+C into a file manager or a terminal.
        assertThat(path.isFocused()).isTrue();
        assertThat(path.getSelectedText()).isEqualTo(logs.toString());

        window.folderOpened();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#folder-problem-box").query().isVisible()).isFalse();
    }

    private List<javafx.scene.control.TableCell<?, ?>> cells(FxRobot robot, int column) {
        TableView<?> table = robot.lookup("#history").queryTableView();
        var col = table.getColumns().get(column);
        return robot.lookup("#history .table-cell").queryAllAs(javafx.scene.control.TableCell.class).stream()
                .filter(c -> c.getTableColumn() == col && !c.isEmpty() && c.getItem() != null && !c.getItem().toString().isEmpty())
                .map(c -> (javafx.scene.control.TableCell<?, ?>) c)
                .collect(Collectors.toList());
    }

    private static final Failure APRESOLVE = Failure.transientFailure("Spotify's access point resolver (apresolve) could "
            + "not be reached (apresolve.spotify.com), and its fallback access point failed too: Cannot resolve "
            + "ap.spotify.com: no DNS or no network", "java.net.UnknownHostException");

    private List<StateChange> longHistory() {
        return List.of(
                new StateChange(NOW.minus(Duration.ofDays(1)), new ConnectionState.Starting()),
                new StateChange(NOW.minusSeconds(120), new ConnectionState.Connecting(1, 10)),
                new StateChange(NOW.minusSeconds(100), new ConnectionState.Retrying(1, 10, NOW.minusSeconds(90), APRESOLVE)),
                new StateChange(NOW.minusSeconds(90), new ConnectionState.Cooldown(NOW.plusSeconds(300), APRESOLVE)));
    }

    @Test
    void aCellWhoseTextIsCutShowsItWholeInItsTooltip(FxRobot robot) {
        show(longHistory().get(3).state(), longHistory());

        var causes = cells(robot, 2);
        assertThat(causes).isNotEmpty();
        for (var cell : causes) {
            String shown = cell.getChildrenUnmodifiable().stream().filter(n -> n instanceof javafx.scene.text.Text)
                    .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElseThrow();
            assertThat(shown).as("the long cause is cut").endsWith("...").isNotEqualTo(cell.getItem());
            assertThat(cell.getTooltip()).as("a tooltip on the cut cell").isNotNull();
            assertThat(cell.getTooltip().getText()).isEqualTo(APRESOLVE.message());
        }
        // Hovering the cut cell shows it.
        var first = causes.get(0);
        robot.moveTo(first);
        try {
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> first.getTooltip().isShowing());
        } catch (TimeoutException e) {
            throw new AssertionError("hovering a cut cell showed no tooltip", e);
        }
        robot.moveTo("#state");
        // A text that fits has no tooltip to get in the way.
        var times = cells(robot, 0);
        assertThat(times).isNotEmpty().allSatisfy(c -> assertThat(c.getTooltip()).isNull());
    }

    @Test
    void theTimesGetWhatTheyNeedAndTheCausesTheMostRoom(FxRobot robot) {
        show(longHistory().get(3).state(), longHistory());
        for (double width : new double[]{700, 480, 1000}) {
            robot.interact(() -> window.stage().setWidth(width));
            WaitForAsyncUtils.waitForFxEvents();
            TableView<?> table = robot.lookup("#history").queryTableView();
            double since = table.getColumns().get(0).getWidth();
            double state = table.getColumns().get(1).getWidth();
            double cause = table.getColumns().get(2).getWidth();
            javafx.scene.text.Text longest = new javafx.scene.text.Text("Dec 24 23:59:01");
            longest.setFont(((javafx.scene.control.Labeled) robot.lookup("#history .table-cell").query()).getFont());
            assertThat(since).as("at %s: the times whole, no more", width)
                    .isGreaterThan(longest.getLayoutBounds().getWidth()).isLessThan(longest.getLayoutBounds().getWidth() + 30);
            assertThat(cause).as("at %s: the causes widest", width).isGreaterThan(state);
            assertThat(since + state + cause).as("at %s: no sideways scrolling", width).isLessThanOrEqualTo(table.getWidth());
            assertThat(robot.lookup("#history .scroll-bar").queryAllAs(javafx.scene.control.ScrollBar.class))
                    .filteredOn(b -> b.getOrientation() == javafx.geometry.Orientation.HORIZONTAL)
                    .as("at %s: no sideways scroll bar", width).allSatisfy(b -> assertThat(b.isVisible()).isFalse());
            assertThat(since + state + cause).as("at %s: the table filled", width).isGreaterThan(table.getWidth() - 24);
            // Every time shows whole; from the default width on, so does every state ("Waiting for a new
            // round: No network" was cut there).
            assertThat(cells(robot, 0)).allSatisfy(c -> assertThat(c.getTooltip()).isNull());
            if (width >= 700) assertThat(cells(robot, 1)).allSatisfy(c -> assertThat(c.getTooltip()).isNull());
        }
    }

    @Test
    void theEngineRowSaysWhatTheEngineSaysAndFollowsItsDaysLeft(FxRobot robot) throws Exception {
        show(new ConnectionState.Connected("alice", NOW.minusSeconds(60)));
        assertThat(text(robot, "#engine")).isEqualTo("Spotify Soloist 1.3.8.9 \u00b7 42 days left");

        // A day later, nothing else happened: the minute's refresh, which runs while the window shows, reads it again.
        engine.set("Spotify Soloist 1.3.8.9 \u00b7 41 days left");
        assertThat(window.minuteRefreshRunning()).isTrue();
        WaitForAsyncUtils.asyncFx(window::everyMinute).get(5, TimeUnit.SECONDS);
        assertThat(text(robot, "#engine")).isEqualTo("Spotify Soloist 1.3.8.9 \u00b7 41 days left");

        // A state change reads it too (a new build: a new version and its days).
        engine.set("Spotify Soloist 1.3.8.12 \u00b7 89 days left");
        show(new ConnectionState.Connecting(1, 10));
        assertThat(text(robot, "#engine")).isEqualTo("Spotify Soloist 1.3.8.12 \u00b7 89 days left");

        window.hide();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.minuteRefreshRunning()).as("nothing to refresh while hidden").isFalse();
    }

    private static final Failure CONSENT = new Failure(dev.connecttray.core.FailureKind.CONFIG,
            "Spotify Soloist is not here yet. Connect Tray downloads Soloist from Spotify's build host only with your "
                    + "consent", dev.connecttray.engine.soloist.SoloistBinary.CONSENT_NEEDED);
    private static final Failure NO_KEY = new Failure(dev.connecttray.core.FailureKind.CONFIG,
            "There is no Spotify Soloist API key", dev.connecttray.engine.soloist.SoloistBinary.API_KEY_NEEDED);

    private boolean shown(FxRobot robot, String query) {
        javafx.scene.Node n = robot.lookup(query).query();
        return n.isVisible() && n.isManaged();
    }

    @Test
    void soloistsWaitingForTheUserOffersTheWayOutBesideItsWords(FxRobot robot) {
        show(new ConnectionState.Failed(CONSENT, ExitStatus.CONFIG));
        assertThat(text(robot, "#state")).isEqualTo("Soloist download needs your consent");
        assertThat(shown(robot, "#allow-download")).isTrue();
        assertThat(shown(robot, "#enter-api-key")).isFalse();
        assertThat(text(robot, "#allow-download")).isEqualTo("_Allow Soloist download\u2026");
        assertThat(text(robot, "#detail")).isEqualTo(CONSENT.message() + ".")
                .as("no advice to fix a file that is not broken").doesNotContain("Fix the file");
        robot.clickOn("#allow-download");
        assertThat(requests).containsExactly(Request.SOLOIST_CONSENT);

        show(new ConnectionState.Failed(NO_KEY, ExitStatus.CONFIG));
        assertThat(text(robot, "#state")).isEqualTo("Soloist API key needed");
        assertThat(shown(robot, "#allow-download")).isFalse();
        assertThat(shown(robot, "#enter-api-key")).isTrue();
        robot.press(KeyCode.ALT, KeyCode.E).release(KeyCode.E, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(requests).containsExactly(Request.SOLOIST_CONSENT, Request.SOLOIST_API_KEY);

        show(new ConnectionState.Failed(REJECTED, ExitStatus.NOPERM));
        assertThat(shown(robot, "#allow-download")).isFalse();
        assertThat(shown(robot, "#enter-api-key")).isFalse();
        show(new ConnectionState.Connected("alice", NOW));
        assertThat(shown(robot, "#allow-download")).isFalse();
    }
}
