package dev.connecttray.engine.soloist;

import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Failure;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EngineUnusable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The user's Soloist API key, read from its owner-only file ({@code engine.apiKeyFile}, by default
 * {@code soloist-api-key} in the state folder). Every problem names the file and what to do; no
 * message ever contains the key.
 */
public final class ApiKeyFile {
    /** Where a key comes from: Spotify's developer dashboard, by an account with Premium. */
    public static final String DASHBOARD = dev.connecttray.config.SoloistTerms.DASHBOARD_URL;
    /** A key is one line of a few dozen characters; a file far longer is not a key file. */
    static final int MAX_BYTES = 4096;
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private ApiKeyFile() {
    }

    /**
     * The key in {@code file}: its first line, trimmed.
     *
     * @throws EngineUnusable (CONFIG) when the file is missing, empty, readable or writable by other
     *                        users, unreadable, or does not hold one key
     */
    public static String read(Path file) throws EngineUnusable {
        String create = "Create an API key on " + DASHBOARD + " (with a Spotify Premium account), put it alone in "
                + file + " and make the file owner-only (chmod 600 " + file + "), or point engine.apiKeyFile at the "
                + "file that holds it";
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw unusable("The Soloist API key file " + file + " is a folder. " + create, SoloistBinary.API_KEY_NEEDED);
            }
            Set<PosixFilePermission> perms = posixPermissions(file);
            if (perms != null) {
                Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
                for (PosixFilePermission p : perms) if (OTHERS.contains(p)) open.add(p);
                if (!open.isEmpty()) {
                    throw unusable("The Soloist API key file " + file + " can be read or changed by other users of "
                            + "this computer; make it owner-only with: chmod 600 " + file, "permissions " + open);
                }
            }
            if (Files.size(file) > MAX_BYTES) {
                throw unusable("The Soloist API key file " + file + " is longer than " + MAX_BYTES + " bytes; it "
                        + "should hold just the key. " + create, SoloistBinary.API_KEY_NEEDED);
            }
            bytes = Files.readAllBytes(file);
        } catch (EngineUnusable e) {
            throw e; // said already, in its own words
        } catch (NoSuchFileException e) {
            throw unusable("No Soloist API key: " + file + " does not exist. " + create, SoloistBinary.API_KEY_NEEDED);
        } catch (AccessDeniedException e) {
            throw unusable("The Soloist API key file " + file + " cannot be read (permission denied); it must be "
                    + "readable by the user Connect Tray runs as, and by no one else (chmod 600)", "AccessDeniedException");
        } catch (IOException e) {
            throw unusable("The Soloist API key file " + file + " cannot be read: " + e.getMessage(),
                    e.getClass().getSimpleName());
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String key = text.strip();
        int newline = key.indexOf('\n');
        if (newline >= 0) key = key.substring(0, newline).strip();
        if (key.isEmpty()) {
            throw unusable("The Soloist API key file " + file + " is empty. " + create, SoloistBinary.API_KEY_NEEDED);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c == 0x7f || c > 0x7e) {
                throw unusable("The Soloist API key file " + file + " does not hold an API key on its first line (it "
                        + "has spaces or other characters a key does not have). " + create, SoloistBinary.API_KEY_NEEDED);
            }
        }
        return key;
    }

    /**
     * Saves {@code key} (as the user typed it into the tray's dialog) as the whole of {@code file},
     * owner-only from the start (never readable by others, not even for a moment), replacing the file
     * at once. The bytes are cleared afterwards; the caller clears {@code key}.
     *
     * @throws IOException the key is not one (empty, spaces, other characters: the message says so,
     *                     without the key) or the file cannot be written
     */
    public static void write(Path file, char[] key) throws IOException {
        int start = 0;
        int end = key.length;
        while (start < end && Character.isWhitespace(key[start])) start++;
        while (end > start && Character.isWhitespace(key[end - 1])) end--;
        if (start == end) throw new IOException("The API key is empty");
        if (end - start > MAX_BYTES) throw new IOException("That is longer than any API key (" + MAX_BYTES + " characters)");
        byte[] bytes = new byte[end - start + 1];
        try {
            for (int i = start; i < end; i++) {
                char c = key[i];
                if (c <= ' ' || c >= 0x7f) {
                    throw new IOException("That is not an API key: a key has no spaces and only the letters and "
                            + "digits shown on " + DASHBOARD);
                }
                bytes[i - start] = (byte) c;
            }
            bytes[bytes.length - 1] = '\n';
            Path folder = file.toAbsolutePath().getParent();
            dev.connecttray.config.AtomicFiles.createPrivateDirectories(folder);
            dev.connecttray.config.AtomicFiles.write(file, bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The file's POSIX permissions, or null where the file system has none. */
    private static Set<PosixFilePermission> posixPermissions(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static EngineUnusable unusable(String message, String detail) {
        return new EngineUnusable(new Failure(FailureKind.CONFIG, message, detail), ExitStatus.CONFIG);
    }
}
