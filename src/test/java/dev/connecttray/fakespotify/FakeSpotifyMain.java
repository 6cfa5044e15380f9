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
 * {@code OUT_DIR/jvm-options} last, so its presence means ready. It serves on 127.0.0.1, or on the
 * address in the system property {@code fakespotify.bindAddress} (the network-namespace bench).
 *
 * <p>Control, for the benchmarks: one command per line on stdin, each acknowledged on stdout with
 * {@code ok <command> <epoch millis>} (the moment it took effect), or {@code error <command> ...}:
 * <ul>
 *   <li>{@code drop}: close every open access-point connection (a dropped session);</li>
 *   <li>{@code refuse} / {@code accept}: the access point stops / starts listening;</li>
 *   <li>{@code silent}: new access-point connections are accepted and never answered (a wedged
 *       server); {@code login-ok}: back to welcoming every login;</li>
 *   <li>{@code apresolve-503} / {@code apresolve-json}: apresolve fails / answers;</li>
 *   <li>{@code legacy} / {@code spotify-2026}: behave as Spotify in 2023 (what librespot-java 1.6.3
 *       was written for) / in 2026 (the default), see {@link FakeSpotify.Behaviour};</li>
 *   <li>{@code login5-ok}, {@code login5-challenge}, {@code login5-invalid},
 *       {@code login5-try-again-later}, {@code login5-503}: Login5's {@link FakeLogin5.Mode};</li>
 *   <li>{@code clienttoken-challenge} / {@code clienttoken-ok}: clienttoken challenges first / grants at once;</li>
 *   <li>{@code cdn-first-fails} / {@code cdn-ok}: the first CDN url's host answers 530 / serves;</li>
 *   <li>{@code reset}: all of the above back to healthy, and to the behaviour it started with
 *       (2026, or 2023 when run with {@code -Dfakespotify.behaviour=legacy}).</li>
 * </ul>
 * Playback (see {@link #applyPlayback}):
 * <ul>
 *   <li>{@code keymaster-2026} / {@code keymaster-legacy}: the access point's
 *       {@link FakeAccessPoint.Behaviour} (keymaster refuses / hands out tokens);</li>
 *   <li>{@code audiokey-refused} / {@code audiokey-catalog}: audio keys refused with AesKeyError 1 /
 *       served from the catalog;</li>
 *   <li>{@code add-tone HZ [SECONDS]}: adds a {@link TestTrack} tone (OGG_VORBIS_320) to the
 *       catalog and reports {@code track <uri> <gid hex> <file id hex>};</li>
 *   <li>{@code play URI}: sends a phone's "play" command for that track to every dealer connection,
 *       reports {@code sent <dealer request key> <connections>}.</li>
 * </ul>
 * What the servers see is reported as it happens: {@code connection <id> <epoch millis>} for
 * each accepted TCP connection and {@code login <connection id> <outcome> <epoch millis>} for each
 * answered login; for playback, each answered request as {@code spclient <method> <path> <status>
 * <epoch millis>}, {@code cdn <range> <status> <epoch millis>}, {@code audiokey <connection id>
 * key|error-<code> <epoch millis>} and {@code mercury <method> <uri> <status> <epoch millis>}
 * (paths and uris without their query). The fake ends when stdin closes or its lifetime is over,
 * whichever is first.
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
            System.out.println("fake Spotify ready: apresolve proxy on " + ServerSupport.bindAddress() + ":" + fake.apResolve().port());
            System.out.flush();
            Thread reporter = new Thread(() -> reportEvents(fake), "fake-events");
            reporter.setDaemon(true);
            reporter.start();
            serveCommands(fake, lifetime);
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

        Map<String, String> props = new LinkedHashMap<>(fake.systemProperties());
        List<String> options = new ArrayList<>();
        options.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + modulus.toAbsolutePath());
        props.forEach((k, v) -> options.add("-D" + k + "=" + v));
        return options;
    }

    /** Epoch millis of a {@link System#nanoTime()} reading taken in this JVM. */
    private static long epochMillis(long nanoTime) {
        return System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static synchronized void report(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Prints what the servers see as it comes; polls the event logs every 5 ms. */
    private static void reportEvents(FakeSpotify fake) {
        int connections = 0;
        int logins = 0;
        int spclient = 0;
        int cdn = 0;
        int audioKeys = 0;
        int mercury = 0;
        try {
            while (true) {
                for (FakeAccessPoint.Connection c : fake.accessPoint().connections().since(connections)) {
                    report("connection " + c.id() + " " + epochMillis(c.nanoTime()));
                    connections++;
                }
                for (FakeAccessPoint.Login l : fake.accessPoint().logins().since(logins)) {
                    report("login " + l.connectionId() + " " + l.outcome() + " " + epochMillis(l.nanoTime()));
                    logins++;
                }
                for (FakeSpclient.Request r : fake.spclient().requests().since(spclient)) {
                    report("spclient " + r.method() + " " + withoutQuery(r.target()) + " " + r.status() + " "
                            + epochMillis(r.nanoTime()));
                    spclient++;
                }
                for (FakeCdn.Request r : fake.cdn().requests().since(cdn)) {
                    report("cdn " + r.range() + " " + r.status() + " " + epochMillis(r.nanoTime()));
                    cdn++;
                }
                for (FakeAccessPoint.AudioKeyRequest r : fake.accessPoint().audioKeyRequests().since(audioKeys)) {
                    report("audiokey " + r.connectionId() + " " + (r.answeredKey() ? "key" : "error-" + r.errorCode()) + " "
                            + epochMillis(r.nanoTime()));
                    audioKeys++;
                }
                for (FakeAccessPoint.MercuryRequest r : fake.accessPoint().mercuryRequests().since(mercury)) {
                    report("mercury " + r.method() + " " + withoutQuery(r.uri()) + " " + r.status() + " "
                            + epochMillis(r.nanoTime()));
                    mercury++;
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request target without its query, where tokens may be. */
    private static String withoutQuery(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** Runs commands from stdin until it closes or {@code lifetime} is over. */
    private static void serveCommands(FakeSpotify fake, Duration lifetime) throws InterruptedException {
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.trim();
                    if (command.isEmpty()) continue;
                    try {
                        apply(fake, command);
                        report("ok " + command + " " + System.currentTimeMillis());
                    } catch (IOException | IllegalArgumentException ex) {
                        report("error " + command + " " + ex.getMessage());
                    }
                }
            } catch (IOException ignored) {
                // stdin closed
            }
        }, "fake-commands");
        reader.setDaemon(true);
        reader.start();
        reader.join(lifetime.toMillis());
    }

    /** The playback commands; false when {@code command} is none of them. */
    private static boolean applyPlayback(FakeSpotify fake, String command) throws IOException {
        String[] words = command.split("\\s+");
        switch (words[0]) {
            case "keymaster-2026" -> fake.accessPoint().setBehaviour(FakeAccessPoint.Behaviour.SPOTIFY_2026);
            case "keymaster-legacy" -> fake.accessPoint().setBehaviour(FakeAccessPoint.Behaviour.LEGACY_2023);
            case "audiokey-refused" -> fake.accessPoint().setAudioKeys(FakeAccessPoint.AudioKeys.REFUSED);
            case "audiokey-catalog" -> fake.accessPoint().setAudioKeys(FakeAccessPoint.AudioKeys.FROM_CATALOG);
            case "add-tone" -> {
                if (words.length < 2) throw new IllegalArgumentException("usage: add-tone HZ [SECONDS]");
                int seconds = words.length > 2 ? Integer.parseInt(words[2]) : TestTrack.DEFAULT_SECONDS;
                FakeCatalog.Track track = TestTrack.tone(Double.parseDouble(words[1]), seconds,
                        com.spotify.metadata.Metadata.AudioFile.Format.OGG_VORBIS_320);
                fake.catalog().add(track);
                report("track " + track.uri() + " " + track.gidHex() + " " + track.fileIdHex());
            }
            case "play" -> {
                if (words.length != 2) throw new IllegalArgumentException("usage: play SPOTIFY_URI");
                PhoneCommands.Request play = PhoneCommands.playTrack(words[1]);
                report("sent " + play.key() + " " + fake.dealer().broadcast(play.text()));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void apply(FakeSpotify fake, String command) throws IOException {
        if (applyPlayback(fake, command)) return;
        switch (command) {
            case "drop" -> fake.accessPoint().dropAllConnections();
            case "refuse" -> fake.accessPoint().refuseConnections();
            case "accept" -> fake.accessPoint().acceptConnections();
            case "silent" -> fake.setAccessPointMode(new FakeAccessPoint.Mode.Silent());
            case "login-ok" -> fake.setAccessPointMode(new FakeAccessPoint.Mode.LoginOk(FakeSpotify.DEFAULT_USERNAME));
            case "apresolve-503" -> fake.setApResolveMode(FakeApResolve.Mode.HTML_503);
            case "apresolve-json" -> fake.setApResolveMode(FakeApResolve.Mode.JSON);
            case "legacy" -> fake.setBehaviour(FakeSpotify.Behaviour.LEGACY_2023);
            case "spotify-2026" -> fake.setBehaviour(FakeSpotify.Behaviour.SPOTIFY_2026);
            case "login5-ok" -> fake.setLogin5Mode(FakeLogin5.Mode.OK);
            case "login5-challenge" -> fake.setLogin5Mode(FakeLogin5.Mode.CHALLENGE);
            case "login5-invalid" -> fake.setLogin5Mode(FakeLogin5.Mode.INVALID_CREDENTIALS);
            case "login5-try-again-later" -> fake.setLogin5Mode(FakeLogin5.Mode.TRY_AGAIN_LATER);
            case "login5-503" -> fake.setLogin5Mode(FakeLogin5.Mode.HTTP_503);
            case "clienttoken-challenge" -> fake.setClientTokenChallenge(true);
            case "clienttoken-ok" -> fake.setClientTokenChallenge(false);
            case "cdn-first-fails" -> fake.setCdnFirstUrlFails(true);
            case "cdn-ok" -> fake.setCdnFirstUrlFails(false);
            case "reset" -> fake.reset();
            default -> throw new IllegalArgumentException(
                    "unknown command; use drop, refuse, accept, silent, login-ok, apresolve-503, apresolve-json, legacy, "
                            + "spotify-2026, login5-ok, login5-challenge, login5-invalid, login5-try-again-later, login5-503, "
                            + "clienttoken-challenge, clienttoken-ok, cdn-first-fails, cdn-ok or reset");
        }
    }
}
