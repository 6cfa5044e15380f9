package dev.connecttray.fakeengines;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server with RFC 6455 WebSockets, on 127.0.0.1 only, for the fake engines: GET
 * (or any method) routes answered with JSON and a status (204 without a body), a WebSocket upgrade on
 * a path with text frames both ways, ping/pong and close. Bounded: at most {@code maxConnections}
 * at once, every read times out after {@code idleTimeout}, and the server stops by itself after
 * {@code lifetime}, so nothing outlives a failed test.
 *
 * <pre>{@code
 * LoopbackWebServer server = LoopbackWebServer.builder()
 *         .route("GET", "/status", request -> LoopbackWebServer.Response.json(200, "{\"ok\":true}"))
 *         .webSocket("/", new LoopbackWebServer.SocketHandler() { ... })
 *         .start();
 * }</pre>
 */
public final class LoopbackWebServer implements AutoCloseable {
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int MAX_FRAME_BYTES = 1024 * 1024;
    private static final int MAX_REQUESTS_PER_CONNECTION = 1000;
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;

    /** An HTTP request as a route sees it; header names in lower case. */
    public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: a status, a content type and a body (none for 204). */
    public record Response(int status, String contentType, byte[] body) {
        public static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public static Response noContent() {
            return new Response(204, null, new byte[0]);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Route {
        Response handle(Request request) throws IOException;
    }

    /** What happens on a WebSocket path; called on the connection's own thread. */
    public interface SocketHandler {
        default void opened(WebSocket socket, Request upgrade) throws IOException {
        }

        void text(WebSocket socket, String text) throws IOException;

        default void closed(WebSocket socket) {
        }
    }

    /** One open WebSocket connection; {@link #sendText} may be called from any thread. */
    public static final class WebSocket {
        private final int id;
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean open = true;

        private WebSocket(int id, Socket socket, OutputStream out) {
            this.id = id;
            this.socket = socket;
            this.out = out;
        }

        public int id() {
            return id;
        }

        public boolean isOpen() {
            return open;
        }

        public void sendText(String text) throws IOException {
            send(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sends a close frame with {@code code}; the connection ends once the client answers (or times out). */
        public void close(int code, String reason) throws IOException {
            byte[] r = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + Math.min(r.length, 120)];
            payload[0] = (byte) (code >> 8);
            payload[1] = (byte) code;
            System.arraycopy(r, 0, payload, 2, payload.length - 2);
            send(OP_CLOSE, payload);
        }

        /** Ends the connection at once, without a close frame (a crashed server). */
        public void abort() {
            open = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private synchronized void send(int opcode, byte[] payload) throws IOException {
            if (!open) throw new IOException("the WebSocket is closed");
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length <= 0xFFFF) {
                out.write(126);
                out.write(payload.length >> 8);
                out.write(payload.length);
            } else {
                out.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) out.write((int) ((long) payload.length >> shift));
            }
            out.write(payload);
            out.flush();
        }
    }

    /** Sets up a server. */
    public static final class Builder {
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private final Map<String, SocketHandler> sockets = new LinkedHashMap<>();
        private int port;
        private int maxConnections = 16;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration lifetime = Duration.ofMinutes(10);

        public Builder route(String method, String path, Route route) {
            routes.put(method.toUpperCase(Locale.ROOT) + " " + path, Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder webSocket(String path, SocketHandler handler) {
            sockets.put(path, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** The port to bind on 127.0.0.1; 0 (the default) for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** How long a read may wait: an idle HTTP connection or a silent WebSocket client is dropped after it. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The server stops by itself this long after it started. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        public LoopbackWebServer start() throws IOException {
            return new LoopbackWebServer(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final Map<String, Route> routes;
    private final Map<String, SocketHandler> sockets;
    private final int maxConnections;
    private final int idleMillis;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, WebSocket> webSockets = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;
    private final Thread timer;
    private volatile boolean closed;

    private LoopbackWebServer(Builder b) throws IOException {
        this.routes = Map.copyOf(b.routes);
        this.sockets = Map.copyOf(b.sockets);
        this.maxConnections = b.maxConnections;
        this.idleMillis = (int) Math.max(1, b.idleTimeout.toMillis());
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 16);
        acceptor = new Thread(this::accept, "loopback-web-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        long lifetimeMillis = b.lifetime.toMillis();
        timer = new Thread(() -> {
            try {
                Thread.sleep(lifetimeMillis); // the server's own end of life, whatever the test does
            } catch (InterruptedException e) {
                return;
            }
            close();
        }, "loopback-web-lifetime-" + server.getLocalPort());
        timer.setDaemon(true);
        timer.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The WebSocket connections open now. */
    public int openWebSockets() {
        return webSockets.size();
    }

    /** Sends {@code text} to every open WebSocket; returns how many it reached. */
    public int broadcast(String text) {
        int reached = 0;
        for (WebSocket ws : webSockets.values()) {
            try {
                ws.sendText(text);
                reached++;
            } catch (IOException e) {
                ws.abort();
            }
        }
        return reached;
    }

    /** Drops every open connection at once, without close frames (as a crashed server would). */
    public void dropConnections() {
        for (WebSocket ws : webSockets.values()) ws.abort();
        for (Socket s : open) closeQuietly(s);
    }

    /** How many HTTP requests (upgrades included) were served. */
    public int requestCount() {
        return requests.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeQuietly(server);
        dropConnections();
        timer.interrupt();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (open.size() >= maxConnections) {
                closeQuietly(s);
                continue;
            }
            open.add(s);
            Thread t = new Thread(() -> {
                try {
                    s.setSoTimeout(idleMillis);
                    serve(s);
                } catch (IOException e) {
                    // the client went away, timed out, or the server closed
                } finally {
                    open.remove(s);
                    closeQuietly(s);
                }
            }, "loopback-web-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        OutputStream out = s.getOutputStream();
        for (int served = 0; served < MAX_REQUESTS_PER_CONNECTION && !closed; served++) {
            Request request = readRequest(in);
            if (request == null) return;
            requests.incrementAndGet();
            String upgrade = request.header("upgrade");
            if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
                SocketHandler handler = sockets.get(request.path());
                String key = request.header("sec-websocket-key");
                if (handler == null || key == null || !"GET".equals(request.method())) {
                    write(out, handler == null ? Response.text(404, "no WebSocket here\n")
                            : Response.text(400, "bad upgrade\n"), false);
                    return;
                }
                webSocket(s, request, key, handler, in, out);
                return;
            }
            Route route = routes.get(request.method() + " " + request.path());
            Response response;
            if (route == null) {
                boolean otherMethod = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + request.path()));
                response = otherMethod ? Response.text(405, "method not allowed\n") : Response.text(404, "not found\n");
            } else {
                try {
                    response = route.handle(request);
                } catch (RuntimeException e) {
                    response = Response.text(500, e.toString() + "\n");
                }
            }
            String connection = request.header("connection");
            boolean keepAlive = connection == null || !connection.toLowerCase(Locale.ROOT).contains("close");
            write(out, response, keepAlive);
            if (!keepAlive) return;
        }
    }

    private static Request readRequest(DataInputStream in) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new IOException("bad request line: " + requestLine);
        Map<String, String> headers = new LinkedHashMap<>();
        int total = requestLine.length();
        while (true) {
            String line = readLine(in, false);
            if (line == null) throw new EOFException("end of stream in the request head");
            if (line.isEmpty()) break;
            total += line.length();
            if (total > MAX_HEAD_BYTES) throw new IOException("request head too long");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("bad header line: " + line);
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        String length = headers.get("content-length");
        if (length != null) {
            int n = Integer.parseInt(length.trim());
            if (n < 0 || n > MAX_BODY_BYTES) throw new IOException("body too long: " + n);
            body = new byte[n];
            in.readFully(body);
        }
        String target = parts[1];
        int q = target.indexOf('?');
        return new Request(parts[0].toUpperCase(Locale.ROOT), q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1), headers, body);
    }

    /** A CRLF (or LF) ended line of ISO-8859-1; null at the end of the stream before any byte when {@code eofOk}. */
    private static String readLine(InputStream in, boolean eofOk) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (sb.length() == 0 && eofOk) return null;
                throw new EOFException("end of stream in a line");
            }
            if (b == '\n') break;
            if (sb.length() >= MAX_HEAD_BYTES) throw new IOException("line too long");
            sb.append((char) b);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
    }

    private static void write(OutputStream out, Response r, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status()))
                .append("\r\n");
        boolean noBody = r.status() == 204 || r.status() == 304 || (r.status() >= 100 && r.status() < 200);
        if (!noBody) {
            if (r.contentType() != null) head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) out.write(r.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private void webSocket(Socket s, Request upgrade, String key, SocketHandler handler, DataInputStream in,
                           OutputStream out) throws IOException {
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        WebSocket ws = new WebSocket(ids.incrementAndGet(), s, out);
        webSockets.put(ws.id(), ws);
        try {
            handler.opened(ws, upgrade);
            readFrames(ws, handler, in);
        } finally {
            ws.open = false;
            webSockets.remove(ws.id());
            handler.closed(ws);
        }
    }

    private void readFrames(WebSocket ws, SocketHandler handler, DataInputStream in) throws IOException {
        ByteArrayOutputStream fragments = null;
        while (!closed && ws.isOpen()) {
            int b0 = in.read();
            if (b0 < 0) return;
            int b1 = in.readUnsignedByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = in.readLong();
            if (!masked) throw new IOException("a client frame without a mask (RFC 6455 5.1)");
            if (length < 0 || length > MAX_FRAME_BYTES) throw new IOException("frame too long: " + length);
            byte[] mask = new byte[4];
            in.readFully(mask);
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
            switch (opcode) {
                case OP_TEXT, OP_BINARY -> {
                    if (fin) {
                        if (opcode == OP_TEXT) handler.text(ws, new String(payload, StandardCharsets.UTF_8));
                    } else {
                        fragments = new ByteArrayOutputStream();
                        fragments.write(payload);
                    }
                }
                case OP_CONTINUATION -> {
                    if (fragments == null) throw new IOException("a continuation without a first fragment");
                    if (fragments.size() + payload.length > MAX_FRAME_BYTES) throw new IOException("message too long");
                    fragments.write(payload);
                    if (fin) {
                        handler.text(ws, fragments.toString(StandardCharsets.UTF_8));
                        fragments = null;
                    }
                }
                case OP_PING -> ws.send(OP_PONG, payload);
                case OP_PONG -> {
                    // an answer to nothing we sent; fine
                }
                case OP_CLOSE -> {
                    try {
                        ws.send(OP_CLOSE, payload.length >= 2 ? new byte[]{payload[0], payload[1]} : new byte[0]);
                    } catch (IOException ignored) {
                        // the client is gone already
                    }
                    return;
                }
                default -> throw new IOException("unknown opcode " + opcode);
            }
        }
    }

    private static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key.trim() + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
