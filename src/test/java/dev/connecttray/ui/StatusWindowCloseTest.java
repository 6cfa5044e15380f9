package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.ui.StatusWindow.Request;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Where the window is the only UI (no tray), closing it quits, and the window says so before. */
@ExtendWith(ApplicationExtension.class)
class StatusWindowCloseTest {
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private StatusWindow window;

    @Start
    void start(Stage primary) {
        window = new StatusWindow(new StatusWindow.Info("Living room", "zeroconf", Path.of("/tmp/config.json"), () -> "Embedded (librespot-java)"),
                requests::add, Clock.systemUTC(), () -> ColorScheme.LIGHT);
        window.show();
    }

    @AfterEach
    void hide() {
        window.hide();
        WaitForAsyncUtils.waitForFxEvents();
    }

    private Label closingLine(FxRobot robot) {
        return robot.lookup("#closing-quits").queryAs(Label.class);
    }

    @Test
    void withATrayTheLineIsNotThereAndClosingOnlyHides(FxRobot robot) {
        assertThat(closingLine(robot).isVisible()).isFalse();
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.stage().isShowing()).isFalse();
        assertThat(requests).isEmpty();
    }

    @Test
    void withoutATrayTheWindowSaysClosingQuitsButEscapeNeitherQuitsNorHides(FxRobot robot) {
        window.quitOnClose();
        WaitForAsyncUtils.waitForFxEvents();
        Label line = closingLine(robot);
        assertThat(line.isVisible()).isTrue();
        assertThat(line.getText()).isEqualTo("No tray on this desktop: closing this window quits Connect Tray.");
        assertThat(line.getHeight()).as("laid out, not squeezed away").isGreaterThan(0);

        // Escape is easily hit by accident; hiding the only UI would quit.
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.stage().isShowing()).isTrue();
        assertThat(requests).isEmpty();

        // Quit still quits.
        robot.clickOn("#quit");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(requests).containsExactly(Request.QUIT);
    }

    @Test
    void withoutATrayTheTitleBarCloseQuits(FxRobot robot) {
        window.quitOnClose();
        Stage stage = window.stage();
        WindowEvent close = new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST);
        robot.interact(() -> stage.getOnCloseRequest().handle(close));
        assertThat(stage.isShowing()).isFalse();
        assertThat(requests).containsExactly(Request.QUIT_ON_CLOSE);
    }
}
