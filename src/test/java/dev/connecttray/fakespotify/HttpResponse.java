package dev.connecttray.fakespotify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete HTTP/1.1 response of the fake TLS servers, with {@code Connection: close} or {@code keep-alive}.
 *
 * @param status      the status code
 * @param reason      the reason phrase
 * @param contentType the Content-Type
 * @param body        the body
 * @param headers     further headers (e.g. Content-Range), in order
 */
record HttpResponse(int status, String reason, String contentType, byte[] body, Map<String, String> headers) {
    static final String PROTOBUF = "application/x-protobuf";

    HttpResponse {
        headers = Map.copyOf(headers);
    }

    static HttpResponse of(int status, String reason, String contentType, byte[] body) {
        return new HttpResponse(status, reason, contentType, body, Map.of());
    }

    static HttpResponse protobuf(com.google.protobuf.MessageLite message) {
        return of(200, "OK", PROTOBUF, message.toByteArray());
    }

    static HttpResponse text(int status, String reason, String text) {
        return of(status, reason, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** What Spotify's edge answers when a backend is down. */
    static HttpResponse html503() {
        return of(503, "Service Unavailable", "text/html; charset=utf-8",
                ("<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n"
                        + "<body><h1>Service Unavailable</h1><p>upstream connect error</p></body></html>\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, reason, contentType, body, more);
    }

    void write(OutputStream out) throws IOException {
        write(out, false);
    }

    /** @param keepAlive whether the connection stays open for the next request (as Spotify's servers keep theirs) */
    void write(OutputStream out, boolean keepAlive) throws IOException {
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
