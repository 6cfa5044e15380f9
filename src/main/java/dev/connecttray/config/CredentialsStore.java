package dev.connecttray.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The credentials file, in librespot's format ({@code username}, base64 {@code credentials},
 * {@code type}). Written atomically with owner-only permissions; read without ever changing or
 * deleting it, whatever it holds.
 */
public final class CredentialsStore {
    private static final Set<PosixFilePermission> OWNER_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;

    public CredentialsStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /**
     * The stored credentials, or empty when there is no file.
     *
     * @throws IOException the file exists but cannot be read or is not a credentials file (the
     *                     message names the file and what is wrong, never the secret)
     */
    public Optional<StoredCredentials> read() throws IOException {
        if (!Files.exists(file)) return Optional.empty();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new IOException(file + " is not a credentials file (not a JSON object)");
            JsonObject o = e.getAsJsonObject();
            String username = field(o, "username");
            String type = field(o, "type");
            byte[] data = Base64.getDecoder().decode(field(o, "credentials"));
            return Optional.of(new StoredCredentials(username, type, data));
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException(file + " is not a credentials file (expected JSON with username, credentials "
                    + "and type)");
        }
    }

    private String field(JsonObject o, String name) throws IOException {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || e.getAsString().isEmpty()) {
            throw new IOException(file + " has no \"" + name + "\"");
        }
        return e.getAsString();
    }

    /** True when others than the owner may read the file (worth a warning). */
    public boolean readableByOthers() throws IOException {
        if (!Files.exists(file)) return false;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Replaces the file atomically: readers see the old or the new credentials, never half of them. */
    public void write(StoredCredentials credentials) throws IOException {
        Path dir = file.getParent();
        AtomicFiles.createPrivateDirectories(dir);
        JsonObject o = new JsonObject();
        o.addProperty("username", credentials.username());
        o.addProperty("credentials", Base64.getEncoder().encodeToString(credentials.data()));
        o.addProperty("type", credentials.type());
        byte[] bytes = o.toString().getBytes(StandardCharsets.UTF_8);

        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } else {
            Files.createFile(tmp);
        }
        AtomicFiles.replace(tmp, file, bytes);
    }
}
