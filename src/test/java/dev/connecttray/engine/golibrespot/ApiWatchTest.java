package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakeengines.LoopbackWebServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ApiWatch} against a loopback server speaking go-librespot's API. */
class ApiWatchTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    private final AtomicReference<String> user = new AtomicReference<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hang;
    private LoopbackWebServer server;
    private ApiWatch watch;

    @AfterEach
    void tearDown() {
        released.countDown();
        if (watch != null) watch.close();
        if (server != null) server.close();
    }

    private void serve() throws Exception {
        server = LoopbackWebServer.builder().lifetime(Duration.ofMinutes(2)).idleTimeout(Duration.ofMinutes(2))
                .route("GET", "/status", r -> {
                    if (hang) {
                        try {
                            released.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    String u = user.get();
                    return u == null ? LoopbackWebServer.Response.noContent()
                            : LoopbackWebServer.Response.json(200, "{\"username\":\"" + u + "\",\"device_name\":\"x\"}");
                })
                .webSocket("/events", (socket, text) -> { })
                .start();
        watch = new ApiWatch(HttpClient.newBuilder().proxy(java.net.ProxySelector.of(null)).build(), server.port(),
                INTERVAL, new ApiWatch.Sink() {
                    @Override
                    public void status(String username) {
                        heard.add(username == null ? "status: none" : "status: " + username);
                    }

                    @Override
                    public void heard() {
                        heard.add("heard");
                    }

                    @Override
                    public void event(String type) {
                        heard.add("event: " + type);
                    }
                }, 1);
        watch.start();
    }

    private void awaitHeard(String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String s = heard.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(s).as("\"" + what + "\" within 10 s").isNotNull();
            if (s.equals(what)) return;
        }
    }

    private void awaitSockets(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openWebSockets() != n) {
            assertThat(System.nanoTime()).as(n + " events socket(s) open within 10 s").isLessThan(deadline);
            Thread.sleep(20); // the server's count of sockets: nothing to wait on
        }
    }

    @Test
    void statusIsAskedEveryIntervalAndSaysWhetherThereIsASession() throws Exception {
        serve();
        awaitHeard("status: none");
        user.set("alice");
        awaitHeard("status: alice");
    }

    @Test
    void anEventIsHeardAndMakesItAskStatusAtOnce() throws Exception {
        serve();
        awaitSockets(1);
        awaitHeard("status: none");
        user.set("alice");
        heard.clear();
        server.broadcast("{\"type\":\"active\",\"data\":null}");
        awaitHeard("event: active");
        awaitHeard("status: alice");
    }

    @Test
    void aDroppedEventsSocketIsOpenedAgainAndItsEventsHeard() throws Exception {
        serve();
        awaitSockets(1);
        server.dropConnections();
        heard.clear();
        // Until the watch has opened it again, nothing reaches it: sent again until it is heard.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            server.broadcast("{\"type\":\"playing\",\"data\":{\"uri\":\"spotify:track:x\"}}");
            String s = heard.poll(100, TimeUnit.MILLISECONDS);
            if ("event: playing".equals(s) || heard.contains("event: playing")) break;
            assertThat(System.nanoTime()).as("an event heard on a reopened socket within 10 s").isLessThan(deadline);
        }
        assertThat(server.openWebSockets()).isEqualTo(1);
    }

    @Test
    void aHangingApiIsNotHeardFrom() throws Exception {
        serve();
        awaitHeard("status: none");
        hang = true;
        // One answer may have been on its way; after it, nothing for three intervals and more.
        heard.poll(INTERVAL.toMillis() * 2, TimeUnit.MILLISECONDS);
        heard.clear();
        assertThat(heard.poll(INTERVAL.toMillis() * 4, TimeUnit.MILLISECONDS)).as("nothing heard from a hung API")
                .isNull();
    }

    @Test
    void framesAndAnswersAreReadLeniently() {
        assertThat(ApiWatch.eventType("{\"type\":\"metadata\",\"data\":{\"name\":\"x\"}}")).isEqualTo("metadata");
        assertThat(ApiWatch.eventType("[1,2]")).isNull();
        assertThat(ApiWatch.eventType("not json")).isNull();
        assertThat(ApiWatch.username("{\"username\":\"bob\"}")).isEqualTo("bob");
        assertThat(ApiWatch.username("{\"username\":null}")).isEmpty();
        assertThat(ApiWatch.username("<html>")).isEmpty();
    }
}
