package dev.connecttray.receiver.zeroconf;

import com.google.gson.JsonObject;
import com.spotify.Authentication;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two actions of Spotify's Zeroconf API the endpoint answers, {@code getInfo} and
 * {@code addUser}, as JSON with the API's own status codes:
 *
 * <table>
 * <caption>status codes</caption>
 * <tr><th>status</th><th>statusString</th><th>HTTP</th><th>when</th></tr>
 * <tr><td>101</td><td>OK</td><td>200</td><td>getInfo; addUser whose credentials decoded</td></tr>
 * <tr><td>102</td><td>ERROR-BAD-REQUEST</td><td>400, 405, 408, 413, 431, 501</td><td>refused at the HTTP level</td></tr>
 * <tr><td>103</td><td>ERROR-UNKNOWN</td><td>500, 503</td><td>a bug, or no worker free</td></tr>
 * <tr><td>201</td><td>ERROR-MISSING-ACTION</td><td>400</td><td>no {@code action} field</td></tr>
 * <tr><td>202</td><td>ERROR-INVALID-ACTION</td><td>400</td><td>an action other than the two</td></tr>
 * <tr><td>203</td><td>ERROR-INVALID-ARGUMENTS</td><td>400</td><td>addUser with a missing field, bad
 * base64, a short blob, a wrong checksum or a device blob that does not decode</td></tr>
 * </table>
 */
final class ZeroconfProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroconfProtocol.class);

    static final int OK = 101;
    static final int ERROR_BAD_REQUEST = 102;
    static final int ERROR_UNKNOWN = 103;
    static final int ERROR_MISSING_ACTION = 201;
    static final int ERROR_INVALID_ACTION = 202;
    static final int ERROR_INVALID_ARGUMENTS = 203;

    private final ZeroconfEndpoint.Device device;
    private final HandOverDecoder decoder;
    private final String publicKey;
    private final BiConsumer<String, Authentication.LoginCredentials> handOvers;
    private volatile String activeUser = "";

    ZeroconfProtocol(ZeroconfEndpoint.Device device, HandOverDecoder decoder,
                     BiConsumer<String, Authentication.LoginCredentials> handOvers) {
        this.device = Objects.requireNonNull(device, "device");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.handOvers = Objects.requireNonNull(handOvers, "handOvers");
        this.publicKey = Base64.getEncoder().encodeToString(decoder.publicKey());
    }

    String activeUser() {
        return activeUser;
    }

    void activeUser(String user) {
        activeUser = user == null ? "" : user;
    }

    /** The complete HTTP answer to a complete request. */
    byte[] handle(HttpExchange.Request request, String peer) {
        Map<String, String> fields = HttpExchange.fields(request);
        String action = fields.get("action");
        if (action == null || action.isEmpty()) {
            LOG.info("Zeroconf request from {} without an action", peer);
            return error(400, ERROR_MISSING_ACTION, "ERROR-MISSING-ACTION");
        }
        return switch (action) {
            case "getInfo" -> HttpExchange.answer(200, info().toString());
            case "addUser" -> addUser(fields, peer);
            default -> {
                LOG.info("Zeroconf request from {} with the unknown action \"{}\"", peer, HttpExchange.safe(action));
                yield error(400, ERROR_INVALID_ACTION, "ERROR-INVALID-ACTION");
            }
        };
    }

    JsonObject info() {
        JsonObject o = new JsonObject();
        o.addProperty("status", OK);
        o.addProperty("statusString", "OK");
        o.addProperty("spotifyError", 0);
        o.addProperty("version", "2.10.0");
        o.addProperty("deviceID", device.deviceId());
        o.addProperty("remoteName", device.remoteName());
        o.addProperty("activeUser", activeUser);
        o.addProperty("publicKey", publicKey);
        o.addProperty("deviceType", device.deviceType());
        o.addProperty("libraryVersion", device.libraryVersion());
        o.addProperty("accountReq", "PREMIUM");
        o.addProperty("brandDisplayName", device.brandDisplayName());
        o.addProperty("modelDisplayName", device.modelDisplayName());
        o.addProperty("voiceSupport", "NO");
        o.addProperty("availability", "");
        o.addProperty("productID", 0);
        o.addProperty("tokenType", "default");
        o.addProperty("groupStatus", "NONE");
        o.addProperty("resolverVersion", "0");
        o.addProperty("scope", "streaming,client-authorization-universal");
        return o;
    }

    private byte[] addUser(Map<String, String> fields, String peer) {
        String userName = fields.get("userName");
        Authentication.LoginCredentials credentials;
        try {
            credentials = decoder.open(userName, fields.get("blob"), fields.get("clientKey"));
        } catch (HandOverDecoder.Refused e) {
            LOG.info("Zeroconf hand-over from {} refused: {}", peer, e.getMessage());
            return error(400, ERROR_INVALID_ARGUMENTS, "ERROR-INVALID-ARGUMENTS");
        }
        activeUser = userName;
        LOG.info("Zeroconf hand-over from {} ({}) for user {}", peer,
                HttpExchange.safe(fields.getOrDefault("deviceName", "unnamed app")), HttpExchange.safe(userName));
        handOvers.accept(userName, credentials);
        JsonObject o = new JsonObject();
        o.addProperty("status", OK);
        o.addProperty("spotifyError", 0);
        o.addProperty("statusString", "OK");
        return HttpExchange.answer(200, o.toString());
    }

    static byte[] error(int httpStatus, int status, String statusString) {
        JsonObject o = new JsonObject();
        o.addProperty("status", status);
        o.addProperty("spotifyError", 0);
        o.addProperty("statusString", statusString);
        return HttpExchange.answer(httpStatus, o.toString());
    }

    /** The answer to a request refused at the HTTP level. */
    static byte[] httpError(int httpStatus) {
        return httpStatus >= 500 && httpStatus != 501
                ? error(httpStatus, ERROR_UNKNOWN, "ERROR-UNKNOWN")
                : error(httpStatus, ERROR_BAD_REQUEST, "ERROR-BAD-REQUEST");
    }
}
