package dev.connecttray.engine.soloist;

import dev.connecttray.config.AppPaths;
import dev.connecttray.config.Settings;
import java.time.Clock;

/** Chooses where the {@code soloist} executable comes from, as the configuration says. */
public final class SoloistBinaries {
    private SoloistBinaries() {
    }

    /**
     * {@code engine.binary} when set ({@link GivenSoloist}, never replaced), else the managed copy in
     * the data folder ({@link ManagedSoloist}, downloaded only with {@code engine.allowDownload} or the
     * consent record in the state folder).
     */
    public static SoloistBinary of(Settings.Engine engine, AppPaths paths) {
        if (engine.binary() != null) return new GivenSoloist(engine.binary(), Clock.systemDefaultZone());
        return ManagedSoloist.forSpotify(paths.dataDir(), paths.stateDir(), engine.allowDownload());
    }
}
