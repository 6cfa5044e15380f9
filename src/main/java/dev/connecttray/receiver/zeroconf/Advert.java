package dev.connecttray.receiver.zeroconf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the device announces on the LAN: a {@code _spotify-connect._tcp} service named
 * {@code name}, pointing at the Zeroconf HTTP endpoint on {@code port}, with the TXT record Spotify
 * apps read.
 */
public record Advert(String name, int port, Map<String, String> txt) {
    public static final String SERVICE_TYPE = "_spotify-connect._tcp";

    public Advert {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("the advert needs a name");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        txt = Map.copyOf(Objects.requireNonNull(txt, "txt"));
    }

    /** The TXT record Spotify apps expect: where the endpoint is, the protocol version, the stack. */
    public static Advert spotifyConnect(String name, int port) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("CPath", "/");
        txt.put("VERSION", "1.0");
        txt.put("Stack", "SP");
        return new Advert(name, port, txt);
    }
}
