package dev.connecttray.engine.soloist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.connecttray.fakespotify.FakeTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Spotify's build host on loopback HTTPS, with the test certificate of {@link FakeTls}: serves
 * {@code /soloist_release_x86_64.tar.gz} as set by {@link #offer}, answers HEAD with the ETag, and
 * records every request. {@link #close()} stops it.
 */
final class FakeBuildHost implements AutoCloseable {
    static final String PATH = "/soloist_release_x86_64.tar.gz";

    /** What the host answers: status, body, ETag; a Location for a redirect; stalls after half the body. */
    record Offer(int status, byte[] body, String etag, String location, boolean stall) {
        Offer(int status, byte[] body, String etag, String location) {
            this(status, body, etag, location, false);
        }

        static Offer archive(byte[] body, String etag) {
            return new Offer(200, body, etag, null);
        }

        /** Sends the headers and half the archive, then nothing until the host is closed. */
        static Offer stalling(byte[] body, String etag) {
            return new Offer(200, body, etag, null, true);
        }
    }

    private final HttpsServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Offer offer = new Offer(404, new byte[0], null, null);
    private final CountDownLatch closed = new CountDownLatch(1);

    private FakeBuildHost(HttpsServer server) {
        this.server = server;
    }

    static FakeBuildHost start() throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(FakeTls.get().serverContext()));
        FakeBuildHost host = new FakeBuildHost(server);
        server.createContext("/", host::handle);
        server.start();
        return host;
    }

    void offer(Offer offer) {
        this.offer = offer;
    }

    /** "HEAD /soloist_release_x86_64.tar.gz", "GET …", in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long count(String method) {
        return requests.stream().filter(r -> r.startsWith(method + " ")).count();
    }

    URI base() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The host as Connect Tray sees it: this base, only 127.0.0.1 allowed. */
    BuildHost buildHost() {
        return new BuildHost(base(), Set.of("127.0.0.1"));
    }

    /** A client that trusts the test certificate only. */
    static HttpClient client() throws IOException {
        FakeTls tls = FakeTls.get();
        try (InputStream in = Files.newInputStream(tls.trustStore())) {
            KeyStore trust = KeyStore.getInstance(tls.storeType());
            trust.load(in, tls.password().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            requests.add(method + " " + ex.getRequestURI().getPath());
            Offer o = offer;
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (o.etag() != null) ex.getResponseHeaders().set("ETag", o.etag());
            if (o.location() != null) ex.getResponseHeaders().set("Location", o.location());
            ex.getResponseHeaders().set("Content-Type", "application/gzip");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(o.status(), -1);
                return;
            }
            ex.sendResponseHeaders(o.status(), o.body().length == 0 ? -1 : o.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                if (o.stall()) {
                    out.write(o.body(), 0, o.body().length / 2);
                    out.flush();
                    closed.await();
                    return;
                }
                out.write(o.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
