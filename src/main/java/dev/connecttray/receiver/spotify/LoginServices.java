package dev.connecttray.receiver.spotify;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.util.Map;

/** One protobuf round trip to a Spotify login service (Login5, client token), its failures classified. */
final class LoginServices {
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/x-protobuf", "Accept", "application/x-protobuf");

    private LoginServices() {
    }

    /**
     * @throws SpotifyLoginException when the service cannot be reached, answers another status than
     *                               200, or answers something that is not the expected message
     */
    static <T> T post(HttpTransport http, String service, String url, byte[] request, Parser<T> answer)
            throws SpotifyLoginException {
        HttpTransport.Response response;
        try {
            response = http.post(url, HEADERS, request);
        } catch (IOException e) {
            throw new SpotifyLoginException(service, SpotifyLoginException.Reason.SERVICE_UNAVAILABLE,
                    "cannot reach " + url + ": " + e.getMessage(), e);
        }
        if (response.status() != 200) throw httpStatus(service, url, response.status());
        try {
            return answer.parseFrom(response.body());
        } catch (InvalidProtocolBufferException e) {
            throw new SpotifyLoginException(service, SpotifyLoginException.Reason.SERVICE_UNAVAILABLE,
                    "the answer is not the expected message (" + response.contentType() + ")", e);
        }
    }

    /** What an HTTP status other than 200 from a login service means. */
    static SpotifyLoginException httpStatus(String service, String url, int status) {
        if (status == 429 || status >= 500) {
            return new SpotifyLoginException(service, SpotifyLoginException.Reason.SERVICE_UNAVAILABLE,
                    url + " answered HTTP " + status);
        }
        if (status == 401 || status == 403) {
            return new SpotifyLoginException(service, SpotifyLoginException.Reason.REFUSED,
                    url + " answered HTTP " + status);
        }
        return new SpotifyLoginException(service, SpotifyLoginException.Reason.PROTOCOL,
                url + " answered HTTP " + status);
    }
}
