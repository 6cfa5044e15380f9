package dev.connecttray.supervisor;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One running instance per state folder: an OS file lock on {@code instance.lock}, which also
 * holds the owner's pid for the next one to name. The OS drops the lock when the process dies,
 * however it dies, so a crash never leaves a stale lock behind.
 */
public final class InstanceLock implements AutoCloseable {
    public static final String FILE_NAME = "instance.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
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

    /** Takes the state folder for this process, creating it owner-only if needed. */
    public static InstanceLock acquire(Path stateDir) throws AlreadyRunning, IOException {
        AtomicFiles.createPrivateDirectories(stateDir);
        Path file = stateDir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new AlreadyRunning(stateDir, readPid(file).orElse(-1));
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new InstanceLock(ch, lock);
    }

    /**
     * The pid of the instance running with {@code stateDir}, if one runs. Reads only: it never
     * takes the lock, so asking cannot make a starting instance think it is the second.
     */
    public static OptionalLong runningPid(Path stateDir) {
        OptionalLong pid = readPid(stateDir.resolve(FILE_NAME));
        if (pid.isEmpty()) return pid;
        boolean alive = ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? pid : OptionalLong.empty();
    }

    private static OptionalLong readPid(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Gives the state folder up: the pid is cleared first, so nobody reads a stale one. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock with the process anyway.
        }
    }
}
