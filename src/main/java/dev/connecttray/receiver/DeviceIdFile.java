package dev.connecttray.receiver;

import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The device's Spotify Connect id: 40 hex digits, made once and kept in the state folder so that
 * phones see the same device across restarts instead of a new one each time.
 */
public final class DeviceIdFile {
    private static final Pattern DEVICE_ID = Pattern.compile("[0-9a-f]{40}");

    private DeviceIdFile() {
    }

    /**
     * Reads the id from {@code file}, or makes one and writes it (atomically) when the file is missing
     * or does not hold a valid id.
     */
    public static String loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim().toLowerCase(java.util.Locale.ROOT);
            if (DEVICE_ID.matcher(id).matches()) return id;
        }
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        // The state folder also holds the credentials: owner-only from the start.
        AtomicFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".device-id", ".tmp");
        AtomicFiles.replace(tmp, file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        return id;
    }
}
