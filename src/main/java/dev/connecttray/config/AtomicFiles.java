package dev.connecttray.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files in the state folder: replaced so that a reader sees the old content or the new one,
 * never half of either, in folders only the owner can enter.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Creates {@code dir} and its parents if missing; where the file system has POSIX permissions
     * the folders it creates are owner-only (the state folder holds the stored credentials).
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            // created meanwhile by another process
        }
    }

    /**
     * Writes {@code bytes} to {@code tmp} (which must exist, in the target's folder, with the
     * permissions the target should have), forces them to disk, and moves {@code tmp} over
     * {@code target}. {@code tmp} is gone afterwards, whatever happened.
     */
    public static void replace(Path tmp, Path target, byte[] bytes) throws IOException {
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
