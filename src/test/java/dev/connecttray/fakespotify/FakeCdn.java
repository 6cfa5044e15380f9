package dev.connecttray.fakespotify;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spotify's audio CDN: {@code GET https://<cdn host>/audio/<fileIdHex>?...} serves the
 * {@link FakeCatalog} track's {@code encryptedFile}; with {@code Range: bytes=a-b} it answers 206
 * and {@code Content-Range: bytes a-b/total} (librespot reads the file size from there), without
 * one 200 and the whole file. With {@link #setFirstHostFails} the host of the first url
 * storage-resolve hands out ({@link FakeHosts#CDN_FIRST}) answers 530, as real CDN edges do.
 * Head files ({@link FakeHosts#HEADS}) are all 404.
 */
public final class FakeCdn {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /**
     * One CDN request.
     *
     * @param host   the Host header, without port
     * @param path   the path (no query)
     * @param range  the Range header, or null
     * @param status the status answered
     */
    public record Request(String host, String path, String range, int status, long nanoTime) {
    }

    private final FakeCatalog catalog;
    private final EventLog<Request> requests = new EventLog<>();
    private volatile boolean firstHostFails;

    FakeCdn(FakeCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog);
    }

    /** When true, {@link FakeHosts#CDN_FIRST} answers every request with 530. */
    public void setFirstHostFails(boolean fails) {
        this.firstHostFails = fails;
    }

    void reset() {
        firstHostFails = false;
    }

    public EventLog<Request> requests() {
        return requests;
    }

    HttpResponse handle(String host, HttpHead head) {
        String path = FakeLogin5.pathOf(head.target());
        String range = head.header("Range");
        HttpResponse response = answer(host, head, path, range);
        requests.add(new Request(host, path, range, response.status(), System.nanoTime()));
        return response;
    }

    private HttpResponse answer(String host, HttpHead head, String path, String range) {
        if (firstHostFails && FakeHosts.CDN_FIRST.equals(host))
            return HttpResponse.of(530, "Origin Unreachable", "text/html; charset=utf-8",
                    "<html><body><h1>error code: 530</h1></body></html>\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!head.method().equals("GET"))
            return HttpResponse.text(405, "Method Not Allowed", "GET only\n");
        if (FakeHosts.HEADS.equals(host) || !path.startsWith("/audio/"))
            return HttpResponse.text(404, "Not Found", "no such file\n");
        Optional<FakeCatalog.Track> track;
        try {
            track = catalog.byFileIdHex(path.substring("/audio/".length()));
        } catch (RuntimeException ex) {
            track = Optional.empty();
        }
        if (track.isEmpty()) return HttpResponse.text(404, "Not Found", "no such file\n");
        byte[] file = track.get().encryptedFile();
        if (range == null) return HttpResponse.of(200, "OK", "application/octet-stream", file);
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches()) return HttpResponse.text(416, "Range Not Satisfiable", "bad range\n")
                .withHeader("Content-Range", "bytes */" + file.length);
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? file.length - 1L : Math.min(Long.parseLong(m.group(2)), file.length - 1L);
        if (first >= file.length || last < first)
            return HttpResponse.text(416, "Range Not Satisfiable", "bad range\n")
                    .withHeader("Content-Range", "bytes */" + file.length);
        return HttpResponse.of(206, "Partial Content", "application/octet-stream",
                        Arrays.copyOfRange(file, (int) first, (int) last + 1))
                .withHeader("Content-Range", "bytes " + first + "-" + last + "/" + file.length);
    }
}
