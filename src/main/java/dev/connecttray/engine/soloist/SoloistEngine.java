package dev.connecttray.engine.soloist;

import dev.connecttray.config.EngineKind;
import dev.connecttray.supervisor.EndedRun;
import dev.connecttray.supervisor.Engine;
import dev.connecttray.supervisor.ExitVerdict;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Spotify Soloist, Spotify's official headless Connect player, as the supervisor's child.
 *
 * <ul>
 *   <li>Start: {@code soloist -n NAME -k KEY -D DATA -C CACHE --ws 127.0.0.1:0} in a session of its
 *       own ({@code setsid}), after the binary is prepared (which may download) on the run's own
 *       thread, the API key read from its owner-only file, and stale {@code ws.*} and crash-handler
 *       lock files removed from its private data folder (mode 0700).</li>
 *   <li>State: its local WebSocket ({@link SoloistSession}); stdout is its log, kept redacted.</li>
 *   <li>Exit: {@link SoloistExits}; an expired build (10) is refreshed before the next start, or the
 *       start fails: it is never restarted in a loop.</li>
 *   <li>Stop: SIGTERM, then SIGKILL, to its whole session, helpers re-parented to PID 1 included.</li>
 * </ul>
 */
public final class SoloistEngine implements Engine {
    /**
     * @param deviceName        the Connect device name
     * @param apiKeyFile        the owner-only file with the user's API key
     * @param dataDir           Soloist's private data folder (session, device identity, {@code ws.*})
     * @param cacheDir          its cache folder
     * @param stallLimit        how long "playing" with a still position is tolerated before degraded (and again before a restart)
     * @param heartbeatInterval how often it is asked for its state; the supervisor's watchdog allows three missed
     */
    public record Options(String deviceName, Path apiKeyFile, Path dataDir, Path cacheDir, Duration stallLimit,
                          Duration heartbeatInterval) {
        public Options {
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(apiKeyFile, "apiKeyFile");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(cacheDir, "cacheDir");
            Objects.requireNonNull(stallLimit, "stallLimit");
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        }

        /** The folders under the state folder: {@code soloist/} for its data, {@code soloist-cache/} for its cache. */
        public static Options inStateFolder(String deviceName, Path apiKeyFile, Path stateDir, Duration stallLimit,
                                            Duration heartbeatInterval) {
            return new Options(deviceName, apiKeyFile != null ? apiKeyFile : stateDir.resolve(DEFAULT_KEY_FILE),
                    stateDir.resolve("soloist"), stateDir.resolve("soloist-cache"), stallLimit, heartbeatInterval);
        }
    }

    /** The API key file's name in the state folder when {@code engine.apiKeyFile} is not set. */
    public static final String DEFAULT_KEY_FILE = "soloist-api-key";

    private final SoloistBinary binary;
    private final Options options;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY).build(); // loopback only: never through a proxy
    /** The last run exited 10: the next start refreshes the build first (or fails). */
    private final AtomicBoolean expiredPending = new AtomicBoolean();
    private final AtomicInteger runs = new AtomicInteger();
    /** The latest run: the next one waits for it to end. */
    private final java.util.concurrent.atomic.AtomicReference<SoloistRun> last =
            new java.util.concurrent.atomic.AtomicReference<>();

    public SoloistEngine(SoloistBinary binary, Options options, Clock clock) {
        this(binary, options, clock, System::nanoTime);
    }

    public SoloistEngine(SoloistBinary binary, Options options, Clock clock, LongSupplier nanoTime) {
        this.binary = Objects.requireNonNull(binary, "binary");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public EngineKind kind() {
        return EngineKind.SOLOIST;
    }

    @Override
    public Child start(int attemptsUsed, Listener listener) throws IOException {
        synchronized (last) {
            SoloistRun run = new SoloistRun(runs.incrementAndGet(), binary, options, expiredPending, http, clock,
                    nanoTime, listener, last.get());
            last.set(run);
            run.begin();
            return run;
        }
    }

    @Override
    public ExitVerdict classifyExit(EndedRun run) {
        ExitVerdict verdict = SoloistExits.classify(run, options.apiKeyFile());
        // Nothing blocking here (the supervisor's thread): the next start refreshes, on its own thread.
        if (run.status() == SoloistExits.EXPIRED && run.reported() == null) expiredPending.set(true);
        return verdict;
    }

    @Override
    public boolean reconnectsInPlace() {
        return false;
    }

    @Override
    public String describe() {
        return binary.build().map(b -> kind().displayName() + " " + b.version() + " \u00b7 "
                + daysLeft(b.daysLeft(LocalDate.ofInstant(clock.instant(), ZoneId.systemDefault()))))
                .orElse(kind().displayName());
    }

    static String daysLeft(long days) {
        if (days <= 0) return "expired";
        return days == 1 ? "1 day left" : days + " days left";
    }
}
