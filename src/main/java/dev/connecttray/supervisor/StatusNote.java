package dev.connecttray.supervisor;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the running instance leaves in its state folder for {@code connect-tray status}, beside the
 * history: which engine it runs, as the engine describes itself ("Spotify Soloist 1.3.8.9 · 42 days
 * left"), with the instance's pid, so that a note left by an earlier run is never taken for this
 * one's. One small owner-only JSON file, {@value #FILE_NAME}, rewritten when the description changes
 * and removed when the instance ends. Losing it costs only the line in {@code status}: write errors
 * are logged once and never stop the app.
 */
public final class StatusNote {
    private static final Logger LOG = LoggerFactory.getLogger(StatusNote.class);
    public static final String FILE_NAME = "status.json";
    /** A note is a few dozen bytes; anything much bigger is not ours. */
    private static final int MAX_BYTES = 4096;

    private final Path file;
    private final long pid;
    private String written;
    private boolean warned;

    /** The note of this process in {@code stateDir}. */
    public StatusNote(Path stateDir) {
        this(stateDir, ProcessHandle.current().pid());
    }

    StatusNote(Path stateDir, long pid) {
        this.file = Objects.requireNonNull(stateDir, "stateDir").resolve(FILE_NAME);
        this.pid = pid;
    }

    /** Notes {@code description} as the engine's, unless it is what the note already says. Any thread. */
    public synchronized void engine(String description) {
        Objects.requireNonNull(description, "description");
        if (description.equals(written)) return;
        JsonObject o = new JsonObject();
        o.addProperty("pid", pid);
        o.addProperty("engine", description);
        try {
            AtomicFiles.refuseSymbolicLink(file);
            AtomicFiles.write(file, (o + "\n").getBytes(StandardCharsets.UTF_8));
            written = description;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot note the engine for \"connect-tray status\" in {}: {}", file, e.toString());
            }
        }
    }

    /** The instance ends: the note goes with it. */
    public synchronized void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Cannot remove {}: {}", file, e.toString());
        }
        written = null;
    }

    /**
     * The engine noted in {@code stateDir} by the instance with {@code pid}; empty when there is no
     * note, it is another process's, or it cannot be read. Never writes.
     */
    public static Optional<String> engine(Path stateDir, long pid) {
        Path file = stateDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) return Optional.empty();
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) return Optional.empty();
            JsonObject o = e.getAsJsonObject();
            if (!o.has("pid") || !o.has("engine") || o.get("pid").getAsLong() != pid) return Optional.empty();
            String engine = o.get("engine").getAsString();
            return engine.isBlank() ? Optional.empty() : Optional.of(engine);
        } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException
                 | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
