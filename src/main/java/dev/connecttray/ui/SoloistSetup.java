package dev.connecttray.ui;

import java.io.IOException;

/**
 * Where the tray's answers about Spotify Soloist go: the composition root wires them to the
 * consent record and the API key file, and reconnects. Both are called on a worker thread, never
 * on the JavaFX thread; an {@link IOException}'s message is shown to the user in the dialog.
 */
public interface SoloistSetup {

    /**
     * The answer to the download question: {@code true} for "Allow download"; {@code false} for
     * "Not now" (or the question closed unanswered), which the tray remembers for this session only.
     *
     * @throws IOException the answer could not be recorded; the question stays open and says why
     */
    void consentAnswered(boolean allowed) throws IOException;

    /**
     * The API key the user typed, whitespace around it removed; never empty. The array is cleared
     * as soon as this returns (or throws): copy what must be kept, and never log it.
     *
     * @throws IOException it could not be stored; the dialog stays open and says why
     */
    void apiKeyEntered(char[] key) throws IOException;
}
