package dev.connecttray.supervisor;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.connecttray.os.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the headless service is doing (the sd_notify(3) protocol): ready, a status
 * line for {@code systemctl status}, watchdog pings and stopping. Outside systemd every method is a
 * no-op, so callers never need to ask where they run.
 */
public final class SdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SdNotify.class);

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sun_path) on Linux, including the terminating NUL of a path. */
    private static final int SUN_PATH_SIZE = 108;
    /** offsetof(struct sockaddr_un, sun_path): the 2-byte sa_family_t before it. */
    private static final int SUN_PATH_OFFSET = 2;
    /**
     * systemd ignores a notification of PIPE_BUF (4096) bytes or more, so a long status line is cut
     * rather than lost.
     */
    static final int MAX_MESSAGE_BYTES = 4095;

    private final String socketName;
    private final byte[] address;
    private final Optional<Duration> watchdogInterval;
    private int fd;
    private boolean failureLogged;

    private SdNotify(String socketName, byte[] address, int fd, Optional<Duration> watchdogInterval) {
        this.socketName = socketName;
        this.address = address;
        this.fd = fd;
        this.watchdogInterval = watchdogInterval;
    }

    /** From the process environment (System.getenv()). */
    public static SdNotify fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From the given environment map: no-op ({@code enabled()==false}) without NOTIFY_SOCKET, on
     * non-Linux, or when the native call fails to load.
     */
    public static SdNotify fromEnvironment(Map<String, String> env) {
        Optional<Duration> watchdog = watchdogInterval(env, ProcessHandle.current().pid());
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) return disabled(watchdog);
        if (!Platform.current().isLinux()) {
            log.debug("NOTIFY_SOCKET is set, but systemd notifications are for Linux only; ignoring it");
            return disabled(watchdog);
        }
        byte[] address;
        try {
            address = socketAddress(socket);
        } catch (IllegalArgumentException e) {
            log.warn("{}; systemd notifications are off", e.getMessage());
            return disabled(watchdog);
        }
        int fd;
        try {
            fd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            log.warn("Cannot open a socket for systemd notifications (NOTIFY_SOCKET={}): {}; they are off",
                    socket, describe(e));
            return disabled(watchdog);
        } catch (LinkageError e) {
            // JNA unpacks its native library to ~/.cache/JNA (else the temp folder) at first use: with
            // neither writable, or on a CPU it has none for, we end here. Under Type=notify systemd will
            // then time out the start, and this warning is what says why.
            log.warn("Cannot load the native code for systemd notifications (NOTIFY_SOCKET={}): {}; they are off",
                    socket, e.toString());
            log.debug("Stack trace", e);
            return disabled(watchdog);
        }
        log.debug("systemd notifications go to NOTIFY_SOCKET={}", socket);
        return new SdNotify(socket, address, fd, watchdog);
    }

    private static SdNotify disabled(Optional<Duration> watchdog) {
        return new SdNotify(null, null, -1, watchdog);
    }

    /** Whether messages go anywhere: under systemd on Linux, with the socket open. */
    public synchronized boolean enabled() {
        return fd >= 0;
    }

    /** Start-up is done: systemd reports the unit active only after this ("READY=1"). */
    public void ready() {
        send("READY=1");
    }

    /**
     * One line for {@code systemctl status}; line breaks become spaces ("STATUS=...").
     *
     * @throws NullPointerException if {@code line} is null
     */
    public void status(String line) {
        String flat = line.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
        send("STATUS=" + truncateUtf8(flat, MAX_MESSAGE_BYTES - "STATUS=".length()));
    }

    /** Still alive: resets the unit's WatchdogSec timer ("WATCHDOG=1"). */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** A clean shutdown has begun, so systemd does not take the exit for a crash ("STOPPING=1"). */
    public void stopping() {
        send("STOPPING=1");
    }

    /**
     * Half of WATCHDOG_USEC when it is set, valid, and WATCHDOG_PID is absent or equals our pid; else
     * empty. Half, as sd_watchdog_enabled(3) advises, so one late ping does not get us killed; never
     * less than {@link #MIN_WATCHDOG_INTERVAL} (a warning, once, says so).
     */
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    static Optional<Duration> watchdogInterval(Map<String, String> env, long ourPid) {
        long usec = positiveNumber(env.get("WATCHDOG_USEC"));
        if (usec <= 0) return Optional.empty();
        String pid = env.get("WATCHDOG_PID");
        // The variable is inherited by child processes: only the process systemd started is watched.
        if (pid != null && positiveNumber(pid) != ourPid) return Optional.empty();
        Duration half = Duration.of(usec, ChronoUnit.MICROS).dividedBy(2);
        if (half.compareTo(MIN_WATCHDOG_INTERVAL) < 0) {
            // WATCHDOG_USEC=1 would mean a ping every 500 ns: a busy loop on the supervisor's thread.
            log.warn("WATCHDOG_USEC={} asks for a systemd watchdog ping every {} µs; pinging once a second instead "
                    + "(a WatchdogSec= below 2 s cannot be kept reliably)", usec, half.toNanos() / 1000.0);
            return Optional.of(MIN_WATCHDOG_INTERVAL);
        }
        return Optional.of(half);
    }

    /** The shortest time between two watchdog pings, whatever WATCHDOG_USEC says. */
    static final Duration MIN_WATCHDOG_INTERVAL = Duration.ofSeconds(1);

    /** The number in {@code text}, or -1 when it is missing, not a plain decimal, zero or too large. */
    private static long positiveNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) return -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') return -1;
        }
        long n = Long.parseLong(text);
        return n > 0 ? n : -1;
    }

    /** Sends one datagram; never throws: the first failure is a warning, later ones are debug. */
    synchronized void send(String message) {
        if (fd < 0) return;
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            // MSG_DONTWAIT: a stuck or overloaded service manager drops a ping instead of blocking the caller.
            Libc.sendto(fd, bytes, new NativeLong(bytes.length), MSG_NOSIGNAL | MSG_DONTWAIT, address, address.length);
        } catch (LastErrorException e) {
            reportFailure(message, describe(e));
        } catch (RuntimeException | LinkageError e) {
            reportFailure(message, e.toString());
        }
    }

    private void reportFailure(String message, String cause) {
        // The key says which message; a status line may be long.
        int eq = message.indexOf('=');
        String key = eq > 0 ? message.substring(0, eq) : message;
        if (!failureLogged) {
            failureLogged = true;
            log.warn("Cannot notify systemd through NOTIFY_SOCKET={} ({}): {}; later failures are logged at debug",
                    socketName, key, cause);
        } else {
            log.debug("Cannot notify systemd through NOTIFY_SOCKET={} ({}): {}", socketName, key, cause);
        }
    }

    /** Closes the socket; later messages are dropped. */
    @Override
    public synchronized void close() {
        if (fd < 0) return;
        int closing = fd;
        fd = -1;
        try {
            Libc.close(closing);
        } catch (LastErrorException e) {
            log.debug("Closing the systemd notification socket: {}", describe(e));
        }
    }

    /**
     * The sockaddr_un for NOTIFY_SOCKET: an absolute path (with its terminating NUL), or an abstract
     * name after '@' (a leading NUL, no terminating one: every byte of an abstract name counts).
     */
    static byte[] socketAddress(String notifySocket) {
        byte[] name;
        boolean isAbstract;
        if (notifySocket.startsWith("/")) {
            // The JVM decoded the variable with this charset; encoding with it gives the original bytes.
            name = notifySocket.getBytes(filenameCharset());
            isAbstract = false;
        } else if (notifySocket.startsWith("@") && notifySocket.length() > 1) {
            name = notifySocket.substring(1).getBytes(filenameCharset());
            isAbstract = true;
        } else {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + notifySocket + " is not supported: Connect Tray "
                    + "can notify an absolute path (/...) or an abstract socket name (@...) only");
        }
        if (name.length > SUN_PATH_SIZE - 1) {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + notifySocket + " is too long: "
                    + (isAbstract ? "an abstract name" : "a path") + " may have at most " + (SUN_PATH_SIZE - 1)
                    + " bytes, this one has " + name.length);
        }
        int length = SUN_PATH_OFFSET + 1 + name.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (isAbstract) {
            b.put((byte) 0).put(name);
        } else {
            b.put(name).put((byte) 0);
        }
        return b.array();
    }

    private static Charset filenameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** {@code text}, cut to at most {@code maxBytes} of UTF-8 without splitting a character. */
    static String truncateUtf8(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) return text;
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) end--;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String describe(LastErrorException e) {
        int errno = e.getErrorCode();
        try {
            return Libc.strerror(errno) + " (errno " + errno + ")";
        } catch (RuntimeException | LinkageError ignored) {
            return "errno " + errno;
        }
    }

    /** The libc calls, bound on first use; the class fails to load where JNA has no native part. */
    private static final class Libc {
        static {
            Native.register("c");
        }

        private Libc() {
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen)
                throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native String strerror(int errnum);
    }
}
