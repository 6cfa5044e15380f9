package dev.connecttray.engine.soloist;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.config.AtomicFiles;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.os.Platform;
import dev.connecttray.supervisor.EngineUnusable;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy of Spotify Soloist that Connect Tray keeps in its data folder
 * ({@code $XDG_DATA_HOME/connect-tray/soloist/soloist}) when {@code engine.binary} is not set.
 *
 * <p><b>Consent.</b> Nothing is requested from Spotify's build host unless the user consented:
 * {@code engine.allowDownload: true} in the config file, or the record the tray's one-time question
 * writes ({@link SoloistConsent}). Without it a start fails with {@link ExitStatus#CONFIG} and the
 * words to consent or to set {@code engine.binary}. A copy already kept still runs.
 *
 * <p><b>Download.</b> HTTPS from {@link BuildHost} only (each redirect checked), bounded in size and
 * time ({@link Limits}); the archive is unpacked by our own code ({@code soloist} only); the file must
 * be an ELF executable for this machine's class and architecture, and its {@code --version} must
 * exit 0, parse and not be expired. Only then is it renamed over the current copy, which is kept as
 * {@code soloist.previous}; any failure before that leaves the current copy as it was.
 *
 * <p><b>Expiry.</b> Each build runs {@value SoloistBuild#LIFETIME_DAYS} days. Once
 * {@value #REFRESH_DAYS_LEFT} or fewer days are left (a build 76 days old, when integrators refresh),
 * {@link #prepare()} and {@link #refreshIfDue()} ask the host whether it offers a new build: a HEAD
 * whose {@code ETag} (else {@code Last-Modified}) is compared with the installed one's, at most once
 * per {@link #CHECK_INTERVAL}, so nothing is downloaded while nothing is new. A failed refresh while
 * the build still runs keeps it (logged). After an exit 10, {@link #expired()} checks at once and
 * installs a newer build, or fails with {@link ExitStatus#CONFIG}, which the systemd unit does not
 * restart.
 */
public final class ManagedSoloist implements SoloistBinary {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedSoloist.class);
    /** A refresh is due once this many days or fewer are left. */
    public static final int REFRESH_DAYS_LEFT = 14;
    /** A due refresh asks the build host at most this often. */
    public static final Duration CHECK_INTERVAL = Duration.ofHours(6);
    /** The folder in Connect Tray's data folder. */
    public static final String FOLDER = "soloist";
    static final String BINARY = "soloist";
    static final String PREVIOUS = "soloist.previous";
    static final String META = "download.json";

    /**
     * Bounds on a download.
     *
     * @param maxArchiveBytes  the largest archive downloaded
     * @param maxBinaryBytes   the largest {@code soloist} unpacked
     * @param maxUnpackedBytes the most the whole archive may unpack to
     * @param requestTimeout   until a response's headers arrive
     * @param downloadTimeout  the whole download
     * @param versionTimeout   a {@code --version} run
     */
    public record Limits(long maxArchiveBytes, long maxBinaryBytes, long maxUnpackedBytes, Duration requestTimeout,
                         Duration downloadTimeout, Duration versionTimeout) {
        public static final Limits DEFAULTS = new Limits(200L << 20, 400L << 20, 600L << 20, Duration.ofSeconds(30),
                Duration.ofMinutes(10), SoloistVersion.TIMEOUT);
    }

    private enum Outcome { INSTALLED, NOTHING_NEW }

    private final Path folder;
    private final Path binary;
    private final boolean allowDownload;
    private final SoloistConsent consent;
    private final BuildHost host;
    private final BuildDownload download;
    private final Platform platform;
    private final String osArch;
    private final Clock clock;
    private final Limits limits;
    private volatile SoloistBuild build;
    private boolean warnedNoConsent;

    /**
     * @param dataDir       Connect Tray's data folder; the copy lives in its {@value #FOLDER} folder
     * @param allowDownload {@code engine.allowDownload}
     * @param consent       the record of the tray's question
     * @param host          where builds come from ({@link BuildHost#SPOTIFY})
     * @param http          the client (it should not follow redirects itself: they are followed and checked here)
     * @param platform      the operating system
     * @param osArch        {@code os.arch}
     */
    public ManagedSoloist(Path dataDir, boolean allowDownload, SoloistConsent consent, BuildHost host, HttpClient http,
                          Platform platform, String osArch, Clock clock, Limits limits) {
        this.folder = dataDir.toAbsolutePath().resolve(FOLDER);
        this.binary = folder.resolve(BINARY);
        this.allowDownload = allowDownload;
        this.consent = Objects.requireNonNull(consent, "consent");
        this.host = Objects.requireNonNull(host, "host");
        this.download = new BuildDownload(http, host, limits);
        this.platform = Objects.requireNonNull(platform, "platform");
        this.osArch = Objects.requireNonNull(osArch, "osArch");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The copy Connect Tray runs: Spotify's build host, this machine, the system clock. */
    public static ManagedSoloist forSpotify(Path dataDir, Path stateDir, boolean allowDownload) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER).proxy(ProxySelector.getDefault()).build();
        return new ManagedSoloist(dataDir, allowDownload, new SoloistConsent(stateDir), BuildHost.SPOTIFY, http,
                Platform.current(), System.getProperty("os.arch", ""), Clock.systemDefaultZone(),
                Limits.DEFAULTS);
    }

    /** Where the copy is (it may not exist yet). */
    public Path binary() {
        return binary;
    }

    @Override
    public synchronized Path prepare() throws EngineUnusable, InterruptedException {
        SoloistArch arch = arch();
        BuildCheck current = checkCurrent();
        if (current instanceof BuildCheck.Usable usable) {
            long daysLeft = usable.build().daysLeft(today());
            if (daysLeft <= REFRESH_DAYS_LEFT) refreshWhileUsable(arch, daysLeft);
            return binary;
        }
        replace(arch, whyUnusable(current), current instanceof BuildCheck.Expired);
        return binary;
    }

    /**
     * Installs a new build in place of one that cannot run ({@code why}): needs consent; fails (CONFIG)
     * when the host offers nothing newer or the download fails, the current copy kept.
     */
    private void replace(SoloistArch arch, String why, boolean expired) throws EngineUnusable, InterruptedException {
        requireConsent(why);
        try {
            refresh(arch, expired, false);
        } catch (NothingNew e) {
            throw unusable(why + ", and Spotify's build host offers no newer build yet. Try again later (Reconnect, or restart Connect Tray), "
                    + "or download a build from " + SoloistConsent.TERMS_URL + " and set engine.binary to its soloist file.");
        } catch (IOException e) {
            throw downloadFailed(why, e);
        }
    }

    /**
     * The running build exited 10: asks the host for a newer build at once and installs it; fails
     * (CONFIG) when there is no consent, nothing newer, or the download fails, so an expired build is
     * never restarted in a loop.
     */
    @Override
    public synchronized void expired() throws EngineUnusable, InterruptedException {
        SoloistArch arch = arch();
        SoloistBuild was = build;
        String why = "The Spotify Soloist build Connect Tray keeps in " + folder + " expired "
                + new BuildCheck.Expired(Optional.ofNullable(was)).when(today());
        LOG.info("Spotify Soloist exited {} (build expired); looking for a new build", SoloistVersion.EXPIRED_EXIT);
        replace(arch, why, true);
    }

    /**
     * For idle time (nothing playing): installs a new build when a refresh is due (days left at most
     * {@value #REFRESH_DAYS_LEFT}, no usable copy, or an expired one) and the host offers one. Never
     * throws for the download; without consent, or on another OS, it makes no request.
     *
     * @return whether a new build is now in place (the engine restarts to use it)
     */
    @Override
    public synchronized boolean refreshIfDue() throws InterruptedException {
        Optional<SoloistArch> arch = SoloistArch.of(platform, osArch);
        if (arch.isEmpty() || consentMissing().isPresent()) return false;
        BuildCheck current = checkCurrent();
        if (current instanceof BuildCheck.Usable usable) {
            long daysLeft = usable.build().daysLeft(today());
            if (daysLeft > REFRESH_DAYS_LEFT) return false;
            return refreshWhileUsable(arch.get(), daysLeft);
        }
        try {
            refresh(arch.get(), current instanceof BuildCheck.Expired, false);
            return true;
        } catch (NothingNew e) {
            return false;
        } catch (IOException e) {
            LOG.warn("Could not download Spotify Soloist: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Whether downloads are allowed ({@code engine.allowDownload}, or a readable consent record): the
     * tray asks its one-time question when not.
     */
    public boolean hasConsent() {
        return consentMissing().isEmpty();
    }

    @Override
    public Optional<SoloistBuild> build() {
        return Optional.ofNullable(build);
    }

    /** The usable build is due for a refresh: one check per interval; a failure keeps it. */
    private boolean refreshWhileUsable(SoloistArch arch, long daysLeft) throws InterruptedException {
        Optional<String> missing = consentMissing();
        if (missing.isPresent()) {
            if (!warnedNoConsent) {
                warnedNoConsent = true;
                LOG.warn("Spotify Soloist {} expires in {} days; Connect Tray does not refresh it without consent ({})",
                        build.describe(), daysLeft, missing.get());
            }
            return false;
        }
        Meta meta = readMeta();
        if (meta.checkedAt != null && meta.checkedAt.plus(CHECK_INTERVAL).isAfter(clock.instant())) return false;
        try {
            refresh(arch, true, true);
            return true;
        } catch (NothingNew e) {
            LOG.info("Spotify Soloist {}: {} days left; the build host offers no newer build yet", build.describe(),
                    daysLeft);
            return false;
        } catch (IOException e) {
            LOG.warn("Could not refresh Spotify Soloist; keeping {} ({} days left): {}", build.describe(), daysLeft,
                    e.getMessage());
            return false;
        }
    }

    /** No news on the host: the offered build is the one installed. */
    private static final class NothingNew extends Exception {
        NothingNew() {
            super(null, null, false, false);
        }
    }

    /**
     * Downloads, checks and installs the offered build.
     *
     * @param ifChanged first ask (HEAD) whether it differs from the installed one
     * @param usable    the installed copy works: a download identical to it is not installed again
     * @throws NothingNew it does not differ
     * @throws IOException anything failed; the current copy is untouched
     */
    private void refresh(SoloistArch arch, boolean ifChanged, boolean usable)
            throws IOException, NothingNew, InterruptedException {
        URI uri = host.archive(arch);
        AtomicFiles.createPrivateDirectories(folder);
        Meta meta = readMeta();
        boolean installed = Files.isRegularFile(binary, LinkOption.NOFOLLOW_LINKS);
        BuildDownload.Validators offered = BuildDownload.Validators.NONE;
        if (ifChanged && installed && meta.validators.known()) {
            writeMeta(new Meta(meta.validators, clock.instant()));
            offered = download.head(uri);
            if (offered.sameAs(meta.validators)) throw new NothingNew();
        }
        Path archive = folder.resolve(".download.tar.gz");
        Path fresh = folder.resolve("soloist.new");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(fresh);
        try {
            LOG.info("Downloading Spotify Soloist from {}", BuildHost.forLog(uri));
            Files.createFile(archive, AtomicFiles.ownerOnlyFile(archive));
            BuildDownload.Validators got = download.get(uri, archive);
            SoloistArchive.extract(archive, fresh, limits.maxBinaryBytes(), limits.maxUnpackedBytes());
            Files.delete(archive);
            try {
                arch.checkElf(fresh);
            } catch (IOException e) {
                throw new IOException("the downloaded soloist is refused: " + e.getMessage(), e);
            }
            BuildCheck check = BuildCheck.of(fresh, today(), limits.versionTimeout());
            if (check instanceof BuildCheck.Expired expired) {
                throw new IOException("the build host offers a build that has expired already " + expired.when(today()));
            }
            if (check instanceof BuildCheck.Broken broken) {
                throw new IOException("the downloaded soloist does not work: " + broken.why());
            }
            SoloistBuild fresher = ((BuildCheck.Usable) check).build();
            if (usable && installed && Files.mismatch(fresh, binary) == -1L) {
                // the same build under a new ETag: remember it, keep the running copy, no restart
                writeMeta(new Meta(got.known() ? got : offered, clock.instant()));
                throw new NothingNew();
            }
            swap(fresh);
            build = fresher;
            writeMeta(new Meta(got.known() ? got : offered, clock.instant()));
            LOG.info("Installed Spotify Soloist {} ({} days left) as {}; the previous copy is kept as {}",
                    fresher.describe(), fresher.daysLeft(today()), binary, PREVIOUS);
        } finally {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(fresh);
        }
    }

    /**
     * Puts {@code fresh} in place with one rename, so that {@code soloist} is at every moment the old
     * build or the new one; the old one is first linked (else copied) to {@value #PREVIOUS}.
     */
    private void swap(Path fresh) throws IOException {
        if (Files.isRegularFile(binary, LinkOption.NOFOLLOW_LINKS)) {
            Path keep = folder.resolve(PREVIOUS + ".tmp");
            Files.deleteIfExists(keep);
            try {
                Files.createLink(keep, binary);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(binary, keep, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            Files.move(keep, folder.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, binary, StandardCopyOption.ATOMIC_MOVE);
    }

    private BuildCheck checkCurrent() throws InterruptedException {
        if (!Files.exists(binary, LinkOption.NOFOLLOW_LINKS)) return null;
        if (!Files.isRegularFile(binary, LinkOption.NOFOLLOW_LINKS)) {
            return new BuildCheck.Broken(binary + " is not a regular file");
        }
        BuildCheck check = BuildCheck.of(binary, today(), limits.versionTimeout());
        if (check instanceof BuildCheck.Usable u) build = u.build();
        if (check instanceof BuildCheck.Expired e) e.build().ifPresent(b -> build = b);
        return check;
    }

    private String whyUnusable(BuildCheck current) {
        if (current == null) return "Connect Tray has no copy of Spotify Soloist yet (" + binary + ")";
        if (current instanceof BuildCheck.Expired e) {
            return "The Spotify Soloist build Connect Tray keeps in " + folder + " expired " + e.when(today());
        }
        return "The Spotify Soloist copy " + binary + " cannot run: " + ((BuildCheck.Broken) current).why();
    }

    private SoloistArch arch() throws EngineUnusable {
        Optional<SoloistArch> arch = SoloistArch.of(platform, osArch);
        if (arch.isPresent()) return arch.get();
        if (!platform.isLinux()) {
            throw unusable("Spotify Soloist runs on Linux only; Spotify publishes no build for " + platform
                    + ". Set engine.kind to \"embedded\" or \"go-librespot\".");
        }
        throw unusable("Spotify publishes Soloist for x86-64, ARM 64-bit (aarch64) and ARM 32-bit (armv7) Linux only, "
                + "not for " + osArch + ". Set engine.kind to \"embedded\" or \"go-librespot\".");
    }

    /** Why there is no consent, or empty when there is. */
    private Optional<String> consentMissing() {
        if (allowDownload) return Optional.empty();
        try {
            return consent.read().isPresent() ? Optional.empty()
                    : Optional.of("engine.allowDownload is false and there is no " + consent.file());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void requireConsent(String why) throws EngineUnusable {
        Optional<String> missing = consentMissing();
        if (missing.isEmpty()) return;
        throw new EngineUnusable(new Failure(FailureKind.CONFIG, why + ". Connect Tray downloads Soloist from "
                + "Spotify's build host only with your consent (" + missing.get() + "): choose \"Allow download\" "
                + "when the tray asks about downloading Soloist, start Connect Tray once with --allow-soloist-download, or set "
                + "engine.allowDownload: true in the config file; or "
                + "download Soloist yourself from " + SoloistConsent.TERMS_URL + " and set engine.binary to its "
                + "soloist file. Spotify's terms apply (" + SoloistConsent.TERMS_URL + ").",
                SoloistBinary.CONSENT_NEEDED), ExitStatus.CONFIG);
    }

    /**
     * A download that did not give a working build (the host unreachable, an error, a broken or
     * foreign archive) is a temporary failure: the supervisor tries again with its backoff, and the
     * service manager may restart what gives up. The current copy, if any, is never run expired.
     */
    private EngineUnusable downloadFailed(String why, IOException e) {
        LOG.warn("Could not download Spotify Soloist: {}", e.getMessage());
        return new EngineUnusable(Failure.transientFailure(why + ", and a new build could not be installed from "
                + BuildHost.SPOTIFY_HOST + ": " + e.getMessage() + ". If this lasts, check the network, or set "
                + "engine.binary to a soloist downloaded from " + SoloistConsent.TERMS_URL + ".",
                "soloist download"), ExitStatus.TEMPFAIL, e);
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }

    private static EngineUnusable unusable(String message) {
        return new EngineUnusable(new Failure(FailureKind.CONFIG, message, ""), ExitStatus.CONFIG);
    }

    /** What {@value #META} remembers: the installed archive's validators, and when the host was last asked. */
    private record Meta(BuildDownload.Validators validators, Instant checkedAt) {
    }

    private Meta readMeta() {
        Path file = folder.resolve(META);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return new Meta(BuildDownload.Validators.NONE, null);
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            JsonObject o = e.getAsJsonObject();
            return new Meta(new BuildDownload.Validators(string(o, "etag"), string(o, "lastModified")),
                    o.has("checkedAt") ? Instant.parse(o.get("checkedAt").getAsString()) : null);
        } catch (IOException | JsonParseException | IllegalStateException | DateTimeParseException
                 | UnsupportedOperationException e) {
            LOG.warn("Ignoring {} (it cannot be read: {}); the next check downloads the build", file, e.getMessage());
            return new Meta(BuildDownload.Validators.NONE, null);
        }
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private void writeMeta(Meta meta) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("etag", meta.validators.etag());
        o.addProperty("lastModified", meta.validators.lastModified());
        if (meta.checkedAt != null) o.addProperty("checkedAt", meta.checkedAt.toString());
        AtomicFiles.write(folder.resolve(META), (o + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
