package dev.connecttray.ui;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.view.SoloistWaits;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tray's questions about Spotify Soloist (tray mode only): the download consent, asked by
 * itself once a session when the engine fails for the lack of it, and again whenever the user
 * asks for it from the status window; and the API key, when the user asks for it there. "Not now"
 * holds for this session only: the next start asks again.
 */
public final class SoloistPrompts {
    private static final Logger LOG = LoggerFactory.getLogger(SoloistPrompts.class);

    private final SoloistSetup setup;
    private final LinkBrowser browser;
    private final Executor worker;
    /** The question has been asked by itself this session (answered, or on screen). */
    private final AtomicBoolean asked = new AtomicBoolean();
    private volatile Boolean answer;
    // On the JavaFX thread: the dialogs on screen, if any.
    private ConsentDialog consent;
    private ApiKeyDialog apiKey;

    /**
     * @param worker where the answers are handed to {@code setup} (never the JavaFX thread)
     */
    public SoloistPrompts(SoloistSetup setup, LinkBrowser browser, Executor worker) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.browser = Objects.requireNonNull(browser, "browser");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    /**
     * Whether {@code state} calls for the download question now: it is the failure that says the
     * managed Soloist copy needs consent, and the question has not been asked by itself this
     * session. True at most once a session; the caller then shows it ({@link #askConsent}). Any thread.
     */
    public boolean claimQuestion(ConnectionState state) {
        return SoloistWaits.forConsent(state) && asked.compareAndSet(false, true);
    }

    /** The user's answer this session: true allowed, false "Not now", null not answered yet. */
    public Boolean answer() {
        return answer;
    }

    /** Shows the download question over {@code owner} (or brings it forward). On the JavaFX thread. */
    public void askConsent(Window owner) {
        requireFx();
        asked.set(true);
        if (consent == null) {
            consent = new ConsentDialog(owner, browser, worker, setup, allowed -> {
                answer = allowed;
                LOG.info("Download of Spotify Soloist: {}", allowed ? "allowed" : "not now (asked again at the next start)");
            });
            consent.stage.setOnHidden(e -> consent = null);
        }
        consent.show();
    }

    /** Shows the API key question over {@code owner} (or brings it forward). On the JavaFX thread. */
    public void enterApiKey(Window owner) {
        requireFx();
        if (apiKey == null) {
            apiKey = new ApiKeyDialog(owner, browser, worker, setup);
            apiKey.stage.setOnHidden(e -> apiKey = null);
        }
        apiKey.show();
    }

    private static void requireFx() {
        if (!Platform.isFxApplicationThread()) throw new IllegalStateException("not on the JavaFX thread");
    }
}
