package dev.connecttray.fakeengines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake soloist on its own, as a real process: what it shares with the real one (engines.md section 1). */
class FakeSoloistIT {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {
    }

    private Run run(FakeSoloistScript fake, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(fake.executable().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void versionSaysTheBuildDateAndExitsTenOnceExpired() throws Exception {
        FakeSoloistScript fake = FakeSoloistScript.create(tmp.resolve("bin")).set("buildDate", "20261001");
        Run fresh = run(fake.set("buildDate", LocalDate.now().minusDays(3).format(DateTimeFormatter.BASIC_ISO_DATE)),
                "--version");
        assertThat(fresh.status()).isZero();
        assertThat(fresh.out()).matches("soloist 1\\.3\\.8\\.9 build \\d+ \\(\\d{8}\\) \\(g[0-9a-f]+\\) \\(linux/x86_64\\)\\n");
        Run old = run(fake.set("buildDate", LocalDate.now().minusDays(90).format(DateTimeFormatter.BASIC_ISO_DATE)),
                "--version");
        assertThat(old.status()).isEqualTo(10);
    }

    @Test
    void missingNameOrKeyIsAComplaintOnStderrAndStatusOne() throws Exception {
        FakeSoloistScript fake = FakeSoloistScript.create(tmp.resolve("bin"));
        Run r = run(fake, "-n", "Den");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("'--api-key' is required");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void pairBlocksUntilTheDeviceIsPickedThenStoresTheSessionAndExitsZero() throws Exception {
        FakeSoloistScript fake = FakeSoloistScript.create(tmp.resolve("bin")).set("lifetime", "30");
        Path data = tmp.resolve("data");
        Process p = new ProcessBuilder(fake.executable().toString(), "-n", "Den", "-k", "key", "-D", data.toString(),
                "--pair", "--verbose").redirectOutput(tmp.resolve("pair.out").toFile())
                .redirectError(tmp.resolve("pair.err").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(data.resolve(FakeSoloist.CONTROL_PORT_FILE)) && System.nanoTime() < deadline) {
                assertThat(p.isAlive()).isTrue();
                Thread.sleep(20); // another process writes it
            }
            assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).as("blocks while not picked").isFalse();
            assertThat(data.resolve(FakeSoloist.SESSION_FILE)).doesNotExist();
            try {
                FakeSoloistScript.control(data, "/pair");
            } catch (java.io.IOException e) {
                throw new AssertionError("port file: " + Files.readString(data.resolve(FakeSoloist.CONTROL_PORT_FILE))
                        + " out: " + Files.readString(tmp.resolve("pair.out")) + " err: "
                        + Files.readString(tmp.resolve("pair.err")), e);
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(data.resolve(FakeSoloist.SESSION_FILE)).exists();
            assertThat(Files.readString(tmp.resolve("pair.err"))).contains("unrecognized option '--verbose'");
            assertThat(Files.readString(tmp.resolve("pair.out"))).contains("[I] paired; session stored");
        } finally {
            p.destroyForcibly();
        }
    }
}
