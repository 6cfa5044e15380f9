package dev.connecttray.receiver;

import com.google.protobuf.ByteString;
import com.spotify.Authentication;
import com.spotify.connectstate.Connect;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.config.StoredCredentials;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.Receiver;
import dev.connecttray.core.Threads;
import dev.connecttray.receiver.spotify.ClientTokens;
import dev.connecttray.receiver.spotify.OkHttpTransport;
import dev.connecttray.receiver.spotify.SpotifyLoginException;
import dev.connecttray.receiver.zeroconf.Advert;
import dev.connecttray.receiver.zeroconf.Advertiser;
import dev.connecttray.receiver.zeroconf.ZeroconfEndpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xyz.gianlu.librespot.audio.AudioKeyManager;
import xyz.gianlu.librespot.audio.MetadataWrapper;
import xyz.gianlu.librespot.core.ApResolver;
import xyz.gianlu.librespot.core.Session;
import xyz.gianlu.librespot.core.TimeProvider;
import xyz.gianlu.librespot.metadata.PlayableId;
import xyz.gianlu.librespot.player.Player;
import xyz.gianlu.librespot.player.PlayerConfiguration;

/**
 * One Spotify Connect device made with librespot-java 1.6.3: a {@link Session}, a {@link Player}
 * and, in Zeroconf mode, our {@link ZeroconfEndpoint} that Spotify apps hand their login to and an
 * {@link Advertiser} that makes the device visible on the LAN.
 *
 * <p>librespot's own reconnect loop is never used: on its first {@code onConnectionDropped} we tell
 * the connection loop, which closes the session and reconnects on its own schedule.
 */
public final class LibrespotReceiver implements ReceiverService.Device {
    private static final Logger LOG = LoggerFactory.getLogger(LibrespotReceiver.class);
    private static final String CONNECTION_ID_URI = "hm://pusher/v1/connections/";
    /** How long accept may keep failing before the process counts as out of descriptors for good. */
    static final Duration EXHAUSTED_AFTER = Duration.ofSeconds(30);
    /** What the user reads when Spotify refuses audio keys to the account (see {@link AudioKeyManager}). */
    static final String AUDIO_KEY_REFUSED = "Spotify Connect works, but Spotify refuses to send audio for this "
            + "account to librespot-based receivers (audio key refused, code 1; this happens to accounts created "
            + "since about December 2024). Play on an official Spotify app or device instead; Spotify's own "
            + "headless player (Soloist) is the only receiver such accounts can use";

    /** What the receiver needs to know, already validated. */
    /**
     * @param zeroconfPort the Zeroconf HTTP endpoint's TCP port (0: any free port); used in Zeroconf mode
     */
    public record Options(String deviceName, Connect.DeviceType deviceType, String deviceId, boolean zeroconf,
                          int zeroconfPort, Path credentialsFile, Path audioPipe, Duration dealerGrace) {
        public Options {
            if (zeroconfPort < 0 || zeroconfPort > 65535) {
                throw new IllegalArgumentException("zeroconfPort " + zeroconfPort + " is outside 0..65535");
            }
            Objects.requireNonNull(deviceName, "deviceName");
            Objects.requireNonNull(deviceType, "deviceType");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(credentialsFile, "credentialsFile");
            Objects.requireNonNull(dealerGrace, "dealerGrace");
        }
    }

    private final Options options;
    private final CredentialsStore credentials;
    /** Publishes the device on the LAN in Zeroconf mode; null in stored mode. */
    private final Advertiser advertiser;
    private final ScheduledExecutorService timers;
    /** Set once by the connection loop before it starts, read by the library's threads. */
    private volatile Listener listener;
    /** Set once by {@link #start}, before the connection loop starts; read by the loop and at close. */
    private volatile ZeroconfEndpoint endpoint;
    /** The login a Spotify app handed over through Zeroconf, until an attempt logs in with it (taken by compare-and-set). */
    private final AtomicReference<HandOver> handedOver = new AtomicReference<>();
    /** The live session, its player and its timers: an attempt hands them in, a disconnect or close takes them out. */
    private final LiveConnection<Session, Player> live = new LiveConnection<>(LibrespotReceiver::closeQuietly);

