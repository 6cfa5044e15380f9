package dev.connecttray.receiver;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's Spotify Connect id: 40 hex digits, made once and kept in the state folder so that
 * phones see the same device across restarts instead of a new one each time.
 */
public final class DeviceIdFile {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceIdFile.class);
    private static final Pattern DEVICE_ID = Pattern.compile("[0-9a-f]{40}");
    /** An id and a line end, with room for blanks; anything longer is not one. */
    private static final int MAX_BYTES = 256;
    /** Where a file that holds no id is kept, for a person to look at. */
    public static final String BAD_SUFFIX = ".bad";

    private DeviceIdFile() {
    }

    /**
     * Reads the id from {@code file}, or makes one and writes it (atomically, owner-only) when the
     * file is missing or does not hold a valid id. A file that holds something else (random bytes,
     * half an id) is moved aside to {@code device-id.bad}, with a warning: phones will see a new
     * device. A symbolic link is never followed.
     *
     * @throws IOException the id cannot be read or written (a full disk, no permission, a symbolic
     *                     link in place of the file)
     */
    public static String loadOrCreate(Path file) throws IOException {
        AtomicFiles.refuseSymbolicLink(file);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String problem = null;
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                String id = read(file);
                if (id != null && DEVICE_ID.matcher(id).matches()) return id;
                problem = "it holds no device id";
            } else {
                problem = "it is not a regular file";
            }
            Path bad = file.resolveSibling(file.getFileName() + BAD_SUFFIX);
            Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("The device id file {} was unusable ({}); kept it as {} and made a new id: Spotify apps will "
                    + "show this as a new device", file, problem, bad);
        }
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        // The state folder also holds the credentials: owner-only from the start.
        AtomicFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        return id;
    }

    /** The file's text, trimmed and in lower case, or null when it is too long or not ASCII. */
    private static String read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_BYTES + 1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill
            }
        } catch (IOException e) {
            if (AtomicFiles.isLinkRefusal(e)) throw AtomicFiles.symbolicLink(file);
            throw e;
        }
        if (b.position() > MAX_BYTES) return null;
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) < 0) return null;
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
    }
}
