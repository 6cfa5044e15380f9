package dev.connecttray.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.Callable;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** JavaFX's pulse runs only while a window shows (it woke the JavaFX thread 60 times a second in a tray-only session). */
@ExtendWith(ApplicationExtension.class)
class IdlePulsesTest {

    private static <T> T onFx(Callable<T> work) throws Exception {
        T result = WaitForAsyncUtils.asyncFx(work).get();
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }

    @Test
    void thePulseStopsWhileNoWindowShowsAndRunsWhileOneDoes() throws Exception {
        onFx(() -> {
            for (Window w : new ArrayList<>(Window.getWindows())) w.hide();
            IdlePulses.install();
            return null;
        });
        assertThat(onFx(IdlePulses::pulseRunning)).as("no window shows: no pulse").isFalse();

        Stage stage = onFx(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(new Label("Connect Tray"), 200, 100));
            s.show();
            return s;
        });
        assertThat(onFx(IdlePulses::pulseRunning)).as("a window shows: JavaFX renders on its pulse").isTrue();
        assertThat(onFx(() -> ((Label) stage.getScene().getRoot()).getText())).isEqualTo("Connect Tray");

        onFx(() -> {
            stage.hide();
            return null;
        });
        assertThat(onFx(IdlePulses::pulseRunning)).as("the window closed: the pulse stops again").isFalse();
    }
}
