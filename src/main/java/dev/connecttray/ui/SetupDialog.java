package dev.connecttray.ui;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Spotify Soloist questions have in common: a window of the app's (its title and icon,
 * over the status window and modal to it), texts that wrap, links that open in the browser (and
 * say where they lead when no browser opens), a line for what went wrong, and the keyboard: Tab
 * between the parts, Enter presses the button (or link) that has the focus, Escape cancels. An
 * answer that has to be recorded is handed to a worker thread while the buttons wait.
 */
abstract class SetupDialog {
    private static final Logger LOG = LoggerFactory.getLogger(SetupDialog.class);
    static final double WIDTH = 560;

    /** Something done on the worker thread with the user's answer. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    final Stage stage = new Stage();
    private final LinkBrowser browser;
    private final Executor worker;
    /** What went wrong: a link that did not open, an answer that could not be kept. */
    private final Label problem = new Label();
    /** The address of a link that did not open, to copy. */
    private final TextField address = new TextField();
    private final List<Node> whileWorking = new ArrayList<>();

    /**
     * @param owner  the window it belongs to (the status window), or null for none
     * @param worker where answers are handed to the callback
     */
    SetupDialog(String title, Window owner, LinkBrowser browser, Executor worker) {
        if (!Platform.isFxApplicationThread()) throw new IllegalStateException("must be built on the JavaFX thread");
        this.browser = Objects.requireNonNull(browser, "browser");
        this.worker = Objects.requireNonNull(worker, "worker");
        stage.setTitle(title);
        stage.getIcons().addAll(StatusWindow.appIcons());
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        problem.setId("problem");
        problem.getStyleClass().add("setup-problem");
        address.setId("link-address");
        address.setEditable(false);
        address.setAccessibleText("Address");
        for (Node n : List.of(problem, address)) {
            n.setManaged(false);
            n.setVisible(false);
        }
    }

    /** Lays out {@code content} with {@code buttons} at the bottom right; {@code focus} takes the first focus. */
    final void build(List<Node> content, List<Button> buttons, Node focus) {
        VBox root = new VBox(12);
        for (Node n : content) {
            if (n instanceof Label l) {
                l.setWrapText(true);
                l.setMinHeight(Region.USE_PREF_SIZE);
            }
            root.getChildren().add(n);
        }
        problem.setWrapText(true);
        problem.setMinHeight(Region.USE_PREF_SIZE);
        root.getChildren().addAll(problem, address);
        HBox row = new HBox(8);
        row.setAlignment(Pos.CENTER_RIGHT);
        row.getChildren().addAll(buttons);
        whileWorking.addAll(buttons);
        root.getChildren().add(row);
        root.setPadding(new Insets(16));
        root.setPrefWidth(WIDTH);
        Scene scene = new Scene(root);
        scene.getStylesheets().add(Objects.requireNonNull(StatusWindow.class.getResource("status-window.css"),
                "status-window.css").toExternalForm());
        // Enter presses what has the focus, as GTK's dialogs do (JavaFX would press the default
        // button, whatever has the focus): nobody agrees to anything by pressing Enter on another button.
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && scene.getFocusOwner() instanceof ButtonBase b && !b.isDisabled()) {
                e.consume();
                b.fire();
            }
        });
        stage.setScene(scene);
        fitting = FitToText.install(stage, WIDTH, focus);
    }

    private FitToText fitting;

    /** A link to {@code page}: opened in the browser, or, when none opens, the address shown to copy. */
    final Hyperlink link(String id, String text, URI page) {
        Hyperlink link = new Hyperlink(text);
        link.setId(id);
        link.setOnAction(e -> {
            link.setVisited(false);
            browser.browse(page).whenComplete((outcome, error) -> Platform.runLater(() -> {
                if (error == null && outcome.opened()) return;
                String why = error != null ? error.toString() : outcome.failure();
                showProblem("No browser opened the page (" + why + "). Its address is:");
                address.setText(page.toString());
                address.setManaged(true);
                address.setVisible(true);
                address.requestFocus();
                address.selectAll();
            }));
        });
        return link;
    }

    /** Says what went wrong, under the texts; grows the window to fit. */
    final void showProblem(String text) {
        problem.setText(text);
        problem.setManaged(true);
        problem.setVisible(true);
        fitting.again();
    }

    /** Hands {@code work} to the worker, buttons disabled meanwhile; then {@code done} on the JavaFX thread, or the failure shown. */
    final void handOver(String what, Work work, Runnable done, Runnable always) {
        whileWorking.forEach(n -> n.setDisable(true));
        Runnable task = () -> {
            IOException failure = null;
            try {
                work.run();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                LOG.warn("Could not {}", what, e);
                failure = new IOException(e.toString(), e);
            } finally {
                always.run();
            }
            IOException f = failure;
            Platform.runLater(() -> {
                afterWork();
                whileWorking.forEach(n -> n.setDisable(false));
                enableButtons();
                if (f == null) {
                    done.run();
                } else {
                    LOG.warn("Could not {}: {}", what, f.getMessage());
                    showProblem("Could not " + what + ": " + f.getMessage());
                }
            });
        };
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            always.run();
            afterWork();
            whileWorking.forEach(n -> n.setDisable(false));
            enableButtons();
            showProblem("Could not " + what + ": Connect Tray is shutting down.");
        }
    }

    /** After {@link #handOver}'s work, before the buttons are enabled again; on the JavaFX thread. */
    void afterWork() {
    }

    /** After {@link #handOver}: buttons that depend on input (an empty key) go back to their own rule. */
    void enableButtons() {
    }

    /** Shows the window, or brings it to the front, focused. */
    final void show() {
        if (stage.isIconified()) stage.setIconified(false);
        stage.show();
        stage.toFront();
        stage.requestFocus();
    }

    final void close() {
        stage.hide();
    }

    static Label paragraph(String id, String text) {
        Label l = new Label(text);
        l.setId(id);
        return l;
    }
}
