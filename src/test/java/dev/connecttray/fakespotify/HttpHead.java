package dev.connecttray.fakespotify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of an HTTP/1.x request (request line and headers), read with hard size limits,
 * plus the few writing and body-reading helpers the fake servers need.
 */
record HttpHead(String method, String target, String version, Map<String, String> headers) {
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_BODY = 4 * 1024 * 1024;

    /** The value of a header, by case-insensitive name, or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads a request head; null on a clean end of stream before any byte. */
    static HttpHead read(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) throw new IOException("bad request line: " + requestLine);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            if (i > MAX_HEADERS) throw new IOException("too many headers");
            String line = readLine(in);
            if (line == null) throw new IOException("end of stream in headers");
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("bad header: " + line);
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new HttpHead(parts[0], parts[1], parts[2], Map.copyOf(headers));
    }

    /** Reads and discards (returns) the request body: Content-Length or chunked, bounded. */
    byte[] readBody(InputStream in) throws IOException {
        String te = header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) throw new IOException("end of stream in chunked body");
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size < 0 || body.size() + size > MAX_BODY) throw new IOException("body too large");
                if (size == 0) {
                    // trailers, up to the empty line
                    for (int i = 0; i <= MAX_HEADERS; i++) {
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) return body.toByteArray();
                    }
                    throw new IOException("too many trailers");
                }
                body.write(in.readNBytes(size));
                readLine(in); // CRLF after the chunk
            }
        }
        String cl = header("Content-Length");
        if (cl == null) return new byte[0];
        int length = Integer.parseInt(cl.trim());
        if (length < 0 || length > MAX_BODY) throw new IOException("bad Content-Length " + cl);
        byte[] body = in.readNBytes(length);
        if (body.length != length) throw new IOException("short body");
        return body;
    }

    /** Writes a complete response that closes the connection. */
    static void respond(OutputStream out, int status, String reason, String contentType, byte[] body) throws IOException {
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) throw new IOException("line too long");
            line.write(b);
        }
        if (line.size() == 0) return null;
        throw new IOException("end of stream in line");
    }
}
