package dev.connecttray.fakespotify;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The real host names the fake serves over HTTPS. A client reaches them through
 * {@link FakeApResolve}'s {@code CONNECT host:443} tunnels; {@link FakeTls}'s certificate names
 * them all, and {@link FakeHttpsRouter} routes by the {@code Host} header.
 */
public final class FakeHosts {
    public static final String LOGIN5 = "login5.spotify.com";
    public static final String CLIENTTOKEN = "clienttoken.spotify.com";
    /** apresolve's fallback spclient (librespot uses it when apresolve gave none). */
    public static final String SPCLIENT = "spclient.wg.spotify.com";
    /** apresolve's fallback dealer. */
    public static final String DEALER = "dealer.spotify.com";
    /** The first CDN url storage-resolve hands out (fails with 530 in {@code cdn-first-fails} mode). */
    public static final String CDN_FIRST = "audio-fa.scdn.co";
    /** The second CDN url's host. */
    public static final String CDN_SECOND = "audio4-ak.spotifycdn.com";
    /** Where librespot fetches head files from; the fake has none (404). */
    public static final String HEADS = "heads-fa.spotify.com";

    public static final List<String> CDN = List.of(CDN_FIRST, CDN_SECOND, HEADS);
    /** Every name tunnelled to the fake TLS server (on port 443 only). */
    public static final List<String> TUNNELLED = List.of(LOGIN5, CLIENTTOKEN, SPCLIENT, DEALER, CDN_FIRST, CDN_SECOND, HEADS);
    private static final Set<String> TUNNELLED_SET = Set.copyOf(TUNNELLED);

    private FakeHosts() {
    }

    static boolean isTunnelled(String host) {
        return host != null && TUNNELLED_SET.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The host of a Host header, lower case, without a port (null stays null). */
    static String hostOnly(String hostHeader) {
        if (hostHeader == null) return null;
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(0, end + 1) : h;
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }
}
