package dev.connecttray.ui;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.StateText;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.tray.TrayMenuBuilder;
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
        /** The user closed the window that is the only UI (see {@link #quitOnClose()}). */
        QUIT_ON_CLOSE
    }

    /** Said in the window where closing it quits. */
    public static final String CLOSING_QUITS = "No tray on this desktop: closing this window quits Connect Tray.";

    /** What the window says about this device; fixed while the app runs. */
    public record Info(String deviceName, String authMode, Path configFile) {
        public Info {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(authMode, "authMode");
            Objects.requireNonNull(configFile, "configFile");
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
    private volatile boolean closingQuits;
    private final Circle stateDot = new Circle(7);
    private final Label stateLine = new Label();
    private final Label detailLine = new Label();
    private final Button reconnect = new Button("_Reconnect now");
    private final Button quit = new Button("_" + TrayMenuBuilder.QUIT_LABEL);
    private final TimelineBand band = new TimelineBand();
    private final TableView<StatusTexts.Row> table = new TableView<>();
    /** Re-renders the state line every second while it counts down (or up). */
    private final FxTimer countdown;
    /** Moves the band along while the window is open. */
    private final FxTimer bandRefresh;

    private ConnectionState state = new ConnectionState.Starting();
    private List<StateHistory.Entry> history = List.of();
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
        HBox actions = new HBox(8, reconnect, quit);

        band.setId("timeline");
        Label bandTitle = sectionTitle("Last 24 hours");

        table.setId("history");
        table.setPlaceholder(new Label("No state changes yet"));
        TableColumn<StatusTexts.Row, String> since = column("Since", 150,
                r -> StatusTexts.tableTime(r.time(), clock.instant(), clock.getZone()));
        // Never cut: at least as wide as the longest time it shows, plus the cell's padding.
        since.setMinWidth(new javafx.scene.text.Text(StatusTexts.LONGEST_TABLE_TIME).getLayoutBounds().getWidth() + 24);
        table.getColumns().add(since);
        table.getColumns().add(column("State", 210, StatusTexts.Row::state));
        table.getColumns().add(column("Cause", 260, StatusTexts.Row::cause));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
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
        root.setPadding(new Insets(16));

        Scene scene = new Scene(root, PREF_WIDTH, PREF_HEIGHT);
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                closedByUser();
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
        bandRefresh = new FxTimer(Duration.ofMinutes(1), this::renderHistory);
        stage.showingProperty().addListener((obs, was, showing) -> {
            if (showing) renderHistory();
            updateTimers();
        });

        renderState();
        detectColorScheme();
    }

    /** Shows {@code state} and {@code history} (oldest first). Any thread. */
    public void update(ConnectionState state, List<StateHistory.Entry> history) {
        Objects.requireNonNull(state, "state");
        List<StateHistory.Entry> copy = List.copyOf(history);
        onFx(() -> {
            this.state = state;
            this.history = copy;
            renderState();
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
     * From now on closing the window (Escape, the title bar's close) quits: for a desktop without a
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

    /** Escape or the title bar's close: hides the window, and asks to quit where that is what closing means. */
    private void closedByUser() {
        hide();
        if (closingQuits) send(Request.QUIT_ON_CLOSE);
    }

    /** Hides the window; the app goes on in the tray. Any thread. */
    public void hide() {
        onFx(stage::hide);
    }

    /** The window itself, for tests. */
    public Stage stage() {
        return stage;
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
        reconnect.setDisable(!TrayMenuBuilder.canReconnect(state));
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
        return state instanceof ConnectionState.Retrying || state instanceof ConnectionState.Cooldown;
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
        Thread t = new Thread(() -> {
            ColorScheme scheme = colorSchemes.get();
            Platform.runLater(() -> applyColorScheme(scheme));
        }, "connect-tray-color-scheme");
        t.setDaemon(true);
        t.start();
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
        grid.addRow(1, new Label("Login"), authMode);
        grid.addRow(2, new Label("Configuration"), configRow);
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
    private static List<javafx.scene.image.Image> appIcons() {
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

    private static TableColumn<StatusTexts.Row, String> column(String title, double width,
                                                                Function<StatusTexts.Row, String> value) {
        TableColumn<StatusTexts.Row, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setSortable(false);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        // A cell too narrow for its text ends in "..."; hovering it shows the whole text.
        column.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item);
                setTooltip(empty || item == null || item.isEmpty() ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        return column;
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
