package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.receiver.LibrespotFailures;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xyz.gianlu.librespot.core.ApResolver;

/** The replacement ApResolver against a loopback "apresolve" reached through an HTTP proxy, as the library asks it. */
class ApResolverTest {
    private HttpServer server;
    private OkHttpClient client;

    private ApResolver resolveWith(int status, String contentType, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        client = new OkHttpClient.Builder().proxy(new Proxy(Proxy.Type.HTTP, server.getAddress()))
                .callTimeout(10, TimeUnit.SECONDS).build();
        return new ApResolver(client);
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
        if (client != null) {
            client.dispatcher().executorService().shutdownNow();
            client.connectionPool().evictAll();
        }
    }

    /** Regression: 1.6.3 parsed the 503 page as JSON and the whole login failed as a parse error. */
    @Test
    void anHtml503FallsBackToSpotifysWellKnownHosts() throws Exception {
        ApResolver resolver = resolveWith(503, "text/html",
                "<html><body><h1>503 Service Unavailable</h1></body></html>");

        assertThat(resolver.getRandomAccesspoint()).isEqualTo("ap.spotify.com:443");
        assertThat(resolver.getRandomDealer()).isEqualTo("dealer.spotify.com:443");
        assertThat(resolver.getRandomSpclient()).isEqualTo("spclient.wg.spotify.com:443");
        assertThat(ApResolver.fallbackReason()).hasValueSatisfying(r -> assertThat(r).contains("HTTP 503"));
    }

    @Test
    void garbageWithStatus200FallsBackToo() throws Exception {
        ApResolver resolver = resolveWith(200, "text/html", "<html>captive portal</html>");

        assertThat(resolver.getRandomAccesspoint()).isEqualTo("ap.spotify.com:443");
        assertThat(ApResolver.fallbackReason()).hasValueSatisfying(r -> assertThat(r).contains("not the expected JSON"));
    }

    @Test
    void aProperAnswerIsUsedAndClearsTheFallback() throws Exception {
        resolveWith(503, "text/html", "down").getRandomAccesspoint();
        stop();
        ApResolver resolver = resolveWith(200, "application/json",
                "{\"accesspoint\":[\"ap-gew4.spotify.com:4070\"],\"dealer\":[\"gew4-dealer.spotify.com:443\"],"
                        + "\"spclient\":[\"gew4-spclient.spotify.com:443\"]}");

        assertThat(resolver.getRandomAccesspoint()).isEqualTo("ap-gew4.spotify.com:4070");
        assertThat(resolver.getRandomSpclient()).isEqualTo("gew4-spclient.spotify.com:443");
        assertThat(ApResolver.fallbackReason()).isEmpty();
    }

    @Test
    void whenTheFallbackAccessPointFailsTooTheMessageSaysApresolveFailedFirst() {
        Failure f = LibrespotFailures.classify(new ConnectException("Connection refused"),
                Optional.of("answered HTTP 503"));

        assertThat(f.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(f.message()).contains("apresolve").contains("answered HTTP 503").contains("Connection refused");
        assertThat(LibrespotFailures.classify(new ConnectException("Connection refused"), Optional.empty()).message())
                .doesNotContain("apresolve");
    }
}
