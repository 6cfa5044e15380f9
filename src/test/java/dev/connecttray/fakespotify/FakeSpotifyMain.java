package dev.connecttray.fakespotify;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FakeSpotify} as a process of its own, for benchmarks and process tests that run the
 * built launcher against it. Writes the JVM options the launcher needs (the proxy, the trust
 * store, the server-key agent) to a file, then serves until stdin closes or its lifetime ends.
 *
 * <p>Usage: {@code FakeSpotifyMain OUT_DIR AGENT_JAR [LIFETIME_SECONDS]}; writes
 * {@code OUT_DIR/jvm-options} last, so its presence means ready.
 */
public final class FakeSpotifyMain {
    private FakeSpotifyMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path agent = Path.of(args[1]).toAbsolutePath();
        Duration lifetime = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 300);
        Files.createDirectories(out);
        try (FakeSpotify fake = FakeSpotify.start(lifetime)) {
            List<String> options = launcherOptions(fake, agent, out);
            Path tmp = out.resolve("jvm-options.tmp");
            Files.writeString(tmp, String.join(" ", options) + "\n");
            Files.move(tmp, out.resolve("jvm-options"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("fake Spotify ready: apresolve proxy on 127.0.0.1:" + fake.apResolve().port());
            waitForStdinToClose(lifetime);
        }
    }

    /**
     * The JVM options that point a launcher at {@code fake}: its proxy and trust store, and the
     * agent that puts the fake's server key into the library. Writes the key's modulus into {@code dir}.
     */
    public static List<String> launcherOptions(FakeSpotify fake, Path agentJar, Path dir) throws IOException {
        BigInteger n = ((RSAPublicKey) TestServerKey.installedKey().getPublic()).getModulus();
        byte[] bytes = n.toByteArray();
        if (bytes[0] == 0) bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        Files.createDirectories(dir);
        Path modulus = dir.resolve("server-key.hex");
        Files.writeString(modulus, HexFormat.of().formatHex(bytes) + "\n");

        Map<String, String> props = new LinkedHashMap<>(SystemPropertiesOverride.proxyValues(fake.apResolve().port()));
        props.putAll(SystemPropertiesOverride.trustStoreValues(fake.tls()));
        List<String> options = new ArrayList<>();
        options.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + modulus.toAbsolutePath());
        props.forEach((k, v) -> options.add("-D" + k + "=" + v));
        return options;
    }

    private static void waitForStdinToClose(Duration lifetime) throws InterruptedException {
        Thread reader = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // drain
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "stdin-watch");
        reader.setDaemon(true);
        reader.start();
        reader.join(lifetime.toMillis());
    }
}
