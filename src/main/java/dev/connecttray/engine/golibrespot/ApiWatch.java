package dev.connecttray.engine.golibrespot;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.core.Threads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one run of go-librespot through its API on loopback: {@code GET /status} every heartbeat
 * interval (each answer shows the engine alive), and its {@code /events} WebSocket (each event
 * shows it alive too, and asks {@code /status} again at once). A WebSocket that closes while the
 * engine lives is opened again, a few times in a row at most; {@code /status} goes on regardless, and
 * when that stops answering, the supervisor's watchdog ends the engine.
 */
final class ApiWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiWatch.class);
    /** How many times in a row the events socket is opened again before only {@code /status} is watched. */
    static final int WEBSOCKET_RETRIES = 5;

    /** What the watch hears. */
    interface Sink {
        /** {@code /status} answered: with the session's user, or null for none (204). */
        void status(String username);

        /** The engine answered or sent something: it is alive. */
        void heard();

        /** An event from {@code /events}, by its type. */
        void event(String type);
    }

    private final HttpClient http;
    private final URI base;
    private final Duration interval;
    private final Sink sink;
    private final ScheduledExecutorService poller;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private volatile WebSocket socket;
    private int socketFailures;

    ApiWatch(HttpClient http, int port, Duration interval, Sink sink, long pid) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = URI.create("http://127.0.0.1:" + port);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.poller = Executors.newSingleThreadScheduledExecutor(Threads.factory("go-librespot-api-" + pid));
    }

    void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        openSocket();
    }

    /** Asks {@code /status} now (once, however many events ask meanwhile). */
    void checkNow() {
        if (closed.get() || !checkQueued.compareAndSet(false, true)) return;
        try {
            poller.execute(() -> {
                checkQueued.set(false);
                poll();
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void poll() {
        if (closed.get()) return;
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/status")).timeout(interval).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.debug("go-librespot's /status did not answer: {}", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (closed.get()) return;
        int code = response.statusCode();
        if (code == 204) {
            sink.heard();
            sink.status(null);
        } else if (code == 200) {
            sink.heard();
            sink.status(username(response.body()));
        } else {
            // Alive, but saying something we do not read as a state.
            sink.heard();
            LOG.debug("go-librespot's /status answered {}", code);
        }
    }

    /** The {@code username} of a {@code /status} answer; "" when it has none. */
    static String username(String body) {
        try {
            JsonElement e = JsonParser.parseString(body);
            if (!e.isJsonObject()) return "";
            JsonElement u = e.getAsJsonObject().get("username");
            return u == null || !u.isJsonPrimitive() ? "" : u.getAsString();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The {@code type} of an {@code /events} frame, or null when it is not one. */
    static String eventType(String frame) {
        try {
            JsonElement e = JsonParser.parseString(frame);
            if (!e.isJsonObject()) return null;
            JsonObject o = e.getAsJsonObject();
            JsonElement t = o.get("type");
            return t == null || !t.isJsonPrimitive() ? null : t.getAsString();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return null;
        }
    }

    private void openSocket() {
        if (closed.get()) return;
        URI uri = URI.create("ws://127.0.0.1:" + base.getPort() + "/events");
        http.newWebSocketBuilder().connectTimeout(interval.multipliedBy(2)).buildAsync(uri, new Events())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        socketLost("could not open its events socket: " + error.getMessage());
                        return;
                    }
                    socket = ws;
                    if (closed.get()) ws.abort();
                });
    }

    private void socketLost(String why) {
        if (closed.get()) return;
        int failures;
        synchronized (this) {
            failures = ++socketFailures;
        }
        if (failures > WEBSOCKET_RETRIES) {
            LOG.info("go-librespot {}; gave up on its events after {} tries, watching /status only", why,
                    WEBSOCKET_RETRIES);
            return;
        }
        LOG.debug("go-librespot {}; opening it again in {} ms", why, interval.toMillis());
        try {
            poller.schedule(this::openSocket, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        poller.shutdownNow();
        WebSocket ws = socket;
        if (ws != null) ws.abort();
    }

    private final class Events implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (ApiWatch.this) {
                socketFailures = 0;
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                if (!closed.get()) {
                    sink.heard();
                    String type = eventType(frame);
                    if (type != null) {
                        sink.event(type);
                    } else {
                        LOG.debug("go-librespot sent an event that is not one: {}", frame.length() > 200
                                ? frame.substring(0, 200) + "..." : frame);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            socketLost("closed its events socket (" + statusCode + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            socketLost("broke its events socket: " + error);
        }
    }
}
