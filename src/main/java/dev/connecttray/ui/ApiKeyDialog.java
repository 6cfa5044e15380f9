package dev.connecttray.ui;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for the user's Spotify Soloist API key: where to create one, that Soloist receives it on its
 * command line where other local users can read it, a password field, and Save or Cancel. The key
 * is handed on as a {@code char[]} that is cleared once the callback returns; the field is cleared
 * once the dialog closes. It is never logged and never shown back. (JavaFX's own text field keeps
 * its content as a string while the user types: that much is beyond this dialog's reach.)
 */
final class ApiKeyDialog extends SetupDialog {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyDialog.class);
    /** Where a Premium account creates its Soloist API key. */
    static final URI DASHBOARD = URI.create("https://developer.spotify.com/dashboard");

    static final String HEADING = "Spotify Soloist API key";
    static final String WHERE = "Spotify Soloist runs only with your own API key. Create one on Spotify's developer "
            + "dashboard, logged in with a Spotify Premium account, and paste it here.";
    static final String EXPOSED = "Connect Tray keeps the key in a file only you can read, but Soloist receives it on "
            + "its command line: while Soloist runs, other users of this computer can read the key.";

    private final PasswordField key = new PasswordField();
    private final Button save = new Button("_Save");
    private final Button cancel = new Button("_Cancel");
    private boolean saving;

    ApiKeyDialog(Window owner, LinkBrowser browser, Executor worker, SoloistSetup setup) {
        super("Connect Tray: Spotify Soloist", owner, browser, worker);
        Objects.requireNonNull(setup, "setup");
        Label heading = paragraph("api-key-heading", HEADING);
        heading.getStyleClass().add("setup-heading");
        key.setId("api-key");
        key.setPromptText("API key");
        key.setAccessibleText("Soloist API key");
        Label keyLabel = new Label("_API key:");
        keyLabel.setMnemonicParsing(true);
        keyLabel.setLabelFor(key);
        save.setId("save");
        save.setDefaultButton(true);
        cancel.setId("cancel");
        cancel.setCancelButton(true);
        key.textProperty().addListener((o, was, now) -> enableButtons());
        enableButtons();
        save.setOnAction(e -> save(setup));
        cancel.setOnAction(e -> closeAndForget());
        stage.setOnCloseRequest(e -> {
            e.consume();
            if (!saving) closeAndForget();
        });
        javafx.scene.layout.HBox keyRow = new javafx.scene.layout.HBox(8, keyLabel, key);
        keyRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        javafx.scene.layout.HBox.setHgrow(key, javafx.scene.layout.Priority.ALWAYS);
        build(List.of(heading, paragraph("api-key-where", WHERE), link("dashboard-link", "Spotify's developer dashboard",
                DASHBOARD), paragraph("api-key-exposed", EXPOSED), keyRow), List.of(save, cancel), key);
    }

    @Override
    void enableButtons() {
        // The field stays enabled while the key is handed on: disabled, it would give the focus away
        // (to the link), and after a failure the user goes on typing where they were.
        save.setDisable(saving || trimmedLength(key.getCharacters()) == 0);
    }

    private void save(SoloistSetup setup) {
        char[] typed = trimmed(key.getCharacters());
        if (typed.length == 0) return;
        saving = true;
        enableButtons();
        handOver("save the key", () -> setup.apiKeyEntered(typed), () -> {
            LOG.info("A Spotify Soloist API key was entered in the tray and handed on");
            closeAndForget();
        }, () -> Arrays.fill(typed, '\0'));
    }

    @Override
    void afterWork() {
        saving = false;
        enableButtons();
    }

    private void closeAndForget() {
        saving = false;
        key.clear();
        close();
    }

    /** The characters of {@code text} without the whitespace around them (a pasted line's end, say). */
    static char[] trimmed(CharSequence text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        char[] out = new char[end - start];
        for (int i = start; i < end; i++) out[i - start] = text.charAt(i);
        return out;
    }

    private static int trimmedLength(CharSequence text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        return end - start;
    }
}