    /** A login handed over through Zeroconf. Never logged. */
    private record HandOver(String username, Authentication.LoginCredentials credentials) {
        @Override
        public String toString() {
            return "HandOver[" + username + "]";
        }
    }

    /**
     * @param advertiser publishes the device on the LAN in Zeroconf mode (null in stored mode); closed with the receiver
     */
    public LibrespotReceiver(Options options, CredentialsStore credentials, Advertiser advertiser) {
        this.options = Objects.requireNonNull(options, "options");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        if (options.zeroconf() && advertiser == null) throw new IllegalArgumentException("Zeroconf mode needs an advertiser");
        this.advertiser = advertiser;
        this.timers = Executors.newSingleThreadScheduledExecutor(Threads.factory("receiver-health"));
    }

    /**
     * In Zeroconf mode, opens the endpoint Spotify apps hand their login to and publishes the device
     * on the LAN.
     *
     * @throws IOException when the port cannot be opened or the device cannot be published
     */
    public void start() throws IOException {
        if (!options.zeroconf()) return;
        ZeroconfEndpoint ep = ZeroconfEndpoint.start(options.zeroconfPort(),
                ZeroconfEndpoint.Device.of(options.deviceId(), options.deviceName(), options.deviceType().name()),
                this::onHandedOver, new AcceptProblems(), ZeroconfEndpoint.Limits.DEFAULT);
        endpoint = ep;
        String name;
        try {
            name = advertiser.publish(Advert.spotifyConnect(options.deviceName(), ep.port()));
        } catch (IOException | RuntimeException e) {
            ep.close();
            throw e;
        }
        LOG.info("Advertising \"{}\" on the local network through the {} (Zeroconf port {}); pick it in a Spotify "
                + "app on the same network to log in", name, advertiser.describe(), ep.port());
    }

    /**
     * The endpoint cannot accept connections (EMFILE: the process is out of file descriptors). A
     * flood that passes (its idle connections time out) is survived; still failing after
     * {@link #EXHAUSTED_AFTER}, the process is out for good and ends with 75 to be started afresh.
     */
    private final class AcceptProblems implements ZeroconfEndpoint.ProblemListener {
        private final AtomicReference<ScheduledFuture<?>> verdict = new AtomicReference<>();

        @Override
        public void acceptFailing(IOException cause) {
            // The endpoint logs the failure and the recovery; here only the verdict is decided.
            ScheduledFuture<?> check = timers.schedule(() -> {
                Listener l = listener;
                if (l != null) {
                    l.exhausted(Failure.transientFailure("The receiver ran out of file descriptors: the Zeroconf "
                            + "endpoint could not accept a connection for " + EXHAUSTED_AFTER.toSeconds()
                            + " s (" + cause.getMessage() + "); ending so that a fresh receiver starts",
                            cause.getClass().getName()));
                }
            }, EXHAUSTED_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> previous = verdict.getAndSet(check);
            if (previous != null) previous.cancel(false);
        }

        @Override
        public void acceptRecovered(int failedAttempts) {
            ScheduledFuture<?> check = verdict.getAndSet(null);
            if (check != null) check.cancel(false);
        }
    }

    /** The Zeroconf endpoint's TCP port, once {@link #start} opened it; 0 before or in stored mode. */
    public int zeroconfPort() {
        ZeroconfEndpoint ep = endpoint;
        return ep == null ? 0 : ep.port();
    }

    /** Announces the device again: the network changed. */
    public void reannounce() {
        if (advertiser == null || endpoint == null) return;
        try {
            advertiser.reannounce();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not announce the device again after a network change: {}", e.getMessage());
        }
    }

    private void onHandedOver(String username, Authentication.LoginCredentials login) {
        LOG.info("A Spotify app handed over the login of {}; logging in", username);
        handedOver.set(new HandOver(username, login));
        Listener l = listener;
        if (l != null) l.credentialsArrived();
    }

