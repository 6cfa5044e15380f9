package dev.connecttray.supervisor;

import dev.connecttray.core.Threads;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running instance's local control channel: a Unix-domain socket, {@code control.sock}, in the
 * state folder (owner-only, like the folder). A second launch uses it to ask the running one to
 * bring its status window forward instead of failing with "already running".
 *
 * <p>The protocol is one short line each way: the client sends a request ({@code show}) and the
 * server answers with one word ({@link Answer}), then closes. It carries no secrets. The server
 * runs on its own daemon thread with one selector, so a client that connects and says nothing, or
 * too much, costs it nothing but a closed connection: each connection gets {@link #CLIENT_DEADLINE}
 * and {@link #MAX_REQUEST_BYTES}, and at most {@link #MAX_CLIENTS} are open at once (more wait to be accepted).
 */
public final class ControlChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);

    public static final String FILE_NAME = "control.sock";
    /** The longest request line, its newline included. */
    static final int MAX_REQUEST_BYTES = 64;
    /** How long one connection may take to send its line. */
    static final Duration CLIENT_DEADLINE = Duration.ofSeconds(2);
    static final int MAX_CLIENTS = 8;

    /** What a client may ask. */
    public enum Request {
        /** Show the status window and bring it to the front. */
        SHOW;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Request> parse(String word) {
            for (Request r : values()) if (r.word().equals(word)) return Optional.of(r);
            return Optional.empty();
        }
    }

    /** What the running instance answers. */
    public enum Answer {
        /** The status window is (being) shown in front. */
        SHOWN,
        /** This instance runs without a window (headless, a service): nothing to show. */
        HEADLESS,
        /** The request was not understood (too long, unknown). */
        REFUSED;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Answer> parse(String word) {
            for (Answer a : values()) if (a.word().equals(word)) return Optional.of(a);
            return Optional.empty();
        }
    }

    /** Carries out a request; called on the channel's thread, so it must return at once. */
    @FunctionalInterface
    public interface Handler {
        Answer handle(Request request);
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean closed;
    /** Open connections; only the channel's thread touches it. */
    private int clients;

    private ControlChannel(Path socket, ServerSocketChannel server, Selector selector, Handler handler) {
        this.socket = socket;
        this.server = server;
        this.selector = selector;
        this.handler = handler;
        this.thread = Threads.named("control-channel", this::serve);
    }

    /** The socket's path for a state folder. */
    public static Path socketFile(Path stateDir) {
        return stateDir.resolve(FILE_NAME);
    }

    /**
     * Listens on the state folder's socket; call it only while holding the state folder's
     * {@link InstanceLock}, which makes any socket file found there a stale one from a process that
     * died: it is replaced. A socket that cannot be made (a path too long for a Unix socket, a file
     * of another kind in its place) costs only the bring-forward: the reason is logged.
     */
    public static Optional<ControlChannel> listen(Path stateDir, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        Path socket = socketFile(stateDir);
        try {
            removeStale(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
                if (Files.getFileStore(socket).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                }
                server.configureBlocking(false);
                Selector selector = Selector.open();
                server.register(selector, SelectionKey.OP_ACCEPT);
                ControlChannel channel = new ControlChannel(socket, server, selector, handler);
                channel.thread.start();
                LOG.debug("Control channel listening on {}", socket);
                return Optional.of(channel);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("No control channel at {} ({}): a second launch cannot bring this one's window forward",
                    socket, e.getMessage() != null ? e.getMessage() : e.toString());
            return Optional.empty();
        }
    }

    /** Deletes a socket file left by a process that died; refuses to delete anything else. */
    static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isSymbolicLink(socket) || Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) && Files.size(socket) > 0) {
            throw new IOException(socket + " exists and is no socket; move it away");
        }
        Files.delete(socket);
        LOG.debug("Removed the stale control socket {}", socket);
    }

    private void serve() {
        ByteBuffer reply = ByteBuffer.allocate(32);
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = Long.MAX_VALUE;
                for (SelectionKey key : selector.keys()) {
                    if (!(key.attachment() instanceof Client c)) continue;
                    long left = c.deadline - now;
                    if (left <= 0) {
                        LOG.debug("Control channel: a client sent no request within {} s",
                                CLIENT_DEADLINE.toSeconds());
                        drop(key);
                    } else {
                        wait = Math.min(wait, left);
                    }
                }
                selector.select(wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key, reply);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException | ClosedChannelException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            if (!closed) LOG.warn("The control channel stopped: {}", e.toString());
        }
    }

    /** A connection waiting for its request line. */
    private static final class Client {
        final long deadline = System.nanoTime() + CLIENT_DEADLINE.toNanos();
        final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES);
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return;
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, new Client());
        clients++;
        // Full: more connections wait in the OS's backlog until a slot frees (a deadline passes).
        if (clients >= MAX_CLIENTS) server.keyFor(selector).interestOps(0);
    }

    private void read(SelectionKey key, ByteBuffer reply) {
        Client c = (Client) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            int n = ch.read(c.in);
            String line = lineIn(c.in);
            if (line == null) {
                if (n < 0) {
                    drop(key); // gone before a whole line
                } else if (!c.in.hasRemaining()) {
                    answer(ch, Answer.REFUSED, reply);
                    drop(key);
                }
                return;
            }
            Answer answer = Request.parse(line.strip()).map(this::handle).orElse(Answer.REFUSED);
            answer(ch, answer, reply);
        } catch (IOException e) {
            LOG.debug("Control channel: {}", e.toString());
        }
        drop(key);
    }

    private Answer handle(Request request) {
        try {
            Answer a = handler.handle(request);
            LOG.info("Another launch asked this one to {}; answered {}", request.word(), a.word());
            return a;
        } catch (RuntimeException e) {
            LOG.warn("Could not carry out the request {}: {}", request.word(), e.toString());
            return Answer.REFUSED;
        }
    }

    /** The first line in {@code buffer}, without its newline, or null when none is complete. */
    private static String lineIn(ByteBuffer buffer) {
        for (int i = 0; i < buffer.position(); i++) {
            if (buffer.get(i) == '\n') return new String(buffer.array(), 0, i, StandardCharsets.US_ASCII);
        }
        return null;
    }

    /** A few bytes into an empty socket buffer: written at once, or the client is not reading and loses them. */
    private static void answer(SocketChannel ch, Answer answer, ByteBuffer reply) throws IOException {
        reply.clear();
        reply.put((answer.word() + "\n").getBytes(StandardCharsets.US_ASCII)).flip();
        ch.write(reply);
    }

    private void drop(SelectionKey key) {
        if (!key.isValid()) return; // dropped already
        key.cancel();
        if (key.attachment() instanceof Client && --clients < MAX_CLIENTS) {
            SelectionKey accepting = server.keyFor(selector);
            if (accepting != null && accepting.isValid()) accepting.interestOps(SelectionKey.OP_ACCEPT);
        }
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            selector.close(); // wakes the thread, which then ends
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", socket, e.getMessage());
        }
    }

    /**
     * Asks the instance running with {@code stateDir} for {@code request}; empty when no instance
     * listens (no socket, a stale one) or none answers within {@code timeout}.
     */
    public static Optional<Answer> ask(Path stateDir, Request request, Duration timeout) {
        Path socket = socketFile(stateDir);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(Threads.factory("control-client-timeout"));
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Blocking calls with a deadline: closing the channel ends whichever call is waiting.
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap((request.word() + "\n").getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(32);
                while (in.hasRemaining()) {
                    int n = ch.read(in);
                    String line = lineIn(in);
                    if (line != null) return Answer.parse(line.strip());
                    if (n < 0) break;
                }
                return Optional.empty();
            } finally {
                deadline.cancel(false);
            }
        } catch (AsynchronousCloseException e) {
            LOG.debug("No answer on {} within {} ms", socket, timeout.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            LOG.debug("No instance listens on {}: {}", socket, e.toString());
            return Optional.empty();
        } finally {
            timer.shutdownNow();
        }
    }
}
