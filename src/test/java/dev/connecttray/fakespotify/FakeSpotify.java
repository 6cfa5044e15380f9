package dev.connecttray.fakespotify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spotify on loopback for integration tests: apresolve (an HTTP proxy that also tunnels HTTPS to
 * the Spotify host names the fake serves), an access point, and one TLS server for the dealer,
 * spclient, Login5, clienttoken and the CDN, all on ephemeral ports of 127.0.0.1, on daemon
 * threads, closing themselves after {@link #DEFAULT_LIFETIME} at the latest.
 *
 * <p>It behaves like Spotify in 2026 ({@link Behaviour#SPOTIFY_2026}) unless started with, or
 * switched to, {@link Behaviour#LEGACY_2023} (also with {@code -Dfakespotify.behaviour=legacy}): see {@link Behaviour}. {@link #reset()} returns to
 * the behaviour it was started with.
 *
 * <p>Set-up, in this order, before any librespot {@code Session} is created:
 * <pre>{@code
 * FakeSpotify fake = FakeSpotify.start();                       // installs TestServerKey too
 * SystemPropertiesOverride props = fake.installSystemProperties(); // proxy + trust store
 * Session session = new Session.Builder(conf)...create();
 * }</pre>
 */
public final class FakeSpotify implements AutoCloseable {
    public static final Duration DEFAULT_LIFETIME = ServerSupport.DEFAULT_LIFETIME;
    public static final String DEFAULT_USERNAME = "fake-user";

    /** Which Spotify the fake imitates. */
    public enum Behaviour {
        /**
         * Spotify as of 2026: spclient and the dealer need a Login5 token (keymaster tokens are
         * refused), spclient needs a granted client-token, clienttoken refuses client_version
         * {@code "?.?.?"} with 400, {@code /metadata/4/*} answers 500 and track metadata lists no
         * files (they come from extended-metadata AUDIO_FILES).
         */
        SPOTIFY_2026,
        /**
         * Spotify as of 2023, what the unrepaired librespot-java 1.6.3 was written for: keymaster
         * tokens are good everywhere, no client-token needed, any client_version, and
         * {@code /metadata/4/track} serves tracks with their files.
         */
        LEGACY_2023;

        /** The system property that picks the behaviour of {@link #start()} and {@link #start(Duration)}. */
        public static final String PROPERTY = "fakespotify.behaviour";

        /**
         * {@link #PROPERTY}'s behaviour ({@code legacy}/{@code LEGACY_2023} or
         * {@code spotify-2026}/{@code SPOTIFY_2026}), {@link #SPOTIFY_2026} when unset.
         */
        public static Behaviour fromSystemProperty() {
            String value = System.getProperty(PROPERTY);
            if (value == null || value.isBlank()) return SPOTIFY_2026;
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "legacy", "legacy_2023", "legacy-2023", "2023" -> LEGACY_2023;
                case "spotify-2026", "spotify_2026", "2026" -> SPOTIFY_2026;
                default -> throw new IllegalArgumentException(PROPERTY + "=" + value + ": use legacy or spotify-2026");
            };
        }
    }

    private final FakeTls tls;
    private final FakeAccessPoint accessPoint;
    private final FakeDealer dealer;
    private final FakeApResolve apResolve;
    private final FakeCatalog catalog = new FakeCatalog();
    private final Behaviour startBehaviour;
    private volatile Behaviour behaviour;
    private final FakeLogin5 login5 = new FakeLogin5();
    private final FakeClientToken clientToken = new FakeClientToken(this::behaviour);
    private final FakeSpclient spclient = new FakeSpclient(this::behaviour, login5, clientToken, catalog);
    private final FakeCdn cdn = new FakeCdn(catalog);

    private FakeSpotify(Duration lifetime, Behaviour behaviour) throws IOException {
        this.startBehaviour = java.util.Objects.requireNonNull(behaviour);
        this.behaviour = behaviour;
        KeyPair key = TestServerKey.install();
        this.tls = FakeTls.get();
        this.accessPoint = new FakeAccessPoint(key, lifetime, catalog);
        this.dealer = new FakeDealer(tls, lifetime);
        this.apResolve = new FakeApResolve(this::pool, lifetime);
        dealer.setHttpHandler(new FakeHttpsRouter(login5, clientToken, spclient, cdn));
        dealer.setAccessTokenCheck(spclient::acceptsAccessToken);
        apResolve.setTunnelTarget(() -> new InetSocketAddress(ServerSupport.bindAddress(), dealer.port()));
        accessPoint.setMode(new FakeAccessPoint.Mode.LoginOk(DEFAULT_USERNAME));
        accessPoint.setBehaviour(accessPointBehaviour(behaviour));
    }

    /** The keymaster refuses tokens in 2026 (403 since 2025-08) and handed them out in 2023. */
    private static FakeAccessPoint.Behaviour accessPointBehaviour(Behaviour behaviour) {
        return behaviour == Behaviour.LEGACY_2023
                ? FakeAccessPoint.Behaviour.LEGACY_2023 : FakeAccessPoint.Behaviour.SPOTIFY_2026;
    }

    /**
     * Starts every server with the {@link #DEFAULT_LIFETIME}, behaving as {@link Behaviour#SPOTIFY_2026}
     * (or as the system property {@value Behaviour#PROPERTY} says, e.g. {@code -Dfakespotify.behaviour=legacy}).
     */
    public static FakeSpotify start() throws IOException {
        return start(DEFAULT_LIFETIME);
    }

    /** Starts every server with the {@link #DEFAULT_LIFETIME} and the given behaviour (also what {@link #reset()} returns to). */
    public static FakeSpotify start(Behaviour behaviour) throws IOException {
        return start(DEFAULT_LIFETIME, behaviour);
    }

    /** As {@link #start()}, with another lifetime. */
    public static FakeSpotify start(Duration lifetime) throws IOException {
        return start(lifetime, Behaviour.fromSystemProperty());
    }

    public static FakeSpotify start(Duration lifetime, Behaviour behaviour) throws IOException {
        FakeSpotify fake = new FakeSpotify(lifetime, behaviour);
        try {
            fake.accessPoint.start();
            fake.dealer.start();
            fake.apResolve.start();
        } catch (IOException | RuntimeException ex) {
            fake.close();
            throw ex;
        }
        return fake;
    }

    /**
     * Points the JVM's HTTP(S) proxy at the fake apresolve and its trust store at the fake
     * certificate. Close the result to put the previous values back.
     */
    public SystemPropertiesOverride installSystemProperties() {
        return SystemPropertiesOverride.set(systemProperties());
    }

    /**
     * What a JVM needs to reach only this fake: the proxy (apresolve, and the HTTPS hosts through
     * CONNECT), the trust store, and the fake access point as the fallback Spotify's clients use when
     * apresolve fails (a plain TCP connection that no proxy sees).
     */
    public Map<String, String> systemProperties() {
        Map<String, String> values = new LinkedHashMap<>(SystemPropertiesOverride.proxyValues(apResolve.port()));
        values.putAll(SystemPropertiesOverride.trustStoreValues(tls));
        values.put(xyz.gianlu.librespot.core.ApResolver.FALLBACK_ACCESS_POINT_PROPERTY,
                ServerSupport.bindAddress() + ":" + accessPoint.port());
        return values;
    }

    /** The addresses apresolve hands out. */
    public FakeApResolve.Pool pool() {
        String ap = ServerSupport.bindAddress() + ":" + accessPoint.port();
        String tlsServer = ServerSupport.bindAddress() + ":" + dealer.port();
        return new FakeApResolve.Pool(List.of(ap), List.of(tlsServer), List.of(tlsServer));
    }

    public FakeApResolve apResolve() {
        return apResolve;
    }

    public FakeAccessPoint accessPoint() {
        return accessPoint;
    }

    public FakeDealer dealer() {
        return dealer;
    }

    /** The tracks every part of the fake serves. */
    public FakeCatalog catalog() {
        return catalog;
    }

    public FakeTls tls() {
        return tls;
    }

    /** {@code https://login5.spotify.com/v3/login}. */
    public FakeLogin5 login5() {
        return login5;
    }

    /** {@code https://clienttoken.spotify.com/v1/clienttoken}. */
    public FakeClientToken clientToken() {
        return clientToken;
    }

    /** spclient: metadata, extended-metadata, storage-resolve, connect-state. */
    public FakeSpclient spclient() {
        return spclient;
    }

    /** The audio CDN hosts. */
    public FakeCdn cdn() {
        return cdn;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    public void setBehaviour(Behaviour behaviour) {
        this.behaviour = java.util.Objects.requireNonNull(behaviour);
        accessPoint.setBehaviour(accessPointBehaviour(behaviour));
    }

    public void setLogin5Mode(FakeLogin5.Mode mode) {
        login5.setMode(mode);
    }

    /** Whether clienttoken answers client-data requests with a hashcash challenge first. */
    public void setClientTokenChallenge(boolean challenge) {
        clientToken.setChallenge(challenge);
    }

    /** Whether the first CDN url storage-resolve hands out ({@link FakeHosts#CDN_FIRST}) fails with 530. */
    public void setCdnFirstUrlFails(boolean fails) {
        cdn.setFirstHostFails(fails);
    }

    /** The lifetime of Login5 tokens issued from now on. */
    public void setTokenLifetime(Duration lifetime) {
        login5.setTokenLifetime(lifetime);
    }

    public void setApResolveMode(FakeApResolve.Mode mode) {
        apResolve.setMode(mode);
    }

    public void setAccessPointMode(FakeAccessPoint.Mode mode) {
        accessPoint.setMode(mode);
    }

    /**
     * Back to a healthy Spotify: the behaviour it was started with (normally {@link Behaviour#SPOTIFY_2026}),
     * JSON apresolve, login OK as {@link #DEFAULT_USERNAME}, Login5 OK, no clienttoken challenge,
     * every CDN host serving, default token lifetime, all listening. Issued tokens stay valid.
     */
    public void reset() throws IOException {
        behaviour = startBehaviour;
        login5.reset();
        clientToken.reset();
        cdn.reset();
        apResolve.setMode(FakeApResolve.Mode.JSON);
        apResolve.acceptConnections();
        accessPoint.setMode(new FakeAccessPoint.Mode.LoginOk(DEFAULT_USERNAME));
        accessPoint.setBehaviour(accessPointBehaviour(startBehaviour));
        accessPoint.setAudioKeys(FakeAccessPoint.AudioKeys.FROM_CATALOG);
        accessPoint.acceptConnections();
        dealer.setRefuseWebSockets(false);
        dealer.acceptConnections();
    }

    @Override
    public void close() {
        apResolve.close();
        accessPoint.close();
        dealer.close();
    }
}
