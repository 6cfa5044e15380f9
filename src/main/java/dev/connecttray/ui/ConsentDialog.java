package dev.connecttray.ui;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Window;

/**
 * The one-time question before Connect Tray downloads Spotify Soloist: what will happen, whose
 * terms apply and that they do not clearly allow it, a link to them, and "Allow download" or
 * "Not now". "Not now" has the first focus and Escape means it; agreeing takes a deliberate
 * press of "Allow download" (Alt+A, or Tab to it).
 */
final class ConsentDialog extends SetupDialog {
    /** Spotify's Soloist documentation: the downloads and the terms that apply. */
    static final URI TERMS = URI.create(dev.connecttray.config.SoloistTerms.TERMS_URL);
    /** Spotify's build host, the only place Soloist is downloaded from. */
    static final String BUILD_HOST = dev.connecttray.config.SoloistTerms.BUILD_HOST;

    static final String HEADING = "Download Spotify Soloist?";
    static final String WHY = "Connect Tray is set to play through Spotify Soloist, Spotify's own Spotify Connect "
            + "player, and needs your consent to fetch it.";
    /**
     * What the user agrees to, word for word as the consent record keeps it
     * ({@code SoloistConsent.AGREEMENT}; the engines are a layer the window does not reach into).
     */
    static final String AGREEMENT = dev.connecttray.config.SoloistTerms.AGREEMENT;
    static final String WHERE = "It downloads from that host only and keeps the copy in Connect Tray's data folder. "
            + "Spotify's builds stop working 90 days after they were made.";
    /** Whose terms apply and whose the risk is ({@code SoloistConsent.NOTICE}, word for word). */
    static final String NOTICE = dev.connecttray.config.SoloistTerms.NOTICE;
    static final String NOT_NOW = "Not now: nothing is downloaded. Connect Tray asks again the next time it starts, "
            + "and until then the status window offers the download.";

    private final Button allow = new Button("_Allow download");
    private final Button notNow = new Button("_Not now");

    /**
     * @param answered told on the JavaFX thread once an answer was handed on: {@code true} once
     *                 "Allow download" was recorded, {@code false} for "Not now" or closing
     */
    ConsentDialog(Window owner, LinkBrowser browser, Executor worker, SoloistSetup setup, Consumer<Boolean> answered) {
        super("Connect Tray: Spotify Soloist", owner, browser, worker);
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(answered, "answered");
        Label heading = paragraph("consent-heading", HEADING);
        heading.getStyleClass().add("setup-heading");
        allow.setId("allow");
        notNow.setId("not-now");
        notNow.setCancelButton(true);
        allow.setOnAction(e -> handOver("record your answer", () -> setup.consentAnswered(true), () -> {
            answered.accept(true);
            close();
        }, () -> { }));
        notNow.setOnAction(e -> declined(setup, answered));
        // The title bar's close is "Not now" too: the question was seen and not agreed to.
        stage.setOnCloseRequest(e -> {
            e.consume();
            if (!notNow.isDisabled()) declined(setup, answered);
        });
        Label agreement = paragraph("consent-agreement", AGREEMENT);
        agreement.getStyleClass().add("setup-agreement");
        build(List.of(heading, paragraph("consent-why", WHY), agreement, paragraph("consent-where", WHERE),
                paragraph("consent-terms", NOTICE), link("terms-link", "Spotify's Soloist documentation and terms", TERMS),
                paragraph("consent-not-now", NOT_NOW)), List.of(allow, notNow), notNow);
    }

    /** "Not now": the window goes at once; the answer is handed on all the same. */
    private void declined(SoloistSetup setup, Consumer<Boolean> answered) {
        close();
        answered.accept(false);
        handOver("hand on your answer", () -> setup.consentAnswered(false), () -> { }, () -> { });
    }
}
