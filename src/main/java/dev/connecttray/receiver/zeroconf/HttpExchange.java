package dev.connecttray.receiver.zeroconf;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The small part of HTTP/1.1 the Zeroconf endpoint speaks: a request head parsed from bytes, a
 * form or query string, and a complete answer that always closes the connection.
 */
final class HttpExchange {
    private HttpExchange() {
    }

    /** A request the endpoint refuses at the HTTP level, with the status it answers. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final int httpStatus;

        Rejected(int httpStatus, String reason) {
            super(reason, null, false, false);
            this.httpStatus = httpStatus;
        }
    }

    /** A parsed request line and the headers that matter here. */
    record Head(String method, String target, int contentLength, boolean expectContinue, String contentType) {
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }
    }

    /** A complete request: head and body. */
    record Request(Head head, byte[] body) {
    }

    /**
     * Where the head ends (the index just past the blank line), or -1 when it has not ended yet.
     * Searches from {@code from} (callers pass where the previous search stopped, minus three).
     */
    static int headEnd(byte[] buf, int from, int len) {
        for (int i = Math.max(0, from); i + 3 < len; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return i + 4;
        }
        return -1;
    }

    /** Parses the head (request line and header fields, without the blank line's last CRLF). */
    static Head parseHead(byte[] buf, int headEnd, int maxBody) throws Rejected {
        String text = new String(buf, 0, headEnd - 4, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()) {
            throw new Rejected(400, "malformed request line");
        }
        String method = requestLine[0];
        String target = requestLine[1];
        String version = requestLine[2];
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new Rejected(400, "unsupported protocol version");
        }
        if (!method.equals("GET") && !method.equals("POST")) throw new Rejected(405, "method " + safe(method));
        if (!target.startsWith("/")) throw new Rejected(400, "target is not a path");

        int contentLength = -1;
        boolean expectContinue = false;
        String contentType = "";
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new Rejected(400, "malformed header field");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    int n = parseLength(value);
                    if (contentLength >= 0 && contentLength != n) throw new Rejected(400, "conflicting Content-Length");
                    contentLength = n;
                }
                case "transfer-encoding" -> throw new Rejected(501, "transfer coding " + safe(value));
                case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                case "content-type" -> contentType = value;
                default -> {
                }
            }
        }
        if (contentLength < 0) contentLength = 0;
        if (contentLength > maxBody) throw new Rejected(413, "body of " + contentLength + " bytes");
        return new Head(method, target, contentLength, expectContinue, contentType);
    }

    private static int parseLength(String value) throws Rejected {
        if (value.isEmpty() || value.length() > 10) throw new Rejected(400, "bad Content-Length");
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') throw new Rejected(400, "bad Content-Length");
        }
        long n = Long.parseLong(value);
        if (n > Integer.MAX_VALUE) throw new Rejected(413, "body of " + n + " bytes");
        return (int) n;
    }

    /** Form fields of a query string or an url-encoded body; later duplicates win. Undecodable fields are skipped. */
    static Map<String, String> form(String encoded, Map<String, String> into) {
        if (encoded.isEmpty()) return into;
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                into.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed %-escape: the field is as good as absent
            }
        }
        return into;
    }

    /** The request's fields: the query string's, then the url-encoded body's. */
    static Map<String, String> fields(Request request) {
        Map<String, String> fields = form(request.head().query(), new LinkedHashMap<>());
        String type = request.head().contentType().toLowerCase(Locale.ROOT);
        if (request.body().length > 0 && (type.isEmpty() || type.startsWith("application/x-www-form-urlencoded"))) {
            form(new String(request.body(), StandardCharsets.ISO_8859_1), fields);
        }
        return fields;
    }

    /** A complete answer with a JSON body; the connection closes after it. */
    static byte[] answer(int httpStatus, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + httpStatus + " " + reason(httpStatus) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** A short printable excerpt of client-supplied text, for a log line. */
    static String safe(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
