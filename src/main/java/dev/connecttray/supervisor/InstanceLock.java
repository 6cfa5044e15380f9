package dev.connecttray.supervisor;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One running instance per state folder: an OS file lock on {@code instance.lock}, which also
 * holds the owner's pid for the next one to name. The OS drops the lock when the process dies,
 * however it dies, so a crash never leaves a stale lock behind.
 */
public final class InstanceLock implements AutoCloseable {
    public static final String FILE_NAME = "instance.lock";

    /**
     * The lock files this JVM holds, by file key. POSIX locks belong to the process: closing any
     * channel on a locked file drops the lock, so this process must never open a file it holds.
     */
    private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Object key;

    private InstanceLock(FileChannel channel, FileLock lock, Object key) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** Another instance holds the state folder. */
    public static final class AlreadyRunning extends Exception {
        private final long pid;

        AlreadyRunning(Path stateDir, long pid) {
            super("Connect Tray is already running with the state folder " + stateDir
                    + (pid > 0 ? " (pid " + pid + ")" : "") + "; stop it first, or give this one its own state folder");
            this.pid = pid;
        }

        /** The running instance's pid, or -1 when it has not written it yet. */
        public long pid() {
            return pid;
        }
    }

    /**
     * Takes the state folder for this process, creating it owner-only if needed; the lock file is
     * created 0600 and never opened through a symbolic link.
     *
     * @throws IOException the folder or the lock file cannot be used (a full disk, no permission, a
     *                     symbolic link in place of the lock file); the message names the file
     */
    public static InstanceLock acquire(Path stateDir) throws AlreadyRunning, IOException {
        AtomicFiles.createPrivateDirectories(stateDir);
        Path file = stateDir.resolve(FILE_NAME);
        AtomicFiles.refuseSymbolicLink(file);
        if (heldHere(file)) throw new AlreadyRunning(stateDir, ProcessHandle.current().pid());
        FileChannel ch;
        try {
            ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), AtomicFiles.ownerOnlyFile(file));
        } catch (IOException e) {
            if (AtomicFiles.isLinkRefusal(e)) throw AtomicFiles.symbolicLink(file);
            throw e;
        }
        FileLock lock;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileSystemException(file.toString(), null, "is not a regular file");
            }
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                ch.close();
                throw new AlreadyRunning(stateDir, readPid(file).orElse(-1));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
        } catch (IOException e) {
            ch.close(); // releases the lock too
            throw e;
        }
        Object key = fileKey(file);
        if (key != null) HELD.add(key);
        return new InstanceLock(ch, lock, key);
    }

    /**
     * The pid of the instance running with {@code stateDir}, if one runs: the lock file names a
     * live process <em>and</em> the file is locked. A pid alone proves nothing (a stale file whose
     * pid was reused names some unrelated live process). On Linux the lock is looked up in
     * {@code /proc/locks}, which never touches the lock; elsewhere a shared lock is tried and
     * released at once. Asking from the process that holds the lock never opens the file (closing
     * any channel on it would drop the process's lock).
     */
    public static OptionalLong runningPid(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return OptionalLong.empty();
        if (heldHere(file)) return OptionalLong.of(ProcessHandle.current().pid());
        OptionalLong pid = readPid(file);
        if (pid.isEmpty()) return pid;
        boolean alive = ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) return OptionalLong.empty();
        return isLocked(file, pid.getAsLong()) ? pid : OptionalLong.empty();
    }

    private static boolean heldHere(Path file) {
        Object key = fileKey(file);
        return key != null && HELD.contains(key);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** True when some process holds the OS lock on {@code file}. */
    static boolean isLocked(Path file, long pid) {
        Optional<Boolean> fromProc = lockedPerProcLocks(Path.of("/proc/locks"), file, pid);
        if (fromProc.isPresent()) return fromProc.get();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) return true;
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code procLocks} (the format of Linux's {@code /proc/locks}) lists a lock by
     * {@code pid} on the inode of {@code file}; empty where it cannot say (not Linux).
     */
    static Optional<Boolean> lockedPerProcLocks(Path procLocks, Path file, long pid) {
        long inode;
        List<String> lines;
        try {
            Object ino = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            inode = ((Number) ino).longValue();
            lines = Files.readAllLines(procLocks, StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
        // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"; a waiting lock's line starts "1: ->".
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) continue;
            String[] dev = f[5].split(":");
            if (dev.length != 3) continue;
            try {
                if (Long.parseLong(dev[2]) == inode && Long.parseLong(f[4]) == pid) return Optional.of(true);
            } catch (NumberFormatException e) {
                // a line of another shape; not ours
            }
        }
        return Optional.of(false);
    }

    /** The pid the lock file names; it holds a dozen bytes, so a bigger one is not ours. */
    private static OptionalLong readPid(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.allocate(64);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() || s.length() > 20 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Gives the state folder up: the pid is cleared first, so nobody reads a stale one. */
    @Override
    public void close() {
        if (key != null) HELD.remove(key);
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock with the process anyway.
        }
    }
}
