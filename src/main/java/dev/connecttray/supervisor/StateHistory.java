package dev.connecttray.supervisor;

import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.StateChange;
import dev.connecttray.ipc.Event;
import dev.connecttray.ipc.JsonLines;
import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every state change of the supervisor (time, state, cause), so the tray and {@code connect-tray
 * status} can show what happened and when, also across restarts. Bounded in memory; kept in the
 * state folder as JSON lines in the receiver's event format, in a current file and one rotated file.
 *
 * <p>Losing the history is never worth stopping the app for: write errors are logged and the
 * history carries on in memory.
 */
public final class StateHistory {
    private static final Logger LOG = LoggerFactory.getLogger(StateHistory.class);

    public static final String FILE_NAME = "history.jsonl";
    public static final String ROTATED_FILE_NAME = "history.1.jsonl";
    /** Some weeks of a flaky connection; about a megabyte of heap at worst. */
    public static final int DEFAULT_MAX_ENTRIES = 5000;
    public static final long DEFAULT_MAX_FILE_BYTES = 1 << 20;

    private final Path file;
    private final Path rotatedFile;
    private final int maxEntries;
    private final long maxFileBytes;
    private final Deque<StateChange> entries;
    /** Opened on the first write, so a read-only state folder costs a warning, not the app. */
    private FileChannel out;
    private long fileBytes;
    private boolean writeFailing;
    private boolean closed;

    private StateHistory(Path stateDir, int maxEntries, long maxFileBytes, Deque<StateChange> entries) {
        this.file = stateDir.resolve(FILE_NAME);
        this.rotatedFile = stateDir.resolve(ROTATED_FILE_NAME);
        this.maxEntries = maxEntries;
        this.maxFileBytes = maxFileBytes;
        this.entries = entries;
    }

    /**
     * Loads what the folder already holds (rotated file first, then current), keeping the newest
     * {@code maxEntries}. Malformed lines are skipped and counted in one warning per file; a file
     * that cannot be read at all is skipped with a warning.
     *
     * @throws NoSuchFileException      the folder does not exist
     * @throws IllegalArgumentException maxEntries or maxFileBytes is not positive
     */
    public static StateHistory open(Path stateDir, int maxEntries, long maxFileBytes) throws IOException {
        Objects.requireNonNull(stateDir, "stateDir");
        if (maxEntries <= 0) throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        if (maxFileBytes <= 0) throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
        if (!Files.isDirectory(stateDir)) {
            throw new NoSuchFileException(stateDir.toString(), null, "the state folder does not exist");
        }
        Deque<StateChange> loaded = new ArrayDeque<>();
        for (Path f : List.of(stateDir.resolve(ROTATED_FILE_NAME), stateDir.resolve(FILE_NAME))) {
            try {
                int skipped = load(f, maxEntries, loaded);
                if (skipped > 0) {
                    LOG.warn("Skipped {} unreadable line{} in the state history {}", skipped, skipped == 1 ? "" : "s", f);
                }
            } catch (IOException e) {
                LOG.warn("Cannot read the state history {} ({}); going on without it", f, e.toString());
            }
        }
        return new StateHistory(stateDir, maxEntries, maxFileBytes, loaded);
    }

    /**
     * Read-only, for {@code connect-tray status} from another process: the newest {@code limit}
     * entries of the folder's files, oldest first. Missing files (or folder) give an empty list;
     * malformed lines are skipped. Never writes. A rotation in the writing process while this reads
     * may hide the newest entries from this one call.
     *
     * @throws IOException              a history file exists but cannot be read
     * @throws IllegalArgumentException limit is negative
     */
    public static List<StateChange> read(Path stateDir, int limit) throws IOException {
        Objects.requireNonNull(stateDir, "stateDir");
        if (limit < 0) throw new IllegalArgumentException("limit must not be negative, got " + limit);
        if (limit == 0) return List.of();
        Deque<StateChange> loaded = new ArrayDeque<>();
        for (Path f : List.of(stateDir.resolve(ROTATED_FILE_NAME), stateDir.resolve(FILE_NAME))) {
            int skipped = load(f, limit, loaded);
            if (skipped > 0) LOG.debug("Skipped {} unreadable lines in {}", skipped, f);
        }
        return List.copyOf(loaded);
    }

