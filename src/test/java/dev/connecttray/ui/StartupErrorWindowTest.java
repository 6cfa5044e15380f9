package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.geometry.Bounds;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class StartupErrorWindowTest {
    private static final Path CONFIG = Path.of("/home/alice/.config/connect-tray/config.json");
    private final List<Path> opened = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> openResult = new CompletableFuture<>();
    private StartupErrorWindow window;

    @Start
    void start(Stage primary) {
        window = new StartupErrorWindow(new StartupErrorWindow.Message("Connect Tray cannot start: the configuration is not valid",
                CONFIG, CONFIG + " line 1 column 35: `retry.jitter` must be a number from 0.0 to 1.0, got 3",
                "Fix the file and start Connect Tray again.", CONFIG.getParent()), folder -> {
                    opened.add(folder);
                    return openResult;
                });
        window.stage().show();
    }

    @Test
    void itSaysWhatWhereWhyAndWhatToDo(FxRobot robot) {
        assertThat(window.stage().getTitle()).isEqualTo("Connect Tray");
        assertThat(robot.lookup("#headline").queryAs(Label.class).getText()).contains("configuration is not valid");
        assertThat(robot.lookup("#file").queryAs(TextField.class).getText()).isEqualTo(CONFIG.toString());
        assertThat(robot.lookup("#reason").queryAs(Label.class).getText()).contains("`retry.jitter`");
        assertThat(robot.lookup("#what-to-do").queryAs(Label.class).getText()).startsWith("Fix the file");
        assertThat(robot.lookup("#close").queryAs(Button.class).isFocused()).as("Space or Enter closes").isTrue();
        assertFits(robot, "#close");
        assertFits(robot, "#what-to-do");
    }

    /** The node is inside the window, not cut off at its bottom; a wrapped label has all its lines. */
    private void assertFits(FxRobot robot, String query) {
        Region node = robot.lookup(query).queryAs(Region.class);
        Bounds b = node.localToScene(node.getBoundsInLocal());
        assertThat(b.getMaxY()).as("%s ends inside the window", query)
                .isLessThanOrEqualTo(window.stage().getScene().getHeight());
        assertThat(node.getHeight()).as("%s is as tall as its text needs", query)
                .isGreaterThanOrEqualTo(node.prefHeight(node.getWidth()) - 0.5);
    }

    @Test
    void openConfigFolderOpensItAndSaysWhereItIsWhenThatFails(FxRobot robot) {
        robot.clickOn("#open-folder");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(opened).containsExactly(CONFIG.getParent());
        assertThat(robot.lookup("#open-result").queryAs(Label.class).isVisible()).isFalse();

        openResult.complete("No file manager opened the folder (xdg-open exited with status 3). It is " + CONFIG.getParent());
        WaitForAsyncUtils.waitForFxEvents();
        Label result = robot.lookup("#open-result").queryAs(Label.class);
        assertThat(result.isVisible()).isTrue();
        assertThat(result.getText()).contains("status 3").contains(CONFIG.getParent().toString());
        assertThat(window.stage().isShowing()).as("still there to read").isTrue();
        assertFits(robot, "#open-result");
        assertFits(robot, "#close");
    }

    @Test
    void escapeOrCloseEndsIt(FxRobot robot) {
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.stage().isShowing()).isFalse();

        robot.interact(() -> window.stage().show());
        robot.clickOn("#close");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.stage().isShowing()).isFalse();
    }

    @Test
    void aFileIsLabelledFileAndAFolderFolder(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#file-label").queryAs(Label.class).getText()).isEqualTo("File:");

        Path stateFolder = java.nio.file.Files.createTempDirectory("connect-tray-state");
        try {
            StartupErrorWindow[] held = new StartupErrorWindow[1];
            robot.interact(() -> held[0] = new StartupErrorWindow(new StartupErrorWindow.Message(
                    "Connect Tray is already running", stateFolder, "Another Connect Tray holds " + stateFolder,
                    "Use the running one.", null), folder -> CompletableFuture.completedFuture(null)));
            Label label = (Label) held[0].stage().getScene().lookup("#file-label");
            assertThat(label.getText()).isEqualTo("Folder:");
            assertThat(((TextField) held[0].stage().getScene().lookup("#file")).getAccessibleText()).isEqualTo("Folder");
        } finally {
            java.nio.file.Files.delete(stateFolder);
        }
    }
}
