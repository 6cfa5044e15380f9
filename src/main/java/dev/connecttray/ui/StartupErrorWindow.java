package dev.connecttray.ui;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Why Connect Tray could not start, for a user who started it from the desktop and would otherwise
 * see nothing at all: the headline, the file or folder concerned, the reason, what to do, and a
 * Close button (with "Open config folder" for a configuration error). The caller exits with the
 * same status as without a display once the window is closed.
 */
public final class StartupErrorWindow {

    /**
     * @param headline what went wrong, in a few words
     * @param file     the file or folder concerned
     * @param reason   the reason, as detailed as the log's
     * @param whatToDo what the user can do about it
     * @param folder   a folder the window offers to open (the config folder), or null for none
     */
    public record Message(String headline, Path file, String reason, String whatToDo, Path folder) {
        public Message {
            Objects.requireNonNull(headline, "headline");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(whatToDo, "whatToDo");
        }
    }

    /**
     * Opens a folder; completes with null when it opened, else with what to tell the user.
     * Called on the JavaFX thread; must not block.
     */
    public interface FolderAction extends Function<Path, CompletableFuture<String>> {
    }

    private final Stage stage;
    private final Label openResult = new Label();

    /** Builds the window, hidden; on the JavaFX thread. */
    StartupErrorWindow(Message message, FolderAction openFolder) {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("StartupErrorWindow must be created on the JavaFX thread");
        }
        Label headline = new Label(message.headline());
        headline.setId("headline");
        headline.setWrapText(true);
        headline.setStyle("-fx-font-size: 1.4em; -fx-font-weight: bold;");
        headline.setMinHeight(Region.USE_PREF_SIZE);

        TextField file = new TextField(message.file().toString());
        file.setId("file");
        file.setEditable(false);
        // Named by what it is: the state folder another instance holds is no file.
        String kind = java.nio.file.Files.isDirectory(message.file()) ? "Folder" : "File";
        file.setAccessibleText(kind);
        HBox.setHgrow(file, Priority.ALWAYS);
        Label fileLabel = new Label(kind + ":");
        fileLabel.setId("file-label");
        fileLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox fileRow = new HBox(8, fileLabel, file);
        fileRow.setAlignment(Pos.CENTER_LEFT);

        Label reason = new Label(message.reason());
        reason.setId("reason");
        reason.setWrapText(true);
        reason.setMinHeight(Region.USE_PREF_SIZE);
        Label whatToDo = new Label(message.whatToDo());
        whatToDo.setId("what-to-do");
        whatToDo.setWrapText(true);
        whatToDo.setMinHeight(Region.USE_PREF_SIZE);
        openResult.setId("open-result");
        openResult.setWrapText(true);
        openResult.setMinHeight(Region.USE_PREF_SIZE);
        openResult.setManaged(false);
        openResult.setVisible(false);

        Button close = new Button("_Close");
        close.setId("close");
        close.setDefaultButton(true);
        close.setCancelButton(true);
        close.setOnAction(e -> hide());
        HBox buttons = new HBox(8);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        if (message.folder() != null) {
            Button open = new Button("_Open config folder");
            open.setId("open-folder");
            open.setOnAction(e -> openFolder.apply(message.folder()).thenAccept(problem -> Platform.runLater(() -> {
                if (problem == null) return;
                boolean shown = openResult.isManaged();
                openResult.setText(problem);
                openResult.setManaged(true);
                openResult.setVisible(true);
                if (!shown) fitting.again();
            })));
            buttons.getChildren().add(open);
        }
        buttons.getChildren().add(close);

        VBox root = new VBox(12, headline, fileRow, reason, whatToDo, openResult, buttons);
        root.setPadding(new Insets(16));
        root.setPrefWidth(WIDTH);
        Scene scene = new Scene(root); // its preferred height is the text's at that width
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                hide();
            }
        });
        stage = new Stage();
        stage.setTitle("Connect Tray");
        stage.setScene(scene);
        close.requestFocus();
        fitting = FitToText.install(stage, WIDTH, close);
    }

    private static final double WIDTH = 640;

    private FitToText fitting;

    Stage stage() {
        return stage;
    }

    private void hide() {
        stage.hide();
    }

    /**
     * Shows {@code message} and returns once the user has closed the window. Not on the JavaFX
     * thread; starts JavaFX if it does not run yet.
     *
     * @throws UnsupportedOperationException JavaFX cannot run on this display
     * @throws IllegalStateException         JavaFX did not start in time
     */
    public static void showAndWait(Message message, FolderAction openFolder) throws InterruptedException {
        if (Platform.isFxApplicationThread()) throw new IllegalStateException("not on the JavaFX thread");
        FxPlatform.start();
        CountDownLatch closed = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                StartupErrorWindow w = new StartupErrorWindow(message, openFolder);
                w.stage.setOnHidden(e -> closed.countDown());
                w.stage.show();
                w.stage.toFront();
            } catch (RuntimeException e) {
                closed.countDown();
                throw e;
            }
        });
        closed.await();
    }
}
