package dev.connecttray.ui;

import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.Region;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Keeps a small window (a message, a question) as big as its text needs at a chosen width, or the
 * screen's: openbox maps a JavaFX window at about 200 × 200 whatever it asked for and only then
 * tells it its size, so the window is sized to its scene again (JavaFX adds the title bar) whenever
 * its size changes, and placed over its owner, or in the middle of the screen, within the screen.
 * Asks the window manager at most {@link #MAX_FITS} times per {@link #again()}: never in a loop with it.
 */
final class FitToText {
    static final int MAX_FITS = 10;

    private final Stage stage;
    private final double width;
    private int fits;

    private FitToText(Stage stage, double width) {
        this.stage = stage;
        this.width = width;
    }

    /** Fits {@code stage} (its scene set) once shown, and whenever its size changes; {@code focus} gets the focus. */
    static FitToText install(Stage stage, double width, Node focus) {
        FitToText fit = new FitToText(stage, width);
        stage.setOnShown(e -> {
            fit.fit();
            focus.requestFocus();
        });
        javafx.beans.value.ChangeListener<Number> refit = (o, was, now) -> Platform.runLater(fit::fit);
        stage.getScene().widthProperty().addListener(refit);
        stage.getScene().heightProperty().addListener(refit);
        return fit;
    }

    /** The text grew (a line was added): fit again, taller, so that nothing is cut. */
    void again() {
        fits = 0;
        Platform.runLater(this::fit);
    }

    private void fit() {
        if (!stage.isShowing()) return;
        Scene scene = stage.getScene();
        Rectangle2D screen = Screen.getScreensForRectangle(stage.getX(), stage.getY(), 1, 1)
                .stream().findFirst().orElse(Screen.getPrimary()).getVisualBounds();
        double w = Math.min(width, screen.getWidth());
        Region root = (Region) scene.getRoot();
        if (scene.getWidth() >= w - 0.5 && scene.getHeight() >= root.prefHeight(scene.getWidth()) - 0.5) return;
        if (++fits > MAX_FITS) return;
        root.setPrefWidth(Math.max(w, Math.min(scene.getWidth(), screen.getWidth())));
        stage.sizeToScene();
        Window owner = stage.getOwner();
        double x = owner != null ? owner.getX() + (owner.getWidth() - stage.getWidth()) / 2 : stage.getX();
        double y = owner != null ? owner.getY() + (owner.getHeight() - stage.getHeight()) / 3 : stage.getY();
        if ((owner == null && fits == 1) || Double.isNaN(x) || Double.isNaN(y)) {
            stage.centerOnScreen(); // a message in the middle, as the window manager would have put it
            return;
        }
        stage.setX(Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - stage.getWidth())));
        stage.setY(Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - stage.getHeight())));
    }
}