    /** Stores the access point's reusable credentials of a session a Spotify app's login created. */
    private void storeReusableCredentials(Session created) {
        try {
            Authentication.APWelcome welcome = created.apWelcome();
            credentials.write(new StoredCredentials(welcome.getCanonicalUsername(),
                    welcome.getReusableAuthCredentialsType().name(),
                    welcome.getReusableAuthCredentials().toByteArray()));
            LOG.info("Logged in as {} with the login a Spotify app handed over; credentials stored in {}",
                    welcome.getCanonicalUsername(), options.credentialsFile());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not store the credentials a Spotify app handed over in {}: {}", options.credentialsFile(),
                    e.toString());
        }
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public boolean hasCredentials() {
        if (!options.zeroconf()) return true; // a missing file is reported by connect(), as a config error
        if (handedOver.get() != null) return true;
        try {
            String notAFile = notARegularFile(credentials.file());
            if (notAFile != null) throw new IOException(notAFile);
            return credentials.read().isPresent();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Stored credentials in {} are unusable ({}); waiting for a Spotify app", options.credentialsFile(),
                    e instanceof IOException io ? SettingsLoader.ioReason(io) : e.toString());
            return false;
        }
    }

    @Override
    public String connect(int attempt) throws ReceiverFailure {
        long ticket = live.begin();
        HandOver handOver = handedOver.get();
        try {
            Session s = handOver != null ? login(handOver.credentials()) : login();
            if (handOver != null) {
                // Only this hand-over is used up: a newer one that came during the attempt stays for the next.
                handedOver.compareAndSet(handOver, null);
                storeReusableCredentials(s);
                ZeroconfEndpoint ep = endpoint;
                if (ep != null) ep.activeUser(s.username());
            }
            ScheduledFuture<?> renewal;
            try {
                renewal = setClientToken(s);
            } catch (SpotifyLoginException | RuntimeException e) {
                // Whatever went wrong (a refusal, OkHttp, timers shut down by a disconnect), the session
                // this attempt opened is not kept: closed here, never left open.
                closeQuietly(null, s);
                throw e;
            }
            if (!live.adoptSession(ticket, s)) {
                // Disconnected while this attempt ran (it overran its timeout): the session is closed, not kept.
                renewal.cancel(false);
                throw new ReceiverFailure(Failure.transientFailure("The attempt was called off while it ran",
                        "disconnected during the attempt"), null);
            }
            live.attach(s, renewal);
            watch(s);
            startPlayer(s);
            return s.username();
        } catch (ReceiverFailure e) {
            throw e;
        } catch (Exception | LinkageError e) {
            LOG.debug("Attempt {} failed", attempt, e);
            throw new ReceiverFailure(LibrespotFailures.classify(e, ApResolver.fallbackReason()), e);
        }
    }

    private Session login() throws Exception {
        Optional<StoredCredentials> stored;
        try {
            // Checked first: reading a named pipe or a device would block the attempt until it times out.
            String notAFile = notARegularFile(credentials.file());
            if (notAFile != null) {
                throw new ReceiverFailure(new Failure(FailureKind.CONFIG, "The credentials file "
                        + options.credentialsFile() + " cannot be used: " + notAFile
                        + "; auth.credentialsFile must name a librespot credentials file", ""), null);
            }
            stored = credentials.read();
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof IOException io ? SettingsLoader.ioReason(io) : e.toString();
            // The store's own messages start with the path; said once is enough.
            String path = credentials.file().toString();
            if (reason.startsWith(path + " ")) reason = "it " + reason.substring(path.length() + 1);
            throw new ReceiverFailure(new Failure(FailureKind.CONFIG, "The credentials file " + options.credentialsFile()
                    + " cannot be used: " + reason, ""), e);
        }
        if (stored.isEmpty()) {
            throw new ReceiverFailure(new Failure(FailureKind.CONFIG, "auth.credentialsFile "
                    + options.credentialsFile() + " does not exist: log in once in zeroconf mode to create it, "
                    + "or point auth.credentialsFile at a librespot credentials file", ""), null);
        }
        StoredCredentials c = stored.get();
        Authentication.AuthenticationType type;
        try {
            type = Authentication.AuthenticationType.valueOf(c.type());
        } catch (IllegalArgumentException e) {
            throw new ReceiverFailure(new Failure(FailureKind.CONFIG, "The credentials file "
                    + options.credentialsFile() + " has an unknown credentials type \"" + c.type() + "\"", ""), e);
        }
        return login(Authentication.LoginCredentials.newBuilder()
                .setUsername(c.username())
                .setTyp(type)
                .setAuthData(ByteString.copyFrom(c.data()))
                .build());
    }

