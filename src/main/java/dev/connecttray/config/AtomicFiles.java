package dev.connecttray.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files in the state folder: replaced so that a reader sees the old content or the new one,
 * never half of either, in folders only the owner can enter. They hold the user's name, the
 * credentials and when the machine was in use: folders are 0700 and files 0600 where the file
 * system has POSIX permissions, and a symbolic link in place of one of them is never followed.
 */
public final class AtomicFiles {
    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    /** rwx------ */
    public static final Set<PosixFilePermission> OWNER_DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private AtomicFiles() {
    }

    /**
     * Creates {@code dir} and its parents if missing; where the file system has POSIX permissions
     * the folders it creates are owner-only (the state folder holds the stored credentials).
     */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            if (posix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectories(dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
            // created meanwhile by another process
        }
    }

    /** True where the file system of {@code p} has POSIX permissions. */
    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes to create a state file with: owner-only where POSIX permissions exist. */
    public static FileAttribute<?>[] ownerOnlyFile(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Refuses {@code file} when it is a symbolic link: a state file is opened in place, and a link
     * would let whoever placed it have us truncate or append to its target.
     *
     * @throws IOException naming the file and what to do
     */
    public static void refuseSymbolicLink(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) throw symbolicLink(file);
    }

    /** The error for a state file that is a symbolic link. */
    public static IOException symbolicLink(Path file) {
        return new FileSystemException(file.toString(), null,
                "is a symbolic link; Connect Tray does not follow links for its state files (remove the link)");
    }

    /**
     * True when {@code e} is what opening with {@link LinkOption#NOFOLLOW_LINKS} reports for a
     * symbolic link (ELOOP): a link placed between our check and the open.
     */
    public static boolean isLinkRefusal(IOException e) {
        return e instanceof FileSystemException f && f.getReason() != null
                && f.getReason().contains("symbolic links");
    }

    /**
     * Makes {@code p} owner-only (0700 for a folder, 0600 for a file) when it is more open than
     * that; a symbolic link is left alone. Returns the permissions it had when it changed them.
     *
     * @throws IOException the permissions cannot be changed (not our file, a read-only file system)
     */
    public static Optional<String> tighten(Path p) throws IOException {
        if (!posix(p)) return Optional.empty();
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes attrs;
        try {
            attrs = view.readAttributes();
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        if (attrs.isSymbolicLink() || attrs.isOther()) return Optional.empty();
        Set<PosixFilePermission> was = attrs.permissions();
        // Keep what the owner had (a folder must stay enterable); drop everything of group and others.
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission perm : was) {
            if (perm.name().startsWith("OWNER_")) owner.add(perm);
        }
        if (attrs.isDirectory()) owner.addAll(OWNER_DIR);
        if (owner.equals(was)) return Optional.empty();
        view.setPermissions(owner);
        return Optional.of(PosixFilePermissions.toString(was));
    }

    /**
     * Reads a small file as UTF-8 text, never through a symbolic link (one in its place is refused
     * with the message {@link #symbolicLink} gives), or empty when it is larger than {@code maxBytes}:
     * the caller says what such a file is not.
     */
    public static Optional<String> readSmall(Path file, int maxBytes) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) return Optional.empty();
            return Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (isLinkRefusal(e)) throw symbolicLink(file);
            throw e;
        }
    }

    /** {@link #write(Path, byte[], Set)} owner-only: the file holds something of the user's. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, OWNER_FILE);
    }

    /**
     * Makes {@code bytes} the whole content of {@code target}, so that a reader sees the old file or
     * the new one: they go to a temporary file in the same folder (which must exist), created with
     * {@code permissions} where the file system has POSIX permissions (the umask aside), are forced
     * to disk, and the temporary file is moved over {@code target}, atomically where the file system
     * can. The temporary file is gone afterwards, whatever happened. A symbolic link at
     * {@code target} is replaced, never written through.
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName();
        boolean posix = posix(folder);
        Path tmp = posix ? Files.createTempFile(folder, prefix, ".tmp", PosixFilePermissions.asFileAttribute(permissions))
                : Files.createTempFile(folder, prefix, ".tmp");
        try {
            // The umask may have taken some away; owner-only ones it leaves alone.
            if (posix && !Files.getPosixFilePermissions(tmp).equals(permissions)) {
                Files.setPosixFilePermissions(tmp, permissions);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        replace(tmp, target, bytes);
    }

    /** Moves {@code source} over {@code target}: atomically where the file system can, else plainly. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code bytes} to {@code tmp}, forces them to disk and moves it over {@code target}; {@code tmp} goes. */
    private static void replace(Path tmp, Path target, byte[] bytes) throws IOException {
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
