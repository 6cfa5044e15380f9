package dev.connecttray.engine.soloist;

import dev.connecttray.supervisor.EngineUnusable;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the {@code soloist} executable comes from: a path the user gave, or the managed copy that
 * Connect Tray downloads from Spotify's build host with the user's consent. Either way the build is
 * checked (runs, says its version, not expired) before it is used.
 *
 * <p>{@link #prepare} and {@link #expired} may block for as long as a download takes: they are
 * called on the engine's own thread, never on the supervisor's.
 */
public interface SoloistBinary {

    /**
     * The {@link dev.connecttray.core.Failure#detail()} of the failure that says the managed copy
     * needs the user's consent before anything is downloaded: the tray asks then.
     */
    String CONSENT_NEEDED = dev.connecttray.config.SoloistTerms.CONSENT_NEEDED;

    /** The detail of the failure that says there is no usable API key: the status window offers to enter one. */
    String API_KEY_NEEDED = dev.connecttray.config.SoloistTerms.API_KEY_NEEDED;

    /**
     * The executable to run now, after any refresh that is due.
     *
     * @throws EngineUnusable it cannot run until the user acts (missing, not executable, expired and
     *                        not refreshable, no consent to download); the failure says what to do
     */
    Path prepare() throws EngineUnusable, InterruptedException;

    /**
     * The running build exited 10 (expired). Returns once a fresh build is in place (a managed copy
     * with consent); otherwise throws, so an expired build is never restarted in a loop.
     */
    void expired() throws EngineUnusable, InterruptedException;

    /** The build last checked, for the days left in the status window; empty before the first check. */
    Optional<SoloistBuild> build();

    /**
     * For idle time (nothing playing; the engine decides): puts a new build in place when one is due
     * and available. May block for a download; never throws for a failed one (it is logged and the
     * current build stays). A user-given binary is never refreshed.
     *
     * @return whether a new build is now in place (restart the engine to use it)
     */
    default boolean refreshIfDue() throws InterruptedException {
        return false;
    }
}
