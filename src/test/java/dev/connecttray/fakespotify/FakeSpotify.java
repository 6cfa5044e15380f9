package dev.connecttray.fakespotify;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spotify on loopback for integration tests: apresolve (an HTTP proxy), an access point, and a
 * dealer/spclient TLS server, all on ephemeral ports of 127.0.0.1, on daemon threads, closing
 * themselves after {@link #DEFAULT_LIFETIME} at the latest.
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

    private final FakeTls tls;
    private final FakeAccessPoint accessPoint;
    private final FakeDealer dealer;
    private final FakeApResolve apResolve;
    private final FakeCatalog catalog = new FakeCatalog();

    private FakeSpotify(Duration lifetime) throws IOException {
        KeyPair key = TestServerKey.install();
        this.tls = FakeTls.get();
        this.accessPoint = new FakeAccessPoint(key, lifetime, catalog);
        this.dealer = new FakeDealer(tls, lifetime);
        this.apResolve = new FakeApResolve(this::pool, lifetime);
        accessPoint.setMode(new FakeAccessPoint.Mode.LoginOk(DEFAULT_USERNAME));
        // librespot 1.6.3 needs keymaster tokens; until FakeSpotify's own behaviour switch decides
        accessPoint.setBehaviour(FakeAccessPoint.Behaviour.LEGACY_2023);
    }

    /** Starts every server with the {@link #DEFAULT_LIFETIME}. */
    public static FakeSpotify start() throws IOException {
        return start(DEFAULT_LIFETIME);
    }

    public static FakeSpotify start(Duration lifetime) throws IOException {
        FakeSpotify fake = new FakeSpotify(lifetime);
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
        Map<String, String> values = new LinkedHashMap<>(SystemPropertiesOverride.proxyValues(apResolve.port()));
        values.putAll(SystemPropertiesOverride.trustStoreValues(tls));
        return SystemPropertiesOverride.set(values);
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

    public void setApResolveMode(FakeApResolve.Mode mode) {
        apResolve.setMode(mode);
    }

    public void setAccessPointMode(FakeAccessPoint.Mode mode) {
        accessPoint.setMode(mode);
    }

    /** Back to a healthy Spotify: JSON apresolve, login OK as {@link #DEFAULT_USERNAME}, all listening. */
    public void reset() throws IOException {
        apResolve.setMode(FakeApResolve.Mode.JSON);
        apResolve.acceptConnections();
        accessPoint.setMode(new FakeAccessPoint.Mode.LoginOk(DEFAULT_USERNAME));
        accessPoint.setBehaviour(FakeAccessPoint.Behaviour.LEGACY_2023);
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
