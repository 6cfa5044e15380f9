package dev.connecttray.config;

/**
 * The words about Spotify Soloist that the engine, the tray and the window share, in one place below
 * all of them: the consent the user gives (as asked and as recorded), the terms that apply, and the
 * failure details that tell the UI what the user can do.
 */
public final class SoloistTerms {
    private SoloistTerms() {
    }

    /** The only host a managed copy is downloaded from. */
    public static final String BUILD_HOST = "soloist-builds.spotifycdn.com";
    /** Spotify's Soloist documentation: the downloads and the terms that apply. */
    public static final String TERMS_URL = "https://developer.spotify.com/documentation/soloist";
    /** Where an API key is created (with a Premium account). */
    public static final String DASHBOARD_URL = "https://developer.spotify.com/dashboard";

    /** What the user agrees to, word for word as the question asks it and the record keeps it. */
    public static final String AGREEMENT = "Connect Tray may download Spotify Soloist from Spotify's build host ("
            + BUILD_HOST + "), run it, keep it on this computer and replace it with a new build "
            + "before each build's 90 days run out.";
    /** Shown with the question: whose terms apply, and that the risk is the user's. */
    public static final String NOTICE = "Spotify Soloist is Spotify's proprietary software under Spotify's terms ("
            + TERMS_URL + "). Spotify's terms do not clearly say that a program may download it on a user's behalf; "
            + "you agree to this at your own risk. Without consent Connect Tray makes no request to Spotify's build "
            + "host; you can instead download Soloist yourself and set engine.binary.";

    /**
     * The {@link dev.connecttray.core.Failure#detail()} of the failure that says the managed copy
     * needs the user's consent before anything is downloaded: the tray asks then.
     */
    public static final String CONSENT_NEEDED = "soloist: download consent needed";
    /** The detail of the failure that says there is no usable API key: the status window offers to enter one. */
    public static final String API_KEY_NEEDED = "soloist: API key needed";
}
