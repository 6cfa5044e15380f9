package dev.connecttray.receiver.spotify;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/** {@link HttpTransport} over the session's own OkHttp client (its proxy, trust store, pool and timeouts). */
public final class OkHttpTransport implements HttpTransport {
    private static final int MAX_BODY = 4 * 1024 * 1024;
    private final OkHttpClient client;

    /**
     * @param client the session's client; its connection pool, proxy and trust are shared, but not the
     *               interceptor librespot adds, which gzips every request body: Login5 and the
     *               client-token service take plain protobuf
     */
    public OkHttpTransport(OkHttpClient client) {
        OkHttpClient.Builder builder = Objects.requireNonNull(client, "client").newBuilder();
        builder.interceptors().clear();
        this.client = builder.build();
    }

    @Override
    public Response post(String url, Map<String, String> headers, byte[] body) throws IOException {
        String type = headers.getOrDefault("Content-Type", "application/octet-stream");
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get(type)));
        headers.forEach(request::header);
        try (okhttp3.Response response = client.newCall(request.build()).execute()) {
            ResponseBody responseBody = response.body();
            byte[] bytes = new byte[0];
            if (responseBody != null) {
                if (responseBody.contentLength() > MAX_BODY) {
                    throw new IOException(url + " answered with " + responseBody.contentLength() + " bytes, more than "
                            + MAX_BODY);
                }
                bytes = responseBody.bytes();
            }
            return new Response(response.code(), response.header("Content-Type"), bytes);
        }
    }
}
