package dev.connecttray.fakespotify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed TLS certificate for {@code 127.0.0.1} (and {@code fakespotify.bindAddress} when set)
 * and the Spotify host names the fake serves through its tunnels ({@link FakeHosts#TUNNELLED}), made once per JVM with the JDK's
 * {@code keytool} under {@code target/fake-spotify/} (override with {@code -Dfakespotify.dir}),
 * and a trust store holding only that certificate.
 *
 * <p>librespot's OkHttp client takes the platform trust manager when the {@code Session} is
 * constructed, which reads {@code javax.net.ssl.trustStore}: install
 * {@link SystemPropertiesOverride#trustStore(FakeTls)} before creating a session.
 */
public final class FakeTls {
    private static final String ALIAS = "fake-spotify";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;
    private static FakeTls instance;

    private final Path keyStore;
    private final Path trustStore;
    private final String password;
    private final SSLContext serverContext;

    private FakeTls(Path keyStore, Path trustStore, String password, SSLContext serverContext) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
        this.serverContext = serverContext;
    }

    /** The material for this JVM, generated on first use. */
    public static synchronized FakeTls get() throws IOException {
        if (instance == null) instance = generate();
        return instance;
    }

    /** PKCS12 key store with the server key and certificate. */
    public Path keyStore() {
        return keyStore;
    }

    /** PKCS12 trust store with only the fake certificate. */
    public Path trustStore() {
        return trustStore;
    }

    public String password() {
        return password;
    }

    public String storeType() {
        return "PKCS12";
    }

    /** A server-side context for the fake TLS servers. */
    public SSLContext serverContext() {
        return serverContext;
    }

    /** keytool's {@code -ext} value: the IP address(es), then every tunnelled host name. */
    static String subjectAltNames() {
        StringBuilder san = new StringBuilder("san=ip:127.0.0.1");
        if (!ServerSupport.bindAddress().equals("127.0.0.1")) san.append(",ip:").append(ServerSupport.bindAddress());
        FakeHosts.TUNNELLED.forEach(host -> san.append(",dns:").append(host));
        return san.toString();
    }

    private static FakeTls generate() throws IOException {
        Path base = Path.of(System.getProperty("fakespotify.dir", "target/fake-spotify")).toAbsolutePath();
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "tls-");
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("trust.p12");
        String password = "fake-spotify-" + Long.toHexString(System.nanoTime());

        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=127.0.0.1, O=Connect Tray fake Spotify",
                "-ext", subjectAltNames(),
                "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", password, "-keypass", password);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", ex);
        }
        if (process.exitValue() != 0)
            throw new IOException("keytool failed (" + process.exitValue() + "): " + Files.readString(dir.resolve("keytool.log")));

        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            Certificate certificate = keys.getCertificate(ALIAS);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, password.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return new FakeTls(keyStore, trustStore, password, context);
        } catch (GeneralSecurityException ex) {
            throw new IOException("cannot load the generated key store", ex);
        }
    }
}
