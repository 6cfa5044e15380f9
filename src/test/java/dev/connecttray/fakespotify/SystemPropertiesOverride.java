package dev.connecttray.fakespotify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sets JVM system properties and puts the previous values back on {@link #close()}.
 *
 * <p>Order matters: librespot reads these when it builds its OkHttp client, that is when
 * {@code Session.Builder.create()} runs. Install before creating a session.
 */
public final class SystemPropertiesOverride implements AutoCloseable {
    /** What the JDK's DefaultProxySelector uses when http.nonProxyHosts is unset. */
    public static final String LOOPBACK_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

    private final Map<String, String> previous = new LinkedHashMap<>();
    private boolean closed;

    private SystemPropertiesOverride(Map<String, String> values) {
        synchronized (SystemPropertiesOverride.class) {
            values.forEach((key, value) -> {
                previous.put(key, System.getProperty(key));
                if (value == null) System.clearProperty(key);
                else System.setProperty(key, value);
            });
        }
    }

    /** Sets the given properties (a null value clears one). */
    public static SystemPropertiesOverride set(Map<String, String> values) {
        return new SystemPropertiesOverride(values);
    }

    /**
     * Routes every HTTP and HTTPS request of the JVM through the proxy at 127.0.0.1:port (or the
     * fake's {@code fakespotify.bindAddress}), except
     * loopback addresses (which go direct: the fake dealer and spclient). The apresolve request
     * ({@code http://apresolve.spotify.com/}) thus reaches {@link FakeApResolve}; anything else
     * that would leave the machine reaches it too and is refused.
     */
    public static SystemPropertiesOverride proxy(int port) {
        return new SystemPropertiesOverride(proxyValues(port));
    }

    static Map<String, String> proxyValues(int port) {
        Map<String, String> values = new LinkedHashMap<>();
        String host = ServerSupport.bindAddress();
        values.put("http.proxyHost", host);
        values.put("http.proxyPort", Integer.toString(port));
        values.put("https.proxyHost", host);
        values.put("https.proxyPort", Integer.toString(port));
        // Bound elsewhere than loopback (fakespotify.bindAddress), the fake's own address goes direct too.
        values.put("http.nonProxyHosts", host.startsWith("127.")
                ? LOOPBACK_NON_PROXY_HOSTS : LOOPBACK_NON_PROXY_HOSTS + "|" + host);
        return values;
    }

    /** Makes new TLS clients (OkHttp included) trust only the fake certificate. */
    public static SystemPropertiesOverride trustStore(FakeTls tls) {
        return new SystemPropertiesOverride(trustStoreValues(tls));
    }

    static Map<String, String> trustStoreValues(FakeTls tls) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("javax.net.ssl.trustStore", tls.trustStore().toString());
        values.put("javax.net.ssl.trustStorePassword", tls.password());
        values.put("javax.net.ssl.trustStoreType", tls.storeType());
        return values;
    }

    /** Restores the previous values (idempotent). */
    @Override
    public void close() {
        synchronized (SystemPropertiesOverride.class) {
            if (closed) return;
            closed = true;
            previous.forEach((key, value) -> {
                if (value == null) System.clearProperty(key);
                else System.setProperty(key, value);
            });
        }
    }
}
