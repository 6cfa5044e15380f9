package dev.connecttray.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.fakespotify.FakeSpotify;
import dev.connecttray.fakespotify.FakeSpotifyMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same login, in a process of its own, against the fake in its default (2026) behaviour, with
 * the app image's jars in two orders: ours first (as the launcher has them), and librespot's first
 * (the repair removed). Named after the break it pins: since 2025-08 the keymaster refuses tokens.
 */
class RepairsProcessIT {
    private static final Path AGENT = Paths.get("target", "fake-spotify-agent.jar");
    private static final Path APP = Launcher.LAUNCHER.getParent().getParent().resolve("lib").resolve("app");

    @TempDir
    Path dir;
    private FakeSpotify fake;

    @BeforeEach
    void startFake() throws IOException {
        fake = FakeSpotify.start();
    }

    @AfterEach
    void stopFake() {
        if (fake != null) fake.close();
    }

    private String probe(boolean libraryFirst) throws Exception {
        List<Path> jars;
        try (Stream<Path> s = Files.list(APP)) {
            jars = new ArrayList<>(s.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
        }
        assertThat(jars).anyMatch(p -> p.getFileName().toString().equals("connect-tray.jar"));
        Comparator<Path> order = Comparator.comparingInt(p -> {
            String name = p.getFileName().toString();
            if (name.equals("connect-tray.jar")) return libraryFirst ? 2 : 0;
            return name.startsWith("librespot-") && libraryFirst ? 0 : 1;
        });
        jars.sort(order);
        List<String> classPath = new ArrayList<>(jars.stream().map(Path::toString).toList());
        classPath.add(Paths.get("target", "test-classes").toAbsolutePath().toString());

        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FakeSpotifyMain.launcherOptions(fake, AGENT, dir.resolve("fake")));
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath),
                "dev.connecttray.fakespotify.LoginProbe"));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("probe-" + libraryFirst + ".err").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        // The probe's last line is its verdict (the library logs before it).
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void withTheLibrarysOwnTokenProviderTheLoginFailsWithTheKeymasters403() throws Exception {
        String out = probe(true);

        assertThat(out).startsWith("FAILED").contains("status: 403").contains("librespot-lib");
        assertThat(fake.accessPoint().mercuryRequests().snapshot()).anySatisfy(r -> {
            assertThat(r.uri()).startsWith("hm://keymaster/token/authenticated");
            assertThat(r.status()).isEqualTo(403);
        });
    }

    @Test
    void withOurTokenProviderTheSameLoginSucceedsThroughLogin5() throws Exception {
        String out = probe(false);

        assertThat(out).startsWith("LOGGED_IN fake-user").contains("connect-tray.jar");
        assertThat(fake.login5().requests().snapshot()).isNotEmpty();
        assertThat(fake.accessPoint().mercuryRequests().snapshot())
                .noneMatch(r -> r.uri().startsWith("hm://keymaster/"));
    }
}
