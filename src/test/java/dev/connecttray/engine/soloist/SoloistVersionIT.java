package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --version} run as a real process: its line, its exit status, bounded output and time. */
class SoloistVersionIT {
    @TempDir
    Path dir;

    @BeforeEach
    void runnable() {
        TinyElf.assumeRunnable();
    }

    @Test
    void readsTheLineAndTheStatus() throws Exception {
        Path b = TinyElf.write(dir.resolve("soloist"), TinyElf.printing(
                "[warn] libpulse missing\n" + TinyElf.versionLine("1.3.8.9", "20261201"), 0));
        SoloistVersion.Ran ran = SoloistVersion.run(b, Duration.ofSeconds(10));
        assertThat(ran.exitCode()).isZero();
        assertThat(ran.expiredExit()).isFalse();
        assertThat(ran.build()).hasValue(new SoloistBuild("1.3.8.9", LocalDate.of(2026, 12, 1)));

        Path expired = TinyElf.write(dir.resolve("expired"), TinyElf.printing("", 10));
        assertThat(SoloistVersion.run(expired, Duration.ofSeconds(10)).expiredExit()).isTrue();
    }

    @Test
    void keepsOnlyTheFirstKilobytesOfEndlessOutput() throws Exception {
        Path b = TinyElf.write(dir.resolve("chatty"), TinyElf.printing("y".repeat(300_000), 0));
        SoloistVersion.Ran ran = SoloistVersion.run(b, Duration.ofSeconds(10));
        assertThat(ran.exitCode()).isZero();
        assertThat(ran.output()).hasSize(SoloistVersion.OUTPUT_LIMIT);
        assertThat(ran.unreadable()).contains("not a Soloist --version line", "…");
    }

    @Test
    void aBuildThatHangsIsKilledAfterTheTimeout() throws Exception {
        Path b = TinyElf.write(dir.resolve("hangs"), TinyElf.hanging());
        long started = System.nanoTime();
        assertThatThrownBy(() -> SoloistVersion.run(b, Duration.ofMillis(300)))
                .hasMessage(b + " --version did not finish within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFileThatCannotStartSaysWhy() throws Exception {
        Path b = TinyElf.write(dir.resolve("script"), "#!/nonexistent/interpreter\n".getBytes());
        assertThatThrownBy(() -> SoloistVersion.run(b, Duration.ofSeconds(10)))
                .hasMessage("cannot run " + b + ": error=2, No such file or directory");
    }
}