    /** Why {@code file}, which exists, is no place to read credentials from; null when it is a file or absent. */
    static String notARegularFile(Path file) {
        if (!Files.exists(file) || Files.isRegularFile(file)) return null;
        if (Files.isDirectory(file)) return "it is a folder, not a file";
        String kind = "a special file";
        try {
            Object type = Files.readAttributes(file, "unix:mode").get("mode");
            if (type instanceof Integer mode) {
                int format = mode & 0170000;
                if (format == 0010000) kind = "a named pipe (FIFO)";
                else if (format == 0140000) kind = "a socket";
                else if (format == 0020000 || format == 0060000) kind = "a device";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // "a special file" it is
        }
        return "it is " + kind + ", not a regular file";
    }

    private Session login(Authentication.LoginCredentials login) throws Exception {
        return new Session.Builder(sessionConfiguration())
                .setDeviceId(options.deviceId())
                .setDeviceName(options.deviceName())
                .setDeviceType(options.deviceType())
                .setPreferredLocale("en")
                .credentials(login)
                .create();
    }

    /**
     * Gives the session's spclient a client token from our own request: the library's asks with
     * version "?.?.?" and gets HTTP 400, after which no spclient call works (the device would stay
     * invisible). Renewed when the service says to.
     */
    private ScheduledFuture<?> setClientToken(Session s) throws SpotifyLoginException {
        ClientTokens.Granted granted = new ClientTokens(new OkHttpTransport(s.client())).fetch(s.deviceId());
        s.api().setClientToken(granted.token());
        LOG.debug("Client token granted; renewing it in {} s", granted.refreshAfter().toSeconds());
        return timers.schedule(() -> {
            if (!live.isLive(s)) return;
            try {
                live.attach(s, setClientToken(s));
            } catch (SpotifyLoginException e) {
                // The old token may still be honoured; if not, spclient calls fail and are reported as they are.
                LOG.warn("Could not renew the client token: {}", e.getMessage());
            }
        }, granted.refreshAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    private Session.Configuration sessionConfiguration() {
        return new Session.Configuration.Builder()
                .setCacheEnabled(false)
                .setStoreCredentials(false) // we store them ourselves: atomically, owner-only
                .setTimeSynchronizationMethod(TimeProvider.Method.MANUAL) // NTP retries forever
                .setRetryOnChunkError(true)
                .build();
    }

    /** Reports the first drop of this session and nothing after: the connection loop takes it from there. */
    private void watch(Session s) {
        AtomicBoolean reported = new AtomicBoolean();
        s.addReconnectionListener(new Session.ReconnectionListener() {
            @Override
            public void onConnectionDropped() {
                if (!live.isLive(s) || !reported.compareAndSet(false, true)) return;
                LOG.warn("librespot reports the connection to Spotify dropped");
                Listener l = listener;
                if (l != null) {
                    l.connectionDropped(Failure.transientFailure("The connection to Spotify dropped",
                            "Session.onConnectionDropped"));
                }
            }

            @Override
            public void onConnectionEstablished() {
                // librespot's own reconnect; we close the session before it gets this far.
            }
        });
        // The dealer (the Connect channel phones use to see and control the device) announces itself with a
        // connection id; without it the session is up but the device is invisible.
        AtomicBoolean dealerUp = new AtomicBoolean();
        s.dealer().addMessageListener((uri, headers, payload) -> {
            if (!live.isLive(s)) return;
            if (dealerUp.compareAndSet(false, true)) {
                LOG.info("Spotify Connect channel (dealer) connected");
                Listener l = listener;
                if (l != null) l.healthy();
            }
        }, CONNECTION_ID_URI);
        live.attach(s, timers.schedule(() -> {
            if (live.isLive(s) && !dealerUp.get()) {
                Listener l = listener;
                if (l != null) l.degraded("The Spotify Connect channel (dealer websocket) is not connected: "
                        + "Spotify apps may not see this device");
            }
        }, options.dealerGrace().toMillis(), TimeUnit.MILLISECONDS));
    }

    private void startPlayer(Session s) {
        PlayerConfiguration.Builder conf = new PlayerConfiguration.Builder()
                .setMixerSearchKeywords(new String[0]) // null keywords make the Player throw
                .setLogAvailableMixers(false)
                .setAutoplayEnabled(true);
        if (options.audioPipe() != null) {
            File pipe = options.audioPipe().toFile();
            conf.setOutput(PlayerConfiguration.AudioOutput.PIPE).setOutputPipe(pipe);
        } else {
            conf.setOutput(PlayerConfiguration.AudioOutput.MIXER);
        }
        try {
            Player p = new Player(conf.build(), s);
            p.addEventsListener(new PlaybackFailures(s));
            live.adoptPlayer(s, p);
        } catch (RuntimeException e) {
            // Without audio the device still shows in Spotify apps: degraded, not failed.
            LOG.debug("Player failed to start", e);
            timers.execute(() -> {
                Listener l = listener;
                if (l != null) l.degraded("The audio output cannot be opened: " + e.getMessage());
            });
        }
    }

    /** Tells the connection loop when Spotify refuses this account's audio: logged in and visible, but silent. */
    private final class PlaybackFailures implements Player.EventsListener {
        private final Session owner;
        private final AtomicBoolean reported = new AtomicBoolean();

        PlaybackFailures(Session owner) {
            this.owner = owner;
        }

        @Override
        public void onPlaybackFailed(Player p, Exception e) {
            if (!live.isLive(owner)) return;
            if (accountRefused(e)) {
                if (!reported.compareAndSet(false, true)) return;
                LOG.warn("Spotify refuses audio to this account (audio key error code 1)");
                Listener l = listener;
                if (l != null) l.degraded(AUDIO_KEY_REFUSED);
            } else {
                LOG.warn("Playback failed: {}", e.toString());
            }
        }

        private static boolean accountRefused(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AudioKeyManager.AudioKeyRefusedException r && r.accountRefused()) return true;
                if (t.getCause() == t) break;
            }
            return false;
        }

        @Override
        public void onContextChanged(Player p, String uri) {
        }

        @Override
        public void onTrackChanged(Player p, PlayableId id, MetadataWrapper metadata, boolean userInitiated) {
        }

        @Override
        public void onPlaybackEnded(Player p) {
        }

        @Override
        public void onPlaybackPaused(Player p, long trackTime) {
        }

        @Override
        public void onPlaybackResumed(Player p, long trackTime) {
        }

        @Override
        public void onTrackSeeked(Player p, long trackTime) {
        }

        @Override
        public void onMetadataAvailable(Player p, MetadataWrapper metadata) {
        }

        @Override
        public void onPlaybackHaltStateChanged(Player p, boolean halted, long trackTime) {
        }

        @Override
        public void onInactiveSession(Player p, boolean timeout) {
        }

        @Override
        public void onVolumeChanged(Player p, float volume) {
        }

        @Override
        public void onPanicState(Player p) {
        }

        @Override
        public void onStartedLoading(Player p) {
        }

        @Override
        public void onFinishedLoading(Player p) {
        }
    }

    @Override
    public void disconnect() {
        live.end(false, (p, s) -> {
            // Closing may block on the library's sockets: never on the caller's thread.
            Threads.start("librespot-close", () -> closeQuietly(p, s));
        });
    }

    private static void closeQuietly(Player p, Session s) {
        if (p != null) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the player failed", e);
            }
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the session failed", e);
            }
        }
    }

    private static void closeStep(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Closing {} failed: {}", what, e.toString());
            LOG.debug("Closing {} failed", what, e);
        }
    }

    /** Stops advertising and closes everything; blocks at most 3 s, whatever the library does. */
    @Override
    public void close() {
        timers.shutdownNow();
        // The advert goes first (a goodbye, so phones drop the device at once), then the endpoint.
        // Each step on its own: one that fails (out of descriptors, say) must not skip the others
        // nor the exit status the supervisor decided.
        if (advertiser != null) closeStep("the advert", advertiser::close);
        ZeroconfEndpoint ep = endpoint;
        if (ep != null) closeStep("the Zeroconf endpoint", ep::close);
        live.end(true, (p, s) -> {
            Thread closer = Threads.start("librespot-close", () -> closeQuietly(p, s));
            try {
                closer.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
