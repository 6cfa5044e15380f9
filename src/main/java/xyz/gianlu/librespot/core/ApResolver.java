package xyz.gianlu.librespot.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.connecttray.receiver.spotify.ReplacesLibraryClass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the access point, dealer and spclient are, from Spotify's apresolve service. Takes the place
 * of librespot-java 1.6.3's class, which reads any answer as JSON (an HTML error page failed the
 * whole login as a parse error) and has nothing to fall back on. This one checks the status and the
 * body and, when apresolve fails or answers something unusable, uses Spotify's well-known hosts.
 */
@ReplacesLibraryClass("apresolve: no status check, no fallback hosts")
public final class ApResolver {
    private static final String URL = "http://apresolve.spotify.com/?type=accesspoint&type=dealer&type=spclient";
    private static final int MAX_BODY = 64 * 1024;
    /**
     * The one seam for tests: where the fallback access point is ({@code host:port}). The access point
     * is a plain TCP connection, not proxied; a test points this at its fake. Users never set it.
     */
    public static final String FALLBACK_ACCESS_POINT_PROPERTY = "connecttray.spotify.fallbackAccessPoint";
    /** The hosts Spotify's own clients fall back to. */
    static final Map<String, List<String>> FALLBACK = Map.of(
            "accesspoint", List.of("ap.spotify.com:443"),
            "dealer", List.of("dealer.spotify.com:443"),
            "spclient", List.of("spclient.wg.spotify.com:443"));
    private static final Logger LOG = LoggerFactory.getLogger(ApResolver.class);

    /**
     * Why the last resolution fell back, or null when apresolve answered: a receiver process has one
     * session, and a failure to reach the fallback host reads better with this in its message.
     */
    private static volatile String fallbackReason;

    private final OkHttpClient client;
    private volatile Map<String, List<String>> pool;

    public ApResolver(OkHttpClient client) throws IOException {
        this.client = Objects.requireNonNull(client, "client");
        this.pool = resolve();
    }

    public void refreshPool() throws IOException {
        pool = resolve();
    }

    /** Why the last resolution used the fallback hosts; empty when apresolve answered properly. */
    public static java.util.Optional<String> fallbackReason() {
        return java.util.Optional.ofNullable(fallbackReason);
    }

    public String getRandomDealer() {
        return random("dealer");
    }

    public String getRandomSpclient() {
        return random("spclient");
    }

    public String getRandomAccesspoint() {
        return random("accesspoint");
    }

    private String random(String type) {
        List<String> hosts = pool.get(type);
        return hosts.get(ThreadLocalRandom.current().nextInt(hosts.size()));
    }

    private Map<String, List<String>> resolve() {
        String problem;
        try (Response response = client.newCall(new Request.Builder().url(URL).build()).execute()) {
            ResponseBody body = response.body();
            if (response.code() != 200) {
                problem = "answered HTTP " + response.code();
            } else if (body == null || body.contentLength() > MAX_BODY) {
                problem = "answered with no usable body";
            } else {
                Map<String, List<String>> parsed = parse(body.string());
                if (parsed != null) {
                    fallbackReason = null;
                    LOG.debug("apresolve: {}", parsed);
                    return parsed;
                }
                problem = "answered with something that is not the expected JSON";
            }
        } catch (IOException e) {
            problem = "could not be reached (" + e.getMessage() + ")";
        }
        Map<String, List<String>> fallback = fallback();
        LOG.warn("Spotify's access point resolver (apresolve) {}; using Spotify's fallback hosts {}", problem,
                fallback.get("accesspoint"));
        fallbackReason = problem;
        return fallback;
    }

    static Map<String, List<String>> fallback() {
        String ap = System.getProperty(FALLBACK_ACCESS_POINT_PROPERTY);
        if (ap == null || ap.isBlank()) return FALLBACK;
        return Map.of("accesspoint", List.of(ap.strip()), "dealer", FALLBACK.get("dealer"),
                "spclient", FALLBACK.get("spclient"));
    }

    /** The three host lists, or null when {@code text} is not apresolve's JSON with all three non-empty. */
    static Map<String, List<String>> parse(String text) {
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) return null;
            JsonObject obj = root.getAsJsonObject();
            Map<String, List<String>> result = new java.util.HashMap<>();
            for (String type : List.of("accesspoint", "dealer", "spclient")) {
                JsonElement list = obj.get(type);
                if (list == null || !list.isJsonArray()) return null;
                List<String> hosts = new ArrayList<>();
                for (JsonElement host : (JsonArray) list) {
                    if (host.isJsonPrimitive() && host.getAsString().matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                        hosts.add(host.getAsString());
                    }
                }
                if (hosts.isEmpty()) return null;
                result.put(type, List.copyOf(hosts));
            }
            return Map.copyOf(result);
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }
}
