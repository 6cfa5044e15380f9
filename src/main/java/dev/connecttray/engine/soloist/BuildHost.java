package dev.connecttray.engine.soloist;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where Soloist builds are downloaded from, and the only hosts a download may touch: HTTPS, and a
 * host in {@code allowedHosts} (for the first request and every redirect). Connect Tray itself
 * uses {@link #SPOTIFY} only; tests give a loopback host.
 *
 * @param base         the folder URI the archive names resolve against
 * @param allowedHosts host names (lower case) a request may go to
 */
public record BuildHost(URI base, Set<String> allowedHosts) {
    public static final String SPOTIFY_HOST = dev.connecttray.config.SoloistTerms.BUILD_HOST;
    /** Spotify's build host. */
    public static final BuildHost SPOTIFY = new BuildHost(URI.create("https://" + SPOTIFY_HOST + "/"), Set.of(SPOTIFY_HOST));

    public BuildHost {
        Objects.requireNonNull(base, "base");
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        try {
            check(base, allowedHosts);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** {@code soloist_release_<arch>.tar.gz} on this host. */
    public URI archive(SoloistArch arch) {
        return base.resolve("soloist_release_" + arch.archiveName() + ".tar.gz");
    }

    /**
     * Refuses {@code uri} unless it is HTTPS to an allowed host, without user info.
     *
     * @throws IOException naming the scheme and host (never the query)
     */
    public void check(URI uri) throws IOException {
        check(uri, allowedHosts);
    }

    private static void check(URI uri, Set<String> allowed) throws IOException {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("refused to download from " + forLog(uri) + ": only HTTPS is allowed");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null || !allowed.contains(host)) {
            throw new IOException("refused to download from " + forLog(uri) + ": only " + String.join(", ", allowed)
                    + " is allowed");
        }
    }

    /** Scheme, host, port and path: never a query or user info, which could carry a token. */
    public static String forLog(URI uri) {
        StringBuilder b = new StringBuilder();
        b.append(uri.getScheme() == null ? "" : uri.getScheme() + "://").append(uri.getHost() == null ? "?" : uri.getHost());
        if (uri.getPort() >= 0) b.append(':').append(uri.getPort());
        if (uri.getRawPath() != null) b.append(uri.getRawPath());
        return b.toString();
    }
}
