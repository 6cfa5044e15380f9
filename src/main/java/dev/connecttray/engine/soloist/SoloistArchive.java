package dev.connecttray.engine.soloist;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads Spotify's {@code soloist_release_<arch>.tar.gz} and takes out the {@code soloist} file
 * only (the archive also holds CHANGELOG.md and THIRD_PARTY_LICENSES.txt, which are skipped).
 * Nothing else is written anywhere, whatever the entry names say; an archive with a name that
 * climbs out ({@code ..}) or is absolute, or whose {@code soloist} is a link, is refused as a whole.
 * The gzip checksum and every tar header checksum are verified; the unpacked size is bounded.
 */
final class SoloistArchive {
    static final String ENTRY = "soloist";
    private static final int BLOCK = 512;
    private static final int MAX_NAME = 4096;
    private static final int MAX_PAX = 64 * 1024;

    private SoloistArchive() {
    }

    /**
     * Writes the archive's {@code soloist} entry to {@code target} (created new, owner-only and
     * executable where the file system has POSIX permissions).
     *
     * @param maxEntry the largest {@code soloist} accepted
     * @param maxTotal the most bytes the whole archive may unpack to
     * @throws IOException the archive is not gzip, is truncated or damaged, tries a path trick, has
     *                     no {@code soloist} file, or is too large; the message says which. {@code target}
     *                     does not exist then.
     */
    static void extract(Path archive, Path target, long maxEntry, long maxTotal) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new IOException(target + " exists already");
        try {
            extractNew(archive, target, maxEntry, maxTotal);
        } catch (IOException | RuntimeException e) {
            // nothing half-written stays behind
            Files.deleteIfExists(target);
            throw e;
        }
    }

    private static void extractNew(Path archive, Path target, long maxEntry, long maxTotal) throws IOException {
        boolean found = false;
        List<String> seen = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(archive);
             Counted in = new Counted(gunzip(raw), maxTotal)) {
            String longName = null;
            String paxPath = null;
            long paxSize = -1;
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) throw new IOException("the archive ends before its end marker (truncated)");
                if (allZero(header)) break;
                verifyChecksum(header);
                char type = (char) header[156];
                long size = paxSize >= 0 ? paxSize : size(header);
                String name = paxPath != null ? paxPath : longName != null ? longName : name(header);
                paxPath = null;
                paxSize = -1;
                longName = null;
                switch (type) {
                    case 'L' -> {
                        longName = text(in, size, MAX_NAME, "long name");
                        continue;
                    }
                    case 'x' -> {
                        String pax = text(in, size, MAX_PAX, "PAX header");
                        paxPath = paxValue(pax, "path");
                        String s = paxValue(pax, "size");
                        if (s != null) paxSize = parseLong(s, "PAX size");
                        continue;
                    }
                    case 'g', 'K' -> {
                        skip(in, size);
                        continue;
                    }
                    default -> {
                        // an entry
                    }
                }
                String clean = checkName(name, "an entry with");
                if (type == '1' || type == '2') checkName(cstring(header, 157, 100), "a link to");
                if (seen.size() < 20) seen.add(clean);
                boolean regular = type == '0' || type == '\0' || type == '7';
                if (!isSoloist(clean)) {
                    skip(in, size);
                    continue;
                }
                if (!regular) throw new IOException("the archive's " + clean + " is not a plain file (tar type '" + type + "')");
                if (found) throw new IOException("the archive holds more than one " + ENTRY + " file");
                if (size > maxEntry) throw new IOException("the archive's " + clean + " is larger than " + mib(maxEntry));
                copy(in, size, target);
                found = true;
            }
            // Read to the end, so that the gzip trailer's checksum and length are verified.
            in.transferTo(OutputStream.nullOutputStream());
        } catch (ZipException e) {
            throw new IOException("the archive is damaged (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new IOException("the archive is truncated (" + e.getMessage() + ")", e);
        }
        if (!found) {
            throw new IOException("the archive has no " + ENTRY + " file (it holds: " + String.join(", ", seen) + ")");
        }
    }

    private static InputStream gunzip(InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 64 * 1024);
        } catch (ZipException | EOFException e) {
            throw new IOException("the download is not a gzip archive (" + e.getMessage() + ")", e);
        }
    }

    /** {@code soloist}, at the top or in one folder. */
    private static boolean isSoloist(String name) {
        if (name.equals(ENTRY)) return true;
        int slash = name.indexOf('/');
        return slash > 0 && name.indexOf('/', slash + 1) < 0 && name.substring(slash + 1).equals(ENTRY);
    }

    /** The name without a leading "./"; refused when absolute or climbing out. */
    private static String checkName(String name, String what) throws IOException {
        if (name.isEmpty()) return name;
        if (name.startsWith("/") || name.contains("\\")) {
            throw new IOException("the archive has " + what + " an absolute or odd path, " + SoloistBuild.quote(name)
                    + "; it is refused");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new IOException("the archive has " + what + " a path that climbs out of its folder, "
                        + SoloistBuild.quote(name) + "; it is refused");
            }
        }
        String clean = name;
        while (clean.startsWith("./")) clean = clean.substring(2);
        while (clean.endsWith("/")) clean = clean.substring(0, clean.length() - 1);
        return clean;
    }

    private static void copy(Counted in, long size, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException("the archive is truncated (inside " + ENTRY + ")");
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) ch.write(b);
                left -= n;
            }
            ch.force(true);
        }
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        }
        skipPadding(in, size);
    }

    private static String text(Counted in, long size, int max, String what) throws IOException {
        if (size > max) throw new IOException("the archive has a " + what + " larger than " + max + " bytes");
        byte[] b = in.readNBytes((int) size);
        if (b.length < size) throw new IOException("the archive is truncated (inside a " + what + ")");
        skipPadding(in, size);
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** A PAX record's value: records are "LEN key=value\n". */
    private static String paxValue(String pax, String key) {
        String value = null;
        for (String record : pax.split("\n")) {
            int space = record.indexOf(' ');
            int eq = record.indexOf('=');
            if (space < 0 || eq < space) continue;
            if (record.substring(space + 1, eq).equals(key)) value = record.substring(eq + 1);
        }
        return value;
    }

    private static void skip(Counted in, long size) throws IOException {
        long left = size + padding(size);
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) throw new IOException("the archive is truncated (inside an entry)");
                n = 1;
            }
            left -= n;
        }
    }

    private static void skipPadding(Counted in, long size) throws IOException {
        long pad = padding(size);
        if (pad > 0 && in.readNBytes((int) pad).length < pad) throw new IOException("the archive is truncated");
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) return false;
        if (n < BLOCK) throw new IOException("the archive is truncated (a partial tar header)");
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static void verifyChecksum(byte[] h) throws IOException {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int v = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += v & 0xff;
            signed += i >= 148 && i < 156 ? ' ' : h[i];
        }
        long stored = octal(h, 148, 8, "header checksum");
        if (stored != unsigned && stored != signed) throw new IOException("the archive is damaged (a tar header checksum is wrong)");
    }

    private static long size(byte[] h) throws IOException {
        if ((h[124] & 0x80) != 0) {
            // base-256, for sizes beyond 8 GiB: larger than anything accepted anyway
            long v = 0;
            for (int i = 125; i < 136; i++) {
                if (v > (Long.MAX_VALUE >> 8)) throw new IOException("the archive has an entry of impossible size");
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        return octal(h, 124, 12, "entry size");
    }

    private static long octal(byte[] h, int off, int len, String what) throws IOException {
        long v = 0;
        boolean digits = false;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c == 0 || (c == ' ' && digits)) break;
            if (c == ' ') continue;
            if (c < '0' || c > '7') throw new IOException("the archive is damaged (a tar " + what + " is not a number)");
            v = v * 8 + (c - '0');
            digits = true;
        }
        return v;
    }

    private static long parseLong(String s, String what) throws IOException {
        try {
            long v = Long.parseLong(s.strip());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("the archive is damaged (a " + what + " is not a number)");
        }
    }

    private static String name(byte[] h) {
        String name = cstring(h, 0, 100);
        boolean posix = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        if (posix) {
            String prefix = cstring(h, 345, 155);
            if (!prefix.isEmpty()) return prefix + "/" + name;
        }
        return name;
    }

    private static String cstring(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String mib(long bytes) {
        return BuildDownload.bytes(bytes);
    }

    /** Counts what is read and refuses more than the limit: a small download cannot unpack to gigabytes. */
    private static final class Counted extends FilterInputStream {
        private final long limit;
        private long count;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) add(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read rather than skip, so that every byte is counted and checked
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            int r = read(buf, 0, (int) Math.min(buf.length, n));
            return Math.max(r, 0);
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > limit) throw new IOException("the archive unpacks to more than " + mib(limit));
        }
    }
}
