package dev.connecttray.fakespotify;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop shared by the fake servers: binds 127.0.0.1 only (or {@link #bindAddress()}), runs every thread as a
 * daemon, caps the number of connections, closes every socket on {@link #close()}, and closes
 * itself when its lifetime is over. Can stop listening and listen again on the same port.
 */
final class ServerSupport implements Closeable {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(2);
    /** Per server, over its lifetime; a soak raises it with -Dfakespotify.maxConnections. */
    static final int MAX_CONNECTIONS = Integer.getInteger("fakespotify.maxConnections", 500);
    private static final Logger LOG = LoggerFactory.getLogger(ServerSupport.class);

    private final String name;
    private final Consumer<Socket> handler;
    private final ServerSocketFactory serverSocketFactory;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final long deadlineNanos;
    private volatile ServerSocket serverSocket;
    private volatile boolean closed;
    private int port;

    @FunctionalInterface
    interface ServerSocketFactory {
        ServerSocket create() throws IOException;
    }

    ServerSupport(String name, Duration lifetime, ServerSocketFactory serverSocketFactory, Consumer<Socket> handler) {
        this.name = name;
        this.handler = handler;
        this.serverSocketFactory = serverSocketFactory;
        this.workers = Executors.newCachedThreadPool(daemonThreads(name));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads(name + "-lifetime"));
        this.deadlineNanos = System.nanoTime() + lifetime.toNanos();
        timer.schedule(this::close, lifetime.toMillis(), TimeUnit.MILLISECONDS);
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fake-spotify-" + prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The address every fake server binds and hands out: 127.0.0.1, unless the system property
     * {@code fakespotify.bindAddress} names another (the network-namespace bench binds a veth address).
     */
    static String bindAddress() {
        String configured = System.getProperty("fakespotify.bindAddress");
        return configured == null || configured.isBlank() ? "127.0.0.1" : configured.trim();
    }

    /** Binds an ephemeral port on {@link #bindAddress()} (or the previous port when listening again). */
    synchronized void listen() throws IOException {
        if (closed) throw new IllegalStateException(name + " is closed");
        if (serverSocket != null) return;
        ServerSocket ss = serverSocketFactory.create();
        try {
            ss.setReuseAddress(true);
            String configured = System.getProperty("fakespotify.bindAddress");
            InetAddress address = configured == null || configured.isBlank()
                    ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bindAddress());
            ss.bind(new InetSocketAddress(address, port), 50);
        } catch (IOException ex) {
            ss.close();
            throw ex;
        }
        port = ss.getLocalPort();
        serverSocket = ss;
        try {
            workers.execute(() -> acceptLoop(ss));
        } catch (RejectedExecutionException ex) {
            ss.close();
            throw new IllegalStateException(name + " is closed", ex);
        }
    }

    /** Closes the listening socket (new connections are refused); open connections stay. */
    synchronized void stopListening() {
        ServerSocket ss = serverSocket;
        serverSocket = null;
        closeQuietly(ss);
    }

    synchronized int port() {
        if (port == 0) throw new IllegalStateException(name + " never listened");
        return port;
    }

    boolean isListening() {
        return serverSocket != null;
    }

    int acceptedCount() {
        return accepted.get();
    }

    /** Milliseconds left of this server's lifetime (at least 1, for socket time-outs). */
    int remainingMillis() {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs {@code task} on a daemon timer thread after {@code delay} (dropped once closed). */
    void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ignored) {
            // closed
        }
    }

    /** Closes every open connection, keeps listening. */
    void dropAllConnections() {
        for (Socket s : sockets) closeQuietly(s);
    }

    void forget(Socket socket) {
        sockets.remove(socket);
    }

    private void acceptLoop(ServerSocket ss) {
        while (!closed && !ss.isClosed()) {
            Socket socket;
            try {
                socket = ss.accept();
            } catch (SocketException ex) {
                return; // closed
            } catch (IOException ex) {
                LOG.debug("{}: accept failed", name, ex);
                return;
            }
            if (closed || accepted.incrementAndGet() > MAX_CONNECTIONS) {
                closeQuietly(socket);
                continue;
            }
            sockets.add(socket);
            try {
                socket.setSoTimeout(remainingMillis());
                workers.execute(() -> {
                    try {
                        handler.accept(socket);
                    } catch (RuntimeException ex) {
                        LOG.warn("{}: handler failed", name, ex);
                    } finally {
                        closeQuietly(socket);
                        sockets.remove(socket);
                    }
                });
            } catch (IOException | RejectedExecutionException ex) {
                closeQuietly(socket);
                sockets.remove(socket);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            stopListening();
        }
        dropAllConnections();
        workers.shutdownNow();
        timer.shutdownNow();
    }

    static void closeQuietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
