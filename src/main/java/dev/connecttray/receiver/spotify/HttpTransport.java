package dev.connecttray.receiver.spotify;

import java.io.IOException;
import java.util.Map;

/** POSTs one request body and gives back the whole answer: the seam between the Spotify clients here and OkHttp. */
public interface HttpTransport {

    /** An HTTP answer: its status, content type (may be empty) and body (may be empty). */
    record Response(int status, String contentType, byte[] body) {
        public Response {
            contentType = contentType == null ? "" : contentType;
            body = body == null ? new byte[0] : body;
        }
    }

    /**
     * @throws IOException when no answer arrived (network, TLS, timeout)
     */
    Response post(String url, Map<String, String> headers, byte[] body) throws IOException;
}
