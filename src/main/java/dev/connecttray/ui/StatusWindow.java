package dev.connecttray.ui;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.Threads;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.core.StateChange;
import dev.connecttray.view.Actions;
import dev.connecttray.view.SoloistWaits;
import dev.connecttray.view.StateText;
import dev.connecttray.view.StatusTexts;
import dev.connecttray.view.TimelineSegments;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status window: the state now and what happens next, the last 24 hours as a band, the recent
 * changes, and the device's settings. It only shows; what the user asks for goes out as a
 * {@link Request}. Closing it hides it: the app lives in the tray; where there is no tray (see
 * {@link #quitOnClose()}) closing it quits, and the window says so.
 */
public final class StatusWindow {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWindow.class);

    /** What the user asks for in the window. */
    public enum Request {
        RECONNECT, QUIT, OPEN_CONFIG_FOLDER,
        /** "Allow Soloist download…": the question about downloading Spotify Soloist, again. */
        SOLOIST_CONSENT,
        /** "Enter Soloist API key…". */
        SOLOIST_API_KEY,
        /** The user closed the window that is the only UI (see {@link #quitOnClose()}). */
        QUIT_ON_CLOSE
    }

    /** Said in the window where closing it quits. */
    public static final String CLOSING_QUITS = "No tray on this desktop: closing this window quits Connect Tray.";

    /**
     * What the window says about this device.
     *
     * @param engine what the engine says of itself ({@code Engine.describe()}, e.g. "Spotify Soloist
     *               1.3.8.9 · 42 days left"): it changes while the app runs, so it is read on the
     *               JavaFX thread at every state change and every minute while the window shows;
     *               it must not block
     */
    public record Info(String deviceName, String authMode, Path configFile, Supplier<String> engine) {
        public Info {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(authMode, "authMode");
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(engine, "engine");
        }
    }

    /** How far back the band reaches. */
    static final Duration TIMELINE_WINDOW = Duration.ofHours(24);
    private static final String BASE_STYLESHEET = "status-window.css";
    /** The content's size when the window first opens (more height if the content needs it), and the least the user can make it. */
    private static final double PREF_WIDTH = 700;
    private static final double PREF_HEIGHT = 600;
    private static final double MIN_WIDTH = 480;
    private static final double MIN_HEIGHT = 420;
    /** The list of changes at its smallest: its header and about two rows. */
    private static final double TABLE_MIN_HEIGHT = 80;

    private final Consumer<Request> requests;
    /** The login is made with stored credentials: the advice for a refused login differs. */
    private final boolean storedLogin;
    private final Clock clock;
    private final Stage stage;
    private final Label closingQuitsLine = new Label(CLOSING_QUITS);
    /** Where a folder did not open: what happened, and the folder's path to copy. */
    private final Label folderProblem = new Label();
    private final TextField folderProblemPath = new TextField();
    private final VBox folderProblemBox = new VBox(4, folderProblem, folderProblemPath);
    private volatile boolean closingQuits;
    private final Circle stateDot = new Circle(7);
    private final Label stateLine = new Label();
    private final Label detailLine = new Label();
    private final Button reconnect = new Button("_Reconnect now");
    private final Button quit = new Button("_" + Actions.QUIT_LABEL);
    /** Offered while the state says Spotify Soloist waits for the download consent. */
    private final Button allowDownload = new Button("_Allow Soloist download\u2026");
    /** Offered while the state says Spotify Soloist has no usable API key. */
    private final Button enterApiKey = new Button("_Enter Soloist API key\u2026");
    private final Label engineLine = new Label();
    private final Supplier<String> engine;
    private final TimelineBand band = new TimelineBand();
    private final TableView<StatusTexts.Row> table = new TableView<>();
    private final TableColumn<StatusTexts.Row, String> sinceColumn;
    private final TableColumn<StatusTexts.Row, String> stateColumn;
    private final TableColumn<StatusTexts.Row, String> causeColumn;
    /** Re-renders the state line every second while it counts down (or up). */
    private final FxTimer countdown;
    /** Moves the band along while the window is open. */
    private final FxTimer bandRefresh;

    private ConnectionState state = new ConnectionState.Starting();
    private List<StateChange> history = List.of();
    private final Supplier<ColorScheme> colorSchemes;
    private ColorScheme colorScheme;

    /**
     * Builds the window, hidden. Must be called on the JavaFX thread.
     *
     * @param requests called on the JavaFX thread with what the user asked for; must not block
     * @param clock    the time for countdowns and the band, and the zone for times of day
     * @throws IllegalStateException not on the JavaFX thread
     */
    public StatusWindow(Info info, Consumer<Request> requests, Clock clock) {
        this(info, requests, clock, ColorScheme::detect);
    }

    /** @param colorSchemes asks the desktop for its colour scheme; called off the JavaFX thread */
    StatusWindow(Info info, Consumer<Request> requests, Clock clock, Supplier<ColorScheme> colorSchemes) {
        Objects.requireNonNull(info, "info");
        this.storedLogin = info.authMode().equalsIgnoreCase("stored");
        this.engine = info.engine();
        this.requests = Objects.requireNonNull(requests, "requests");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.colorSchemes = Objects.requireNonNull(colorSchemes, "colorSchemes");
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("StatusWindow must be created on the JavaFX thread");
        }

        stateDot.getStyleClass().add("state-dot");
        stateLine.setId("state");
        stateLine.getStyleClass().add("state-line");
        stateLine.setWrapText(true);
        detailLine.setId("detail");
        detailLine.getStyleClass().add("state-detail");
        detailLine.setWrapText(true);
        // The headline and the line under it wrap rather than being cut, however narrow the window.
        stateLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        detailLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox.setHgrow(stateLine, Priority.ALWAYS);
        stateLine.setMaxWidth(Double.MAX_VALUE);
        HBox header = new HBox(10, stateDot, stateLine);
        header.setAlignment(Pos.CENTER_LEFT);

        reconnect.setId("reconnect");
        reconnect.setOnAction(e -> send(Request.RECONNECT));
        quit.setId("quit");
        quit.setOnAction(e -> send(Request.QUIT));
        allowDownload.setId("allow-download");
        allowDownload.setOnAction(e -> send(Request.SOLOIST_CONSENT));
        enterApiKey.setId("enter-api-key");
        enterApiKey.setOnAction(e -> send(Request.SOLOIST_API_KEY));
        for (Button b : List.of(allowDownload, enterApiKey)) {
            b.setManaged(false);
            b.setVisible(false);
        }
        // What the failure asks the user to do comes first: it is the way out of it.
        HBox actions = new HBox(8, allowDownload, enterApiKey, reconnect, quit);

        band.setId("timeline");
        Label bandTitle = sectionTitle("Last 24 hours");

        table.setId("history");
        table.setPlaceholder(new Label("No state changes yet"));
        sinceColumn = column("Since", r -> StatusTexts.tableTime(r.time(), clock.instant(), clock.getZone()));
        stateColumn = column("State", StatusTexts.Row::state);
        causeColumn = column("Cause", StatusTexts.Row::cause);
        table.getColumns().setAll(List.of(sinceColumn, stateColumn, causeColumn));
        // The columns are sized here (sizeColumns), not by the table: its constrained policies gave
        // the times as much room as the causes and cut both of the others.
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.widthProperty().addListener((obs, was, now) -> sizeColumns());
        table.getItems().addListener((javafx.collections.ListChangeListener<StatusTexts.Row>) c -> sizeColumns());
        table.setPrefHeight(200);
        VBox.setVgrow(table, Priority.ALWAYS);

        VBox root = new VBox(8, header, detailLine, actions, bandTitle, band, TimelineBand.legend(),
                sectionTitle("Recent changes"), table,
                sectionTitle("This device"), infoGrid(info));
        root.getStyleClass().add("status-window");
        closingQuitsLine.setId("closing-quits");
        closingQuitsLine.setWrapText(true);
        closingQuitsLine.setManaged(false);
        closingQuitsLine.setVisible(false);
        root.getChildren().add(root.getChildren().indexOf(actions) + 1, closingQuitsLine);
        folderProblem.setId("folder-problem");
        folderProblem.setWrapText(true);
        folderProblem.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        folderProblemPath.setId("folder-problem-path");
        folderProblemPath.setEditable(false);
        folderProblemPath.setAccessibleText("Folder");
        folderProblemBox.setId("folder-problem-box");
        folderProblemBox.setManaged(false);
        folderProblemBox.setVisible(false);
        root.getChildren().add(root.getChildren().indexOf(closingQuitsLine) + 1, folderProblemBox);
        root.setPadding(new Insets(16));

        Scene scene = new Scene(root, PREF_WIDTH, PREF_HEIGHT);
        // A button that goes away (disabled, or no longer offered) while it has the focus hands it to
        // the next one, Quit, where a Space quits: it goes to the list of changes instead.
        javafx.scene.Node[] lastOwner = new javafx.scene.Node[1]; // JavaFX may pass through "no owner" on the way
        scene.focusOwnerProperty().addListener((o, was, now) -> {
            if (was != null) lastOwner[0] = was;
            if (now == quit && lastOwner[0] instanceof Button gone && gone != quit
                    && (gone.isDisabled() || !gone.isVisible())) {
                table.requestFocus();
            }
        });
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                escapePressed();
            }
        });
        stage = new Stage();
        stage.setTitle("Connect Tray");
        stage.getIcons().addAll(appIcons());
        stage.setScene(scene);
        stage.setOnShown(e -> placeOnFirstShow());
        keepTextsWhole();
        stage.setOnCloseRequest(e -> {
            e.consume();
            closedByUser();
        });
        applyColorScheme(ColorScheme.LIGHT);

        countdown = new FxTimer(Duration.ofSeconds(1), this::renderState);
        bandRefresh = new FxTimer(Duration.ofMinutes(1), this::everyMinute);
        stage.showingProperty().addListener((obs, was, showing) -> {
            if (showing) {
                renderHistory();
                renderEngine();
            }
            updateTimers();
        });

        renderState();
        renderEngine();
        detectColorScheme();
    }

    /** Shows {@code state} and {@code history} (oldest first). Any thread. */
    public void update(ConnectionState state, List<StateChange> history) {
        Objects.requireNonNull(state, "state");
        List<StateChange> copy = List.copyOf(history);
        onFx(() -> {
            this.state = state;
            this.history = copy;
            renderState();
            renderEngine();
            if (stage.isShowing()) renderHistory();
            updateTimers();
        });
    }

    /** Shows the window, or brings it to the front. Any thread. */
    public void show() {
        onFx(() -> {
            if (stage.isIconified()) stage.setIconified(false);
            boolean opening = !stage.isShowing();
            stage.show();
            stage.toFront();
            // JavaFX would focus the first button that takes focus, Quit whenever Reconnect is
            // disabled, and Space would quit: the history list takes the first focus instead.
            if (opening) table.requestFocus();
            detectColorScheme(); // the desktop's preference may have changed since the last time
        });
    }

    /**
     * From now on closing the window (the title bar's close; Escape then does nothing) quits: for a desktop without a
     * tray, where a hidden window would leave the app running with no way back to it. The window
     * says so. Any thread.
     */
    public void quitOnClose() {
        closingQuits = true;
        onFx(() -> {
            closingQuitsLine.setManaged(true);
            closingQuitsLine.setVisible(true);
        });
    }

    /**
     * Escape hides the window where the tray brings it back. Where the window is the only UI, hiding
     * it quits, and a key so easy to hit by accident must not: there only the title bar's close and
     * Quit end the app.
     */
    private void escapePressed() {
        if (!closingQuits) hide();
    }

    /** The title bar's close: hides the window, and asks to quit where that is what closing means. */
    private void closedByUser() {
        hide();
        if (closingQuits) send(Request.QUIT_ON_CLOSE);
    }

    /**
     * Says in the window that a folder did not open, and where it is, in text the user can select:
     * a desktop notification alone is lost where no notification service runs (openbox with a
     * tray, say). The path gets the focus, selected, for Ctrl+C. Shown until a folder opens
     * ({@link #folderOpened}). Any thread.
     *
     * @param what    the folder, as "config folder" or "log folder"
     * @param failure why, as the folder opener says it ("xdg-open exited with status 3 ...")
     */
    public void folderNotOpened(String what, Path folder, String failure) {
        Objects.requireNonNull(folder, "folder");
        String text = "The " + what + " did not open: " + StatusTexts.sentenceOf(String.valueOf(failure)) + " It is:";
        onFx(() -> {
            folderProblem.setText(text);
            folderProblemPath.setText(folder.toString());
            folderProblemBox.setManaged(true);
            folderProblemBox.setVisible(true);
            folderProblemPath.requestFocus();
            folderProblemPath.selectAll();
        });
    }

    /** A folder opened after all: the line about one that did not goes. Any thread. */
    public void folderOpened() {
        onFx(() -> {
            folderProblemBox.setManaged(false);
            folderProblemBox.setVisible(false);
        });
    }

    /** Hides the window; the app goes on in the tray. Any thread. */
    public void hide() {
        onFx(stage::hide);
    }

    /** The window itself, for tests. */
    public Stage stage() {
        return stage;
    }

    /** Whether the band and the engine's row are being re-rendered every minute. */
    boolean minuteRefreshRunning() {
        return bandRefresh.running();
    }

    /** What changes by the minute while the window shows: the band, and the engine's days left. */
    void everyMinute() {
        renderHistory();
        renderEngine();
    }

    /** Whether the state line is being re-rendered every second. */
    boolean countdownRunning() {
        return countdown.running();
    }

    void applyColorScheme(ColorScheme scheme) {
        if (scheme == colorScheme) return;
        colorScheme = scheme;
        stage.getScene().getStylesheets().setAll(
                Objects.requireNonNull(StatusWindow.class.getResource(BASE_STYLESHEET), BASE_STYLESHEET).toExternalForm(),
                scheme.stylesheet());
    }

    private void renderState() {
        Instant now = clock.instant();
        stateLine.setText(StateText.headline(state, now));
        detailLine.setText(StatusTexts.detail(state, clock.getZone(), storedLogin));
        stateDot.setFill(StatePaints.of(state));
        reconnect.setDisable(!Actions.canReconnect(state));
        offer(allowDownload, SoloistWaits.forConsent(state));
        offer(enterApiKey, SoloistWaits.forApiKey(state));
    }

    private static void offer(Button button, boolean offered) {
        button.setManaged(offered);
        button.setVisible(offered);
    }

    /** The engine's row: its description read now. One that fails to say is logged, and the row keeps what it said. */
    private void renderEngine() {
        String text;
        try {
            text = engine.get();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the engine's description: {}", e.toString());
            return;
        }
        if (text != null && !text.equals(engineLine.getText())) engineLine.setText(text);
    }

    private void renderHistory() {
        Instant now = clock.instant();
        band.show(TimelineSegments.of(history, now, TIMELINE_WINDOW), now, TIMELINE_WINDOW, clock.getZone());
        table.getItems().setAll(StatusTexts.rows(history));
    }

    /** The timers run only while someone can see what they change. */
    private void updateTimers() {
        boolean showing = stage.isShowing();
        run(countdown, showing && changesWithTime(state));
        run(bandRefresh, showing);
    }

    private static void run(FxTimer timer, boolean needed) {
        if (needed) {
            timer.start();
        } else {
            timer.stop();
        }
    }

    /** States whose headline counts down. */
    private static boolean changesWithTime(ConnectionState state) {
        return StateText.countdownTo(state) != null;
    }

    private void send(Request request) {
        try {
            requests.accept(request);
        } catch (RuntimeException e) {
            LOG.warn("Could not carry out {}: {}", request, e.toString());
            LOG.debug("Stack trace", e);
        }
    }

    /** Asks the desktop off the JavaFX thread (it may take seconds) and applies the answer. */
    private void detectColorScheme() {
        Threads.start("connect-tray-color-scheme", () -> {
            ColorScheme scheme = colorSchemes.get();
            Platform.runLater(() -> applyColorScheme(scheme));
        });
    }

    private GridPane infoGrid(Info info) {
        TextField configPath = new TextField(info.configFile().toString());
        configPath.setId("config-file");
        configPath.setEditable(false);
        configPath.setAccessibleText("Configuration file");
        HBox.setHgrow(configPath, Priority.ALWAYS);
        Button openConfig = new Button("_Open config folder");
        openConfig.setId("open-config");
        openConfig.setOnAction(e -> send(Request.OPEN_CONFIG_FOLDER));
        HBox configRow = new HBox(8, configPath, openConfig);
        configRow.setAlignment(Pos.CENTER_LEFT);

        Label deviceName = new Label(info.deviceName());
        deviceName.setId("device-name");
        Label authMode = new Label(info.authMode());
        authMode.setId("auth-mode");

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.addRow(0, new Label("Device"), deviceName);
        engineLine.setId("engine");
        engineLine.setWrapText(true);
        grid.addRow(1, new Label("Login"), authMode);
        grid.addRow(2, new Label("Engine"), engineLine);
        grid.addRow(3, new Label("Configuration"), configRow);
        GridPane.setHgrow(configRow, Priority.ALWAYS);
        return grid;
    }

    private boolean placed;

    /**
     * Where the window is shorter than its content, the list of changes gives up rows: the state's
     * lines keep every line they wrap to (a label's least height is otherwise one line, and the
     * first-run instructions ended in "..." while the list kept its empty rows).
     */
    private void keepTextsWhole() {
        stateLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        detailLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        table.setMinHeight(TABLE_MIN_HEIGHT);
    }

    /**
     * Sizes and places the window the first time it shows; later it keeps what the user made of it.
     * Under openbox JavaFX's window came up at its minimum size (or, with none, at 200 × 225) and
     * cut the text, whatever size it had asked for before showing: sized again once shown, it
     * takes it. The size is the scene's, taller when the content needs it, within the screen's
     * usable area, and the title bar stays on the screen.
     */
    private void placeOnFirstShow() {
        if (placed) return;
        placed = true;
        Rectangle2D screen = Screen.getScreensForRectangle(stage.getX(), stage.getY(), 1, 1).stream().findFirst()
                .orElse(Screen.getPrimary()).getVisualBounds();
        Scene scene = stage.getScene();
        double decorationWidth = Math.max(0, stage.getWidth() - scene.getWidth());
        double decorationHeight = Math.max(0, stage.getHeight() - scene.getHeight());
        double contentWidth = Math.max(PREF_WIDTH, scene.getRoot().minWidth(-1));
        double contentHeight = Math.max(PREF_HEIGHT, scene.getRoot().prefHeight(contentWidth));
        stage.setWidth(Math.min(contentWidth + decorationWidth, screen.getWidth()));
        stage.setHeight(Math.min(contentHeight + decorationHeight, screen.getHeight()));
        stage.setX(Math.max(screen.getMinX(), Math.min(stage.getX(), screen.getMaxX() - stage.getWidth())));
        stage.setY(Math.max(screen.getMinY(), Math.min(stage.getY(), screen.getMaxY() - stage.getHeight())));
        stage.setMinWidth(Math.min(MIN_WIDTH, screen.getWidth()));
        stage.setMinHeight(Math.min(MIN_HEIGHT, screen.getHeight()));
    }

    /** The app's icon for the title bar and the task switcher, in the sizes desktops ask for. */
    static List<javafx.scene.image.Image> appIcons() {
        List<javafx.scene.image.Image> icons = new ArrayList<>();
        for (int size : new int[]{16, 32, 48, 64, 128}) {
            var url = StatusWindow.class.getResource("/dev/connecttray/tray/icons/connect-tray-" + size + ".png");
            if (url != null) icons.add(new javafx.scene.image.Image(url.toExternalForm()));
        }
        return icons;
    }

    private static Label sectionTitle(String text) {
        Label title = new Label(text);
        title.getStyleClass().add("section-title");
        return title;
    }

    /** A cell's padding and a little air, added to its text's width. */
    private static final double CELL_PADDING = 16;
    /** The State column's largest share of what the times leave; the causes, longer, get the rest. */
    private static final double STATE_SHARE_MAX = 0.46;

    /**
     * The times get what the longest of them needs ("Dec 4 23:59:01" once a row is from another
     * day), never more; the states what the longest shown needs, up to {@link #STATE_SHARE_MAX} of
     * the rest; the causes the rest, so the widest. A text still too long ends in "..." and shows
     * whole in its tooltip. Never wider than the table: no sideways scrolling.
     */
    private void sizeColumns() {
        double inner = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset();
        if (inner <= 0) return;
        for (javafx.scene.Node n : table.lookupAll(".scroll-bar")) {
            if (n instanceof javafx.scene.control.ScrollBar bar && bar.getOrientation() == javafx.geometry.Orientation.VERTICAL) {
                if (watchedBar != bar) {
                    watchedBar = bar;
                    bar.visibleProperty().addListener((obs, was, now) -> sizeColumns());
                }
                if (bar.isVisible()) inner -= bar.getWidth();
            }
        }
        Instant now = clock.instant();
        double since = textWidth(sinceColumn.getText());
        double state = textWidth(stateColumn.getText());
        for (StatusTexts.Row row : table.getItems()) {
            since = Math.max(since, textWidth(StatusTexts.tableTime(row.time(), now, clock.getZone())));
            state = Math.max(state, textWidth(row.state()));
        }
        since += CELL_PADDING;
        // A little to spare: the table rounds each column's width up to whole pixels.
        double rest = Math.max(0, inner - since - SPARE);
        state = Math.min(state + CELL_PADDING, rest * STATE_SHARE_MAX);
        setWidth(sinceColumn, since);
        setWidth(stateColumn, state);
        setWidth(causeColumn, rest - state);
    }

    /** Left over at the table's right: the columns' widths rounded up never add up to more than it has. */
    private static final double SPARE = 4;

    private javafx.scene.control.ScrollBar watchedBar;

    private static void setWidth(TableColumn<?, ?> column, double width) {
        column.setMinWidth(Math.min(width, 10));
        column.setPrefWidth(width);
    }

    /** {@code text}'s width in the table's font. */
    private double textWidth(String text) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(text);
        t.setFont(cellFont());
        return t.getLayoutBounds().getWidth();
    }

    private javafx.scene.text.Font cellFont() {
        for (javafx.scene.Node cell : table.lookupAll(".table-cell")) {
            if (cell instanceof javafx.scene.control.Labeled l) return l.getFont();
        }
        return javafx.scene.text.Font.getDefault();
    }

    private static TableColumn<StatusTexts.Row, String> column(String title, Function<StatusTexts.Row, String> value) {
        TableColumn<StatusTexts.Row, String> column = new TableColumn<>(title);
        column.setSortable(false);
        column.setReorderable(false);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        column.setCellFactory(c -> new CuttableCell());
        return column;
    }

    /** A cell whose text, when too long for it, ends in "..." and shows whole in a tooltip on hover. */
    static final class CuttableCell extends javafx.scene.control.TableCell<StatusTexts.Row, String> {
        private javafx.scene.control.Tooltip whole;

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty ? null : item);
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            // Whether the skin cut the text is known only once it has laid it out.
            String item = isEmpty() ? null : getItem();
            boolean cut = item != null && !item.isEmpty() && !item.equals(shownText());
            if (cut) {
                if (whole == null) {
                    whole = new javafx.scene.control.Tooltip();
                    whole.setShowDelay(javafx.util.Duration.millis(400));
                    whole.setWrapText(true);
                    whole.setMaxWidth(480);
                }
                whole.setText(item);
                if (getTooltip() != whole) setTooltip(whole);
            } else if (getTooltip() != null) {
                setTooltip(null);
            }
        }

        /** The text as the skin shows it: the whole text, or its start and "...". */
        private String shownText() {
            for (javafx.scene.Node n : getChildrenUnmodifiable()) {
                if (n instanceof javafx.scene.text.Text t) return t.getText();
            }
            return getText();
        }
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
