package dev.connecttray.view;

import dev.connecttray.core.ConnectionState;

/**
 * The two failures in which Spotify Soloist waits for the user rather than for a fixed file: the
 * managed copy needs the consent to be downloaded, or there is no usable API key. The tray, the
 * notifications and the status window word these as a question to answer. The details are those
 * of {@code dev.connecttray.engine.soloist.SoloistBinary} (the engines are a layer the tray and the
 * window do not reach into; a test holds the two to the same words).
 */
public final class SoloistWaits {
    /** {@code SoloistBinary.CONSENT_NEEDED}. */
    public static final String CONSENT_NEEDED = dev.connecttray.config.SoloistTerms.CONSENT_NEEDED;
    /** {@code SoloistBinary.API_KEY_NEEDED}. */
    public static final String API_KEY_NEEDED = dev.connecttray.config.SoloistTerms.API_KEY_NEEDED;

    private SoloistWaits() {
    }

    /** Whether {@code state} is the failure that waits for the download consent. */
    public static boolean forConsent(ConnectionState state) {
        return failedWith(state, CONSENT_NEEDED);
    }

    /** Whether {@code state} is the failure that waits for an API key. */
    public static boolean forApiKey(ConnectionState state) {
        return failedWith(state, API_KEY_NEEDED);
    }

    private static boolean failedWith(ConnectionState state, String detail) {
        return state instanceof ConnectionState.Failed f && f.cause().detail().equals(detail);
    }
}
