package dev.connecttray.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials file, in librespot's format ({@code username}, base64 {@code credentials},
 * {@code type}). Written atomically with owner-only permissions; read without ever changing its
 * content or deleting it, whatever it holds (only permissions that let others read it are
 * tightened). A symbolic link in its place is refused.
 */
public final class CredentialsStore {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsStore.class);
    private static final Set<PosixFilePermission> OWNER_FILE = AtomicFiles.OWNER_FILE;
    /** A librespot credentials file is well under a kilobyte. */
    private static final int MAX_BYTES = 64 * 1024;
    /** The files warned about in this process: once each, though they are read at every attempt. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private final Path file;

    public CredentialsStore(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /**
     * The stored credentials, or empty when there is no file. A file that others may read is
     * tightened to 0600 when we own it, with one warning; one we do not own is used with a warning.
     * A symbolic link is refused, never followed.
     *
     * @throws IOException the file exists but cannot be read or is not a credentials file (the
     *                     message names the file and what is wrong, never the secret)
     */
    public Optional<StoredCredentials> read() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        AtomicFiles.refuseSymbolicLink(file);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " is not a regular file");
        guardPermissions();
        String text = AtomicFiles.readSmall(file, MAX_BYTES).orElseThrow(() -> new IOException(file
                + " is not a credentials file (larger than " + MAX_BYTES / 1024 + " KiB)"));
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

    /**
     * The credentials are a reusable login: readable by others, they are tightened to 0600 when this
     * user owns them, else used as they are. Warned about once per file and process.
     */
    private void guardPermissions() {
        if (!readableByOthers()) return;
        String was;
        try {
            was = PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        boolean ours;
        try {
            ours = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            ours = false;
        }
        if (ours) {
            try {
                AtomicFiles.tighten(file);
                if (WARNED.add(file)) {
                    LOG.warn("The credentials file {} was readable by others ({}); made it readable by its owner only "
                            + "(rw-------)", file, was);
                }
                return;
            } catch (IOException | UnsupportedOperationException e) {
                if (WARNED.add(file)) {
                    LOG.warn("The credentials file {} is readable by others ({}) and cannot be made owner-only: {}; "
                            + "run chmod 600 on it", file, was, e.getMessage());
                }
                return;
            }
        }
        if (WARNED.add(file)) {
            LOG.warn("The credentials file {} is readable by others ({}) and belongs to another user; anyone who can "
                    + "read it can use this Spotify login: run chmod 600 on it", file, was);
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
    public boolean readableByOthers() {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
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
        AtomicFiles.write(file, o.toString().getBytes(StandardCharsets.UTF_8));
    }
}
