package dev.connecttray.fakespotify;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP proxy on 127.0.0.1 that answers librespot's
 * {@code GET http://apresolve.spotify.com/?type=accesspoint&type=dealer&type=spclient}.
 *
 * <p>librespot's OkHttp client picks its proxy with {@link java.net.ProxySelector#getDefault()},
 * which honours the {@code http.proxyHost}/{@code https.proxyHost} system properties (see
 * {@link SystemPropertiesOverride#proxy}). HTTPS requests to the host names the fake serves
 * ({@link FakeHosts#TUNNELLED}, port 443) arrive as {@code CONNECT host:443}: once a
 * {@link #setTunnelTarget tunnel target} is set, those get {@code 200 Connection established}
 * and their bytes are piped to the fake TLS server (recorded in {@link #tunnels()}). Every other
 * request (another host, another port, any other CONNECT) is refused with 403 and recorded in
 * {@link #refused()}, so nothing reaches the real network.
 */
public final class FakeApResolve implements AutoCloseable {
    public static final String APRESOLVE_HOST = "apresolve.spotify.com";
    private static final Logger LOG = LoggerFactory.getLogger(FakeApResolve.class);

    /** How the fake answers apresolve requests. */
    public enum Mode {
        /** 200 with the JSON pool pointing at the loopback fakes. */
        JSON,
        /** 503 with an HTML page: what Spotify's edge returns when it is down. */
        HTML_503,
        /** Close the connection without answering. */
        CLOSE_WITHOUT_ANSWER
    }

    /** One apresolve request the fake saw, with how it answered. */
    public record Request(String target, Mode answeredWith, long nanoTime) {
    }

    /** One request the fake refused (not apresolve): a CONNECT tunnel or another host. */
    public record Refused(String method, String target, long nanoTime) {
    }

    /** A CONNECT tunnel the fake opened to its TLS server. */
    public record Tunnel(String host, int port, long nanoTime) {
    }

    /** The addresses put in the JSON answer, as {@code host:port}. */
    public record Pool(List<String> accesspoint, List<String> dealer, List<String> spclient) {
        public Pool {
            accesspoint = List.copyOf(accesspoint);
            dealer = List.copyOf(dealer);
            spclient = List.copyOf(spclient);
        }
    }

    private final ServerSupport server;
    private final Supplier<Pool> pool;
    private final EventLog<Request> requests = new EventLog<>();
    private final EventLog<Refused> refused = new EventLog<>();
    private final EventLog<Tunnel> tunnels = new EventLog<>();
    private volatile Supplier<InetSocketAddress> tunnelTarget;
    private volatile Mode mode = Mode.JSON;

    /**
     * @param pool     the addresses to hand out, asked for at every request (ports may change)
     * @param lifetime after this the server closes itself
     */
    public FakeApResolve(Supplier<Pool> pool, Duration lifetime) {
        this.pool = Objects.requireNonNull(pool);
        this.server = new ServerSupport("apresolve", lifetime, ServerSocket::new, this::handle);
    }

    /** Starts listening on an ephemeral port of 127.0.0.1. */
    public FakeApResolve start() throws IOException {
        server.listen();
        return this;
    }

    public int port() {
        return server.port();
    }

    public Mode mode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = Objects.requireNonNull(mode);
    }

    /** Stops listening: connections are refused (librespot sees a ConnectException). */
    public void refuseConnections() {
        server.stopListening();
    }

    /** Listens again, on the same port. */
    public void acceptConnections() throws IOException {
        server.listen();
    }

    /** apresolve requests served, oldest first, with {@link System#nanoTime()} stamps. */
    public EventLog<Request> requests() {
        return requests;
    }

    /** CONNECT tunnels opened to the fake TLS server, oldest first. */
    public EventLog<Tunnel> tunnels() {
        return tunnels;
    }

    /**
     * Where {@code CONNECT} tunnels for {@link FakeHosts#TUNNELLED} go (asked at every CONNECT);
     * null (the default) refuses every CONNECT.
     */
    public void setTunnelTarget(Supplier<InetSocketAddress> target) {
        this.tunnelTarget = target;
    }

    /** Requests refused because they were not for apresolve (would have left the machine). */
    public EventLog<Refused> refused() {
        return refused;
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            HttpHead head = HttpHead.read(in);
            if (head == null) return;
            long now = System.nanoTime();
            Supplier<InetSocketAddress> target = tunnelTarget;
            if (head.method().equals("CONNECT") && target != null && isTunnelled(head.target())) {
                tunnel(socket, in, out, head.target(), target.get(), now);
                return;
            }
            if (!isApresolve(head)) {
                refused.add(new Refused(head.method(), head.target(), now));
                LOG.warn("fake apresolve proxy refused {} {}", head.method(), head.target());
                HttpHead.respond(out, 403, "Forbidden", "text/plain",
                        "fake Spotify: only apresolve.spotify.com is served\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            head.readBody(in);
            Mode m = mode;
            requests.add(new Request(head.target(), m, now));
            switch (m) {
                case JSON -> HttpHead.respond(out, 200, "OK", "application/json",
                        json(pool.get()).getBytes(StandardCharsets.UTF_8));
                case HTML_503 -> HttpHead.respond(out, 503, "Service Unavailable", "text/html; charset=utf-8",
                        ("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
                                + "<body><h1>Service Unavailable</h1><p>upstream connect error</p></body></html>\n")
                                .getBytes(StandardCharsets.UTF_8));
                case CLOSE_WITHOUT_ANSWER -> { /* the try-with-resources closes it */ }
            }
        } catch (IOException ex) {
            LOG.debug("fake apresolve: connection failed", ex);
        }
    }

    private static boolean isTunnelled(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.substring(colon + 1).equals("443")
                && FakeHosts.isTunnelled(authority.substring(0, colon));
    }

    /**
     * Answers 200 and pipes bytes both ways between the client and the fake TLS server until either
     * side closes or the server's lifetime ends (both sockets time out then; close() drops the client).
     */
    private void tunnel(Socket client, InputStream in, OutputStream out, String authority, InetSocketAddress target,
                        long now) throws IOException {
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon).toLowerCase(Locale.ROOT);
        try (Socket upstream = new Socket()) {
            upstream.connect(target, 5_000);
            upstream.setSoTimeout(server.remainingMillis());
            tunnels.add(new Tunnel(host, 443, now));
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread toClient = new Thread(() -> {
                try {
                    pipe(upstream.getInputStream(), client.getOutputStream());
                } catch (IOException ex) {
                    LOG.debug("fake apresolve: tunnel to {} ended", host, ex);
                } finally {
                    ServerSupport.closeQuietly(client);
                }
            }, "fake-spotify-tunnel-" + host);
            toClient.setDaemon(true);
            toClient.start();
            try {
                pipe(in, upstream.getOutputStream());
            } catch (IOException ex) {
                LOG.debug("fake apresolve: tunnel from {} ended", host, ex);
            } finally {
                ServerSupport.closeQuietly(upstream);
            }
        }
    }

    /** Copies until end of stream; bounded by the sockets' read time-outs. */
    private static void pipe(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = from.read(buffer)) != -1) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    private static boolean isApresolve(HttpHead head) {
        if (!head.method().equals("GET")) return false;
        try {
            URI uri = new URI(head.target());
            return "http".equals(uri.getScheme())
                    && APRESOLVE_HOST.equals(uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT))
                    && (uri.getPort() == -1 || uri.getPort() == 80);
        } catch (URISyntaxException ex) {
            return false;
        }
    }

    static String json(Pool pool) {
        JsonObject obj = new JsonObject();
        obj.add("accesspoint", array(pool.accesspoint()));
        obj.add("dealer", array(pool.dealer()));
        obj.add("spclient", array(pool.spclient()));
        return obj.toString();
    }

    private static JsonArray array(List<String> values) {
        JsonArray arr = new JsonArray();
        values.forEach(arr::add);
        return arr;
    }
}
