package dev.connecttray.supervisor;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Plays systemd's side of sd_notify in tests: a real AF_UNIX datagram socket, bound to a path or to
 * an abstract name, whose value goes into a child's or an {@link SdNotify}'s NOTIFY_SOCKET. Every
 * receive waits at most the time it is given.
 */
public final class UnixDatagramReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    /** With MSG_TRUNC recv returns a datagram's real length, so an oversized one is noticed, not cut. */
    private static final int MSG_TRUNC = 0x20;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int SUN_PATH_SIZE = 108;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final int fd;
    private final String notifySocketValue;
    private final Path path;
    private boolean closed;

    private UnixDatagramReceiver(int fd, String notifySocketValue, Path path) {
        this.fd = fd;
        this.notifySocketValue = notifySocketValue;
        this.path = path;
    }

    /** A socket file at {@code path} (which must not exist yet), removed again by {@link #close()}. */
    public static UnixDatagramReceiver bindPath(Path path) {
        byte[] name = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (name.length > SUN_PATH_SIZE - 1) {
            throw new IllegalArgumentException("socket path has " + name.length + " bytes, at most "
                    + (SUN_PATH_SIZE - 1) + " fit: " + path);
        }
        ByteBuffer address = sockaddr(2 + name.length + 1);
        address.put(name).put((byte) 0);
        return bind(address.array(), path.toAbsolutePath().toString(), path.toAbsolutePath());
    }

    /** An abstract socket (no file; gone with the socket); NOTIFY_SOCKET is "@" + {@code nameWithoutAt}. */
    public static UnixDatagramReceiver bindAbstract(String nameWithoutAt) {
        byte[] name = nameWithoutAt.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > SUN_PATH_SIZE - 1) {
            throw new IllegalArgumentException("an abstract name has 1 to " + (SUN_PATH_SIZE - 1)
                    + " bytes, this one " + name.length);
        }
        // The leading NUL marks the abstract namespace; the length, not a NUL, ends the name.
        ByteBuffer address = sockaddr(2 + 1 + name.length);
        address.put((byte) 0).put(name);
        return bind(address.array(), "@" + nameWithoutAt, null);
    }

    private static ByteBuffer sockaddr(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX);
    }

    private static UnixDatagramReceiver bind(byte[] address, String value, Path path) {
        int fd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            Libc.bind(fd, address, address.length);
        } catch (LastErrorException e) {
            Libc.close(fd);
            throw new IllegalStateException("bind " + value + ": " + Libc.strerror(e.getErrorCode()), e);
        }
        return new UnixDatagramReceiver(fd, value, path);
    }

    /** What to put in NOTIFY_SOCKET: the path, or "@" and the abstract name. */
    public String notifySocketValue() {
        return notifySocketValue;
    }

    /** The next datagram as UTF-8 text, or empty when none arrives within {@code timeout}. */
    public Optional<String> receive(Duration timeout) {
        return receiveBytes(timeout).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** The next datagram's exact bytes, or empty when none arrives within {@code timeout}. */
    public synchronized Optional<byte[]> receiveBytes(Duration timeout) {
        if (closed) throw new IllegalStateException("closed");
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[BUFFER_SIZE];
        while (true) {
            try {
                long n = Libc.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT | MSG_TRUNC).longValue();
                if (n > buffer.length) throw new AssertionError("a datagram of " + n + " bytes, larger than " + buffer.length);
                return Optional.of(Arrays.copyOf(buffer, (int) n));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EAGAIN) {
                    throw new IllegalStateException("recv on " + notifySocketValue + ": " + Libc.strerror(e.getErrorCode()), e);
                }
            }
            long leftMillis = Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000);
            if (leftMillis == 0) return Optional.empty();
            awaitReadable((int) Math.min(Integer.MAX_VALUE, leftMillis));
        }
    }

    private void awaitReadable(int timeoutMillis) {
        // struct pollfd { int fd; short events; short revents; }
        byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putInt(fd).putShort(POLLIN).putShort((short) 0).array();
        try {
            Libc.poll(pollfd, 1, timeoutMillis);
        } catch (LastErrorException e) {
            // A signal cut the wait short: the caller's loop checks the deadline and waits again.
            if (e.getErrorCode() != EINTR) {
                throw new IllegalStateException("poll on " + notifySocketValue + ": " + Libc.strerror(e.getErrorCode()), e);
            }
        }
    }

    /**
     * Every datagram up to and including the first that matches, within {@code timeout} in all.
     *
     * @throws AssertionError if none matches in time; the message lists what did arrive
     */
    public List<String> receiveUntil(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Optional<String> next = receive(left);
            if (next.isEmpty()) {
                throw new AssertionError("no matching notification on " + notifySocketValue + " within " + timeout
                        + "; received " + seen);
            }
            seen.add(next.get());
            if (match.test(next.get())) return seen;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a temporary folder's clean-up removes it anyway
            }
        }
    }

    /** The libc calls a receiving socket needs. */
    private static final class Libc {
        static {
            Native.register("c");
        }

        private Libc() {
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

        static native int poll(byte[] fds, int nfds, int timeout) throws LastErrorException;

        static native NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native String strerror(int errnum);
    }
}
