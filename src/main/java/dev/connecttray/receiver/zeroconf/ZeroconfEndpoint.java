package dev.connecttray.receiver.zeroconf;

import com.spotify.Authentication;
import dev.connecttray.core.Threads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint of Spotify Connect's Zeroconf protocol: a Spotify app found the device by mDNS
 * (published elsewhere, see {@link Advertiser}), asks {@code GET /?action=getInfo} for its id and
 * Diffie-Hellman key, then hands its login over with {@code POST /} {@code action=addUser}. The
 * endpoint checks and decrypts what it is handed, answers, and passes the user name and the
 * credentials to a {@link HandOverListener}; it never logs in itself.
 *
 * <p>Bounded in every direction: one I/O thread (java.nio) reads requests from at most
 * {@link Limits#maxConnections} connections (at the limit a new connection evicts the one idle
 * longest), each request within {@link Limits#requestTimeout} and {@link Limits#maxHeadBytes} +
 * {@link Limits#maxBodyBytes}; a small pool of {@link Limits#workers} threads answers complete
 * requests; one more thread delivers hand-overs. Every answer closes its connection (and says
 * so). An {@code accept} that fails (too many open files) backs off from 100 ms to 1 s and is
 * reported once per burst. All threads are daemons named {@code zeroconf-endpoint-<port>-...}
 * and end on {@link #close()}.
 */
public final class ZeroconfEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroconfEndpoint.class);

    private static final long ACCEPT_BACKOFF_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ACCEPT_BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ACCEPTS_PER_ROUND = 16;
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_WAIT = Duration.ofMillis(900);

    /**
     * How much the endpoint takes on.
     *
     * @param maxConnections at most this many connections are open; a new one evicts the one idle longest
     * @param requestTimeout a request must arrive completely within this long of its first byte
     *                       (else 408); an answer must be written within this long
     * @param idleTimeout    a connection that sends nothing is closed after this long
     * @param maxHeadBytes   the request line and header fields, at most (else 431)
     * @param maxBodyBytes   the body, at most (else 413)
     * @param workers        threads answering complete requests
     */
    public record Limits(int maxConnections, Duration requestTimeout, Duration idleTimeout,
                         int maxHeadBytes, int maxBodyBytes, int workers) {
        public static final Limits DEFAULT =
                new Limits(32, Duration.ofSeconds(5), Duration.ofSeconds(10), 8 * 1024, 64 * 1024, 4);

        public Limits {
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be at least 1");
            if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
            if (maxHeadBytes < 64) throw new IllegalArgumentException("maxHeadBytes must be at least 64");
            if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes must not be negative");
            positive(requestTimeout, "requestTimeout");
            positive(idleTimeout, "idleTimeout");
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        }

        public Limits withMaxConnections(int n) {
            return new Limits(n, requestTimeout, idleTimeout, maxHeadBytes, maxBodyBytes, workers);
        }

        public Limits withTimeouts(Duration request, Duration idle) {
            return new Limits(maxConnections, request, idle, maxHeadBytes, maxBodyBytes, workers);
        }
    }

    /**
     * What {@code getInfo} tells about the device.
     *
     * @param deviceId   the device id, 40 characters (librespot's device blob needs exactly that)
     * @param remoteName the name Spotify apps show
     * @param deviceType a Spotify Connect device type name, e.g. "COMPUTER"
     */
    public record Device(String deviceId, String remoteName, String deviceType, String brandDisplayName,
                         String modelDisplayName, String libraryVersion) {
        public Device {
            Objects.requireNonNull(deviceId, "deviceId");
            if (deviceId.length() != 40) throw new IllegalArgumentException("the device id must be 40 characters");
            Objects.requireNonNull(remoteName, "remoteName");
            Objects.requireNonNull(deviceType, "deviceType");
            Objects.requireNonNull(brandDisplayName, "brandDisplayName");
            Objects.requireNonNull(modelDisplayName, "modelDisplayName");
            Objects.requireNonNull(libraryVersion, "libraryVersion");
        }

        /** A device of Connect Tray's brand and model, with this build's version as library version. */
        public static Device of(String deviceId, String remoteName, String deviceType) {
            String version = ZeroconfEndpoint.class.getPackage().getImplementationVersion();
            return new Device(deviceId, remoteName, deviceType, "Connect Tray", "Connect Tray",
                    "connect-tray " + (version == null ? "dev" : version));
        }
    }

    /** Receives each hand-over, on the endpoint's own hand-over thread (never an I/O or worker thread). */
    @FunctionalInterface
    public interface HandOverListener {
        /**
         * A Spotify app handed over these credentials. While this runs, newer hand-overs wait;
         * only the newest of them is delivered next (an older waiting one is dropped). Interrupted
         * by {@link ZeroconfEndpoint#close()}.
         */
        void handedOver(String userName, Authentication.LoginCredentials credentials);
    }

    /** Trouble the receiver may treat as a failure. Called on the I/O thread: return quickly. */
    public interface ProblemListener {
        /** {@code accept} started failing (e.g. too many open files); once per burst of failures. */
        void acceptFailing(IOException cause);

        /** {@code accept} works again after this many failed attempts. */
        default void acceptRecovered(int failedAttempts) {
        }

        /** The endpoint stopped by itself (a bug or a broken selector), not through {@link #close()}. */
        default void stopped(Throwable cause) {
        }

        ProblemListener NONE = cause -> {
        };
    }

    /** How connections are accepted; a seam for tests. */
    @FunctionalInterface
    interface Acceptor {
        SocketChannel accept(ServerSocketChannel server) throws IOException;
    }

    private enum State { READING, PROCESSING, WRITING, DRAINING }

    /** One connection; touched only by the I/O thread. */
    private static final class Conn {
        final SocketChannel channel;
        final String peer;
        SelectionKey key;
        State state = State.READING;
        byte[] buf = new byte[1024];
        int len;
        int scanFrom;
        int headEnd = -1;
        HttpExchange.Head head;
        boolean sawBytes;
        boolean closed;
        long lastActivity;
        long deadline;
        boolean hasDeadline = true;
        ByteBuffer out;
        int drained;

        Conn(SocketChannel channel, String peer) {
            this.channel = channel;
            this.peer = peer;
        }
    }

    private record Answer(Conn conn, byte[] bytes) {
    }

    private final Limits limits;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SelectionKey serverKey;
    private final int port;
    private final String threadPrefix;
    private final ZeroconfProtocol protocol;
    private final ProblemListener problems;
    private final Acceptor acceptor;
    private final ThreadPoolExecutor workers;
    private final HandOvers handOvers;
    private final Thread ioThread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Set<Conn> conns = new LinkedHashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final long requestNanos;
    private final long idleNanos;
    private volatile int openConnections;

    private int acceptFailures;
    private long acceptBackoff = ACCEPT_BACKOFF_FIRST_NANOS;
    private long acceptResumeAt;
    private boolean acceptPaused;
    private long lastRejectLog;
    private int suppressedRejectLogs;

    /**
     * Starts an endpoint on {@code port} (0: any free port) of every interface and returns once it
     * listens.
     *
     * @param handOvers receives each accepted hand-over on a thread of its own
     * @param problems  told when {@code accept} fails and recovers, or the endpoint dies
     * @throws IOException when the port cannot be bound
     */
    public static ZeroconfEndpoint start(int port, Device device, HandOverListener handOvers,
                                         ProblemListener problems, Limits limits) throws IOException {
        return start(port, device, handOvers, problems, limits, ServerSocketChannel::accept);
    }

    static ZeroconfEndpoint start(int port, Device device, HandOverListener handOvers, ProblemListener problems,
                                  Limits limits, Acceptor acceptor) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        ZeroconfEndpoint endpoint = new ZeroconfEndpoint(port, device, handOvers, problems, limits, acceptor);
        endpoint.handOvers.thread.start();
        endpoint.ioThread.start();
        LOG.info("Zeroconf endpoint listening on port {}", endpoint.port);
        return endpoint;
    }

    private ZeroconfEndpoint(int requestedPort, Device device, HandOverListener listener, ProblemListener problems,
                             Limits limits, Acceptor acceptor) throws IOException {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        Objects.requireNonNull(listener, "handOvers");
        this.requestNanos = limits.requestTimeout().toNanos();
        this.idleNanos = limits.idleTimeout().toNanos();

        ServerSocketChannel s = ServerSocketChannel.open();
        Selector sel = null;
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(requestedPort), 64);
            s.configureBlocking(false);
            sel = Selector.open();
            this.serverKey = s.register(sel, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            if (sel != null) sel.close();
            s.close();
            throw e;
        }
        this.server = s;
        this.selector = sel;
        this.port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        this.threadPrefix = "zeroconf-endpoint-" + port;

        this.handOvers = new HandOvers(listener, threadPrefix + "-handover");
        this.protocol = new ZeroconfProtocol(device, new HandOverDecoder(device.deviceId(), new SecureRandom()),
                handOvers::offer);
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.maxConnections()), Threads.numbered(threadPrefix + "-worker"));
        this.ioThread = Threads.named(threadPrefix + "-io", this::runIo);
    }

    /** The TCP port the endpoint listens on. */
    public int port() {
        return port;
    }

    /** The user {@code getInfo} names as active: the one last handed over, "" before any. */
    public String activeUser() {
        return protocol.activeUser();
    }

    /** Sets the user {@code getInfo} names as active ("" or null: none), e.g. after a logout. */
    public void activeUser(String userName) {
        protocol.activeUser(userName);
    }

    /** How many connections are open now. */
    public int openConnections() {
        return openConnections;
    }

    /** The prefix of every thread's name. */
    String threadPrefix() {
        return threadPrefix;
    }

    /**
     * Stops accepting, closes every connection, interrupts the hand-over thread and waits up to
     * about a second for the threads to end. Idempotent; callable from the hand-over listener.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        selector.wakeup();
        workers.shutdownNow();
        handOvers.close();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            join(ioThread, deadline);
            join(handOvers.thread, deadline);
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioThread.isAlive() || handOvers.thread.isAlive() || !workers.isTerminated()) {
            LOG.warn("Zeroconf endpoint on port {}: a thread is still running after close", port);
        }
        LOG.info("Zeroconf endpoint on port {} closed", port);
    }

    private static void join(Thread t, long deadline) throws InterruptedException {
        if (t == Thread.currentThread()) return;
        long left = deadline - System.nanoTime();
        if (left > 0) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    // ---- the I/O thread ----

    private void runIo() {
        Throwable failure = null;
        try {
            while (!closed.get()) {
                long now = System.nanoTime();
                selector.select(waitMillis(now));
                if (closed.get()) break;
                now = System.nanoTime();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) continue;
                    if (key == serverKey) {
                        acceptSome(now);
                    } else {
                        serve((Conn) key.attachment(), key, now);
                    }
                }
                now = System.nanoTime();
                deliverAnswers(now);
                expire(now);
                if (acceptPaused && now - acceptResumeAt >= 0) {
                    acceptPaused = false;
                    serverKey.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        } catch (ClosedSelectorException e) {
            if (!closed.get()) failure = e;
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            shutDownIo();
        }
        if (failure != null && !closed.get()) {
            LOG.error("Zeroconf endpoint on port {} stopped: {}", port, failure.toString());
            try {
                problems.stopped(failure);
            } catch (RuntimeException e) {
                LOG.warn("Zeroconf endpoint: the problem listener failed: {}", e.toString());
            }
            close();
        }
    }

    private long waitMillis(long now) {
        long next = now + TimeUnit.SECONDS.toNanos(1);
        for (Conn c : conns) {
            if (c.hasDeadline && c.deadline - next < 0) next = c.deadline;
        }
        if (acceptPaused && acceptResumeAt - next < 0) next = acceptResumeAt;
        long ms = TimeUnit.NANOSECONDS.toMillis(next - now) + 1;
        return Math.max(1, ms);
    }

    private void shutDownIo() {
        for (Conn c : new ArrayList<>(conns)) closeConn(c);
        answers.clear();
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the server socket: {}", e.toString());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector: {}", e.toString());
        }
        openConnections = 0;
    }

    private void acceptSome(long now) {
        for (int i = 0; i < ACCEPTS_PER_ROUND && !closed.get(); i++) {
            SocketChannel ch;
            try {
                ch = acceptor.accept(server);
            } catch (IOException e) {
                acceptFailed(e, now);
                return;
            }
            if (ch == null) return;
            if (acceptFailures > 0) {
                LOG.info("Zeroconf endpoint accepts connections again after {} failed attempts", acceptFailures);
                int failures = acceptFailures;
                acceptFailures = 0;
                acceptBackoff = ACCEPT_BACKOFF_FIRST_NANOS;
                try {
                    problems.acceptRecovered(failures);
                } catch (RuntimeException e) {
                    LOG.warn("Zeroconf endpoint: the problem listener failed: {}", e.toString());
                }
            }
            register(ch, now);
        }
    }

    private void acceptFailed(IOException e, long now) {
        acceptFailures++;
        if (acceptFailures == 1) {
            LOG.warn("Zeroconf endpoint cannot accept connections ({}); backing off", e.getMessage());
            try {
                problems.acceptFailing(e);
            } catch (RuntimeException ex) {
                LOG.warn("Zeroconf endpoint: the problem listener failed: {}", ex.toString());
            }
        }
        serverKey.interestOps(0);
        acceptPaused = true;
        acceptResumeAt = now + acceptBackoff;
        acceptBackoff = Math.min(acceptBackoff * 2, ACCEPT_BACKOFF_MAX_NANOS);
    }

    private void register(SocketChannel ch, long now) {
        String peer;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            peer = String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            closeQuietly(ch);
            return;
        }
        if (conns.size() >= limits.maxConnections()) {
            Conn victim = longestIdle();
            if (victim == null) {
                noteRejected(503, peer, "every connection is busy");
                try {
                    ch.write(ByteBuffer.wrap(ZeroconfProtocol.httpError(503)));
                } catch (IOException e) {
                    // it was only a courtesy
                }
                closeQuietly(ch);
                return;
            }
            LOG.debug("Zeroconf endpoint: {} connections open, closing the one idle longest ({})",
                    conns.size(), victim.peer);
            closeConn(victim);
        }
        Conn c = new Conn(ch, peer);
        try {
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            closeQuietly(ch);
            return;
        }
        c.lastActivity = now;
        c.deadline = now + idleNanos;
        conns.add(c);
        openConnections = conns.size();
    }

    private Conn longestIdle() {
        Conn best = null;
        for (Conn c : conns) {
            boolean idle = c.state == State.DRAINING || c.state == State.READING;
            if (idle && (best == null || c.lastActivity - best.lastActivity < 0)) best = c;
        }
        return best;
    }

    private void serve(Conn c, SelectionKey key, long now) {
        try {
            if (key.isReadable()) onReadable(c, now);
            if (!c.closed && key.isValid() && key.isWritable()) onWritable(c, now);
        } catch (IOException e) {
            LOG.debug("Zeroconf connection from {}: {}", c.peer, e.toString());
            closeConn(c);
        } catch (RuntimeException e) {
            LOG.warn("Zeroconf connection from {} failed: {}", c.peer, e.toString());
            closeConn(c);
        }
    }

    private void onReadable(Conn c, long now) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            closeConn(c);
            return;
        }
        if (c.state == State.DRAINING) {
            c.drained += n;
            if (c.drained > limits.maxBodyBytes() + limits.maxHeadBytes()) closeConn(c);
            return;
        }
        if (c.state != State.READING || n == 0) return;
        if (!c.sawBytes) {
            c.sawBytes = true;
            c.deadline = now + requestNanos;
        }
        c.lastActivity = now;
        append(c, n);
        try {
            progress(c, now);
        } catch (HttpExchange.Rejected r) {
            reject(c, r.httpStatus, r.getMessage(), now);
        }
    }

    private void append(Conn c, int n) {
        int cap = limits.maxHeadBytes() + limits.maxBodyBytes() + 4;
        int take = Math.min(n, cap - c.len);
        if (take <= 0) return;
        if (c.len + take > c.buf.length) {
            c.buf = Arrays.copyOf(c.buf, Math.min(cap, Math.max(c.len + take, c.buf.length * 2)));
        }
        System.arraycopy(readBuffer.array(), 0, c.buf, c.len, take);
        c.len += take;
    }

    private void progress(Conn c, long now) throws HttpExchange.Rejected, IOException {
        if (c.head == null) {
            int end = HttpExchange.headEnd(c.buf, c.scanFrom, c.len);
            if (end < 0) {
                if (c.len > limits.maxHeadBytes()) throw new HttpExchange.Rejected(431, "request head over " + limits.maxHeadBytes() + " bytes");
                c.scanFrom = Math.max(0, c.len - 3);
                return;
            }
            if (end > limits.maxHeadBytes()) throw new HttpExchange.Rejected(431, "request head of " + end + " bytes");
            c.head = HttpExchange.parseHead(c.buf, end, limits.maxBodyBytes());
            c.headEnd = end;
            if (c.head.expectContinue() && c.len - end < c.head.contentLength()) {
                c.channel.write(ByteBuffer.wrap(HttpExchange.CONTINUE)); // small enough for any socket buffer
            }
        }
        if (c.len - c.headEnd < c.head.contentLength()) return;
        byte[] body = Arrays.copyOfRange(c.buf, c.headEnd, c.headEnd + c.head.contentLength());
        HttpExchange.Request request = new HttpExchange.Request(c.head, body);
        c.buf = null;
        c.state = State.PROCESSING;
        c.hasDeadline = false;
        c.key.interestOps(0);
        try {
            workers.execute(() -> work(c, request));
        } catch (RejectedExecutionException e) {
            if (!closed.get()) reject(c, 503, "no worker free", now);
        }
    }

    /** On a worker thread: the answer to a complete request, handed back to the I/O thread. */
    private void work(Conn c, HttpExchange.Request request) {
        byte[] answer;
        try {
            answer = protocol.handle(request, c.peer);
        } catch (RuntimeException | Error e) {
            LOG.warn("Zeroconf request from {} failed: {}", c.peer, e.toString());
            answer = ZeroconfProtocol.httpError(500);
        }
        answers.add(new Answer(c, answer));
        selector.wakeup();
    }

    private void deliverAnswers(long now) {
        Answer a;
        while ((a = answers.poll()) != null) {
            if (!a.conn().closed) startWriting(a.conn(), a.bytes(), now);
        }
    }

    private void reject(Conn c, int httpStatus, String reason, long now) {
        noteRejected(httpStatus, c.peer, reason);
        c.buf = null;
        startWriting(c, ZeroconfProtocol.httpError(httpStatus), now);
    }

    private void startWriting(Conn c, byte[] bytes, long now) {
        c.out = ByteBuffer.wrap(bytes);
        c.state = State.WRITING;
        c.hasDeadline = true;
        c.deadline = now + requestNanos;
        c.lastActivity = now;
        try {
            c.key.interestOps(SelectionKey.OP_WRITE);
            onWritable(c, now);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Zeroconf connection from {}: {}", c.peer, e.toString());
            closeConn(c);
        }
    }

    private void onWritable(Conn c, long now) throws IOException {
        if (c.state != State.WRITING) return;
        c.channel.write(c.out);
        if (c.out.hasRemaining()) return;
        // Answered: half-close and read what the client still sends until it closes too, so that
        // unread request bytes do not turn the close into a reset that could destroy the answer.
        c.out = null;
        c.channel.shutdownOutput();
        c.state = State.DRAINING;
        c.lastActivity = now;
        c.deadline = now + Math.min(LINGER_NANOS, requestNanos);
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void expire(long now) {
        for (Conn c : new ArrayList<>(conns)) {
            if (c.closed || !c.hasDeadline || now - c.deadline < 0) continue;
            if (c.state == State.READING && c.sawBytes) {
                reject(c, 408, "request incomplete after " + limits.requestTimeout().toMillis() + " ms", now);
            } else {
                if (c.state == State.WRITING) LOG.debug("Zeroconf connection from {}: answer not taken in time", c.peer);
                closeConn(c);
            }
        }
    }

    private void noteRejected(int httpStatus, String peer, String reason) {
        long now = System.nanoTime();
        if (lastRejectLog != 0 && now - lastRejectLog < LOG_INTERVAL_NANOS) {
            suppressedRejectLogs++;
            return;
        }
        lastRejectLog = now;
        if (suppressedRejectLogs > 0) {
            LOG.info("Zeroconf request from {} refused with {}: {} ({} more refused in the last second)",
                    peer, httpStatus, reason, suppressedRejectLogs);
            suppressedRejectLogs = 0;
        } else {
            LOG.info("Zeroconf request from {} refused with {}: {}", peer, httpStatus, reason);
        }
    }

    private void closeConn(Conn c) {
        if (c.closed) return;
        c.closed = true;
        c.buf = null;
        c.out = null;
        conns.remove(c);
        openConnections = conns.size();
        if (c.key != null) c.key.cancel();
        closeQuietly(c.channel);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    // ---- hand-overs ----

    /** A one-slot mailbox and the thread that empties it: a newer hand-over replaces a waiting older one. */
    private static final class HandOvers {
        private record Pending(String userName, Authentication.LoginCredentials credentials) {
        }

        final Thread thread;
        private final HandOverListener listener;
        private final Object lock = new Object();
        private Pending pending;
        private boolean closed;

        HandOvers(HandOverListener listener, String threadName) {
            this.listener = listener;
            this.thread = Threads.named(threadName, this::run);
        }

        void offer(String userName, Authentication.LoginCredentials credentials) {
            synchronized (lock) {
                if (closed) return;
                if (pending != null) LOG.info("Zeroconf hand-over for {} replaced by a newer one", pending.userName());
                pending = new Pending(userName, credentials);
                lock.notifyAll();
            }
        }

        void close() {
            synchronized (lock) {
                closed = true;
                pending = null;
                lock.notifyAll();
            }
            thread.interrupt();
        }

        private void run() {
            while (true) {
                Pending next;
                synchronized (lock) {
                    while (pending == null && !closed) {
                        try {
                            lock.wait(1000);
                        } catch (InterruptedException e) {
                            if (closed) return;
                        }
                    }
                    if (closed) return;
                    next = pending;
                    pending = null;
                }
                try {
                    listener.handedOver(next.userName(), next.credentials());
                } catch (RuntimeException e) {
                    LOG.warn("Zeroconf hand-over listener failed: {}", e.toString());
                }
                if (Thread.interrupted()) {
                    synchronized (lock) {
                        if (closed) return;
                    }
                }
            }
        }
    }
}
