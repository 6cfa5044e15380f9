package dev.connecttray.fakeengines;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared loopback server against the JDK's own HTTP and WebSocket clients. */
class LoopbackWebServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void answersRoutesWithTheirStatusAndJsonAndKnowsNoOthers() throws Exception {
        try (LoopbackWebServer server = LoopbackWebServer.builder()
                .route("GET", "/status", r -> LoopbackWebServer.Response.json(200, "{\"q\":\"" + r.query() + "\"}"))
                .route("GET", "/empty", r -> LoopbackWebServer.Response.noContent())
                .start()) {
            HttpResponse<String> ok = get(server, "/status?x=1");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(ok.body()).isEqualTo("{\"q\":\"x=1\"}");
            HttpResponse<String> empty = get(server, "/empty");
            assertThat(empty.statusCode()).isEqualTo(204);
            assertThat(empty.body()).isEmpty();
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/status"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(server.requestCount()).isEqualTo(4);
        }
    }

    @Test
    void webSocketCarriesTextBothWaysAnswersPingsAndCloses() throws Exception {
        BlockingQueue<String> atServer = new LinkedBlockingQueue<>();
        CompletableFuture<Void> serverSawClose = new CompletableFuture<>();
        try (LoopbackWebServer server = LoopbackWebServer.builder()
                .webSocket("/", new LoopbackWebServer.SocketHandler() {
                    @Override
                    public void opened(LoopbackWebServer.WebSocket socket, LoopbackWebServer.Request upgrade)
                            throws java.io.IOException {
                        socket.sendText("{\"type\":\"hello\"}");
                    }

                    @Override
                    public void text(LoopbackWebServer.WebSocket socket, String text) throws java.io.IOException {
                        atServer.add(text);
                        socket.sendText("echo " + text);
                    }

                    @Override
                    public void closed(LoopbackWebServer.WebSocket socket) {
                        serverSawClose.complete(null);
                    }
                }).start()) {
            BlockingQueue<String> atClient = new LinkedBlockingQueue<>();
            CompletableFuture<ByteBuffer> pong = new CompletableFuture<>();
            CompletableFuture<Integer> closedWith = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"),
                    new WebSocket.Listener() {
                        private final StringBuilder parts = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            parts.append(data);
                            if (last) {
                                atClient.add(parts.toString());
                                parts.setLength(0);
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                            pong.complete(message);
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closedWith.complete(statusCode);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            assertThat(atClient.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"hello\"}");
            String big = "x".repeat(70_000); // a 64-bit length on the way back
            ws.sendText(big, true).get(5, TimeUnit.SECONDS);
            assertThat(atServer.poll(5, TimeUnit.SECONDS)).isEqualTo(big);
            assertThat(atClient.poll(5, TimeUnit.SECONDS)).isEqualTo("echo " + big);
            assertThat(server.broadcast("{\"type\":\"event\"}")).isEqualTo(1);
            assertThat(atClient.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"type\":\"event\"}");
            ws.sendPing(ByteBuffer.wrap(new byte[]{7})).get(5, TimeUnit.SECONDS);
            assertThat(pong.get(5, TimeUnit.SECONDS).get()).isEqualTo((byte) 7);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            assertThat(closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            serverSawClose.get(5, TimeUnit.SECONDS);
            assertThat(server.openWebSockets()).isZero();
        }
    }

    @Test
    void stopsByItselfAfterItsLifetime() throws Exception {
        LoopbackWebServer server = LoopbackWebServer.builder().lifetime(Duration.ofMillis(200)).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.isClosed() && System.nanoTime() < deadline) Thread.sleep(20); // the server's own timer
        assertThat(server.isClosed()).isTrue();
        assertThat(catchConnect(server.port())).isTrue();
    }

    private static boolean catchConnect(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private HttpResponse<String> get(LoopbackWebServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(LoopbackWebServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