    /**
     * Appends the lines of {@code f} that are state changes to {@code into}, dropping the oldest
     * beyond {@code limit}; returns how many lines were not. A missing file adds nothing. A line
     * longer than {@link #MAX_LINE_BYTES} is skipped without being held in memory, and a line that
     * cannot be decoded for any reason (a number such as {@code 1e99999999}, bad UTF-8) is skipped:
     * one damaged line never costs the rest of the history.
     *
     * @throws IOException the file is a symbolic link or not a regular file, or cannot be read
     */
    private static int load(Path f, int limit, Deque<StateChange> into) throws IOException {
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) return 0;
        AtomicFiles.refuseSymbolicLink(f);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(f.toString(), null, "is not a regular file");
        }
        int[] skipped = {0};
        try (InputStream in = Files.newInputStream(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            forEachLine(in, MAX_LINE_BYTES, line -> {
                if (line == null) {
                    skipped[0]++;
                    return;
                }
                if (line.isBlank()) return;
                try {
                    if (JsonLines.decodeEvent(line) instanceof Event.StateChanged s) {
                        into.addLast(new StateChange(s.time(), s.state()));
                        if (into.size() > limit) into.removeFirst();
                    } else {
                        skipped[0]++;
                    }
                } catch (JsonLines.MalformedMessageException | RuntimeException e) {
                    skipped[0]++;
                }
            });
        } catch (NoSuchFileException e) {
            return skipped[0]; // rotated away between the check and the open
        } catch (IOException e) {
            if (AtomicFiles.isLinkRefusal(e)) throw AtomicFiles.symbolicLink(f);
            throw e;
        }
        return skipped[0];
    }

    /** The longest line read; ours are a few hundred bytes. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /**
     * Calls {@code each} with every line of {@code in} (without its end, decoded as UTF-8 with bad
     * bytes replaced), or with null for a line longer than {@code maxBytes}, whose rest is read
     * past and never kept.
     */
    static void forEachLine(InputStream in, int maxBytes, java.util.function.Consumer<String> each) throws IOException {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean tooLong = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') continue;
                if (!tooLong) line.write(buf, start, i - start);
                each.accept(tooLong || line.size() > maxBytes ? null : decodeLine(line));
                line.reset();
                tooLong = false;
                start = i + 1;
            }
            if (!tooLong) {
                line.write(buf, start, n - start);
                if (line.size() > maxBytes) {
                    tooLong = true;
                    line.reset();
                }
            }
        }
        if (tooLong) {
            each.accept(null);
        } else if (line.size() > 0) {
            each.accept(decodeLine(line));
        }
    }

    private static String decodeLine(java.io.ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Appends to memory and to the file, one line, written through at once; when the file would
     * pass {@code maxFileBytes} it becomes the rotated file (replacing the older one) and a new
     * file starts. A write error is logged once at warn and never thrown; the history stays in
     * memory and the next record tries the file again. After {@link #close()}, memory only.
     */
    public synchronized void record(Instant time, ConnectionState state) {
        StateChange entry = new StateChange(time, state);
        entries.addLast(entry);
        if (entries.size() > maxEntries) entries.removeFirst();
        if (!closed) append(JsonLines.encode(new Event.StateChanged(time, state)));
    }

    /** Every entry held, oldest first; a copy. */
    public synchronized List<StateChange> entries() {
        return List.copyOf(entries);
    }

    /** Closes the file; further records stay in memory. Idempotent. */
    public synchronized void close() {
        closed = true;
        closeFile();
    }

    // --- the file ---

    private void append(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) openFile();
            if (fileBytes > 0 && fileBytes + bytes.length > maxFileBytes) rotate();
            write(bytes);
            if (writeFailing) LOG.info("Writing the state history to {} works again", file);
            writeFailing = false;
        } catch (IOException e) {
            // Warn once per outage: a full disk would otherwise add a warning to every state change.
            if (!writeFailing) {
                LOG.warn("Cannot write the state history to {} ({}); keeping it in memory only until this works",
                        file, e.toString());
            } else {
                LOG.debug("Still cannot write the state history to {}: {}", file, e.toString());
            }
            writeFailing = true;
            closeFile();
        }
    }

    private void openFile() throws IOException {
        createOwnerOnly(file);
        try {
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            if (AtomicFiles.isLinkRefusal(e)) throw AtomicFiles.symbolicLink(file);
            throw e;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            closeFile();
            throw new FileSystemException(file.toString(), null, "is not a regular file");
        }
        fileBytes = out.size();
        // A crash mid-line leaves no newline; without one our next line would be glued to the torn one.
        if (fileBytes > 0 && lastByte(file, fileBytes) != '\n') write(new byte[] {'\n'});
    }

    private void rotate() throws IOException {
        closeFile();
        AtomicFiles.move(file, rotatedFile);
        LOG.debug("Rotated the state history to {}", rotatedFile);
        openFile();
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) out.write(b);
        fileBytes += bytes.length;
    }

    private void closeFile() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing the state history {} failed", file, e);
        }
        out = null;
    }

    private static void createOwnerOnly(Path f) throws IOException {
        AtomicFiles.refuseSymbolicLink(f);
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.createFile(f, AtomicFiles.ownerOnlyFile(f));
        } catch (FileAlreadyExistsException ignored) {
            // created meanwhile, by another writer; nothing to do
        }
    }

    private static int lastByte(Path f, long size) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.position(size - 1);
            return ch.read(one) == 1 ? one.get(0) : -1;
        }
    }
}
