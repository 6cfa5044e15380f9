package dev.connecttray.engine.soloist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds .tar.gz archives (ustar) the way Spotify's look, or broken in chosen ways. */
final class TarGz {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    TarGz file(String name, byte[] content) {
        return entry(name, '0', content, "", 0755);
    }

    TarGz file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TarGz symlink(String name, String target) {
        return entry(name, '2', new byte[0], target, 0777);
    }

    TarGz entry(String name, char type, byte[] content, String link, int mode) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", content.length));
        put(h, 136, 12, String.format("%011o", 1787077868L));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte x : h) sum += x & 0xff;
        put(h, 148, 8, String.format("%06o", sum) + "\0 ");
        tar.writeBytes(h);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    /** The archive: entries, the two zero blocks, gzipped. */
    byte[] gz() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar.toByteArray());
            gz.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A Spotify-like archive: the build, a changelog and the licences. */
    static byte[] release(byte[] soloist) {
        return new TarGz().file("CHANGELOG.md", "# 1.3.8.9\n- fixes\n").file("soloist", soloist)
                .file("THIRD_PARTY_LICENSES.txt", "licences\n").gz();
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }
}
