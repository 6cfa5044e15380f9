package dev.connecttray.engine.golibrespot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.config.DeviceType;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.FailureKind;
import dev.connecttray.supervisor.EngineUnusable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoLibrespotEngineTest {
    @TempDir
    Path tmp;

    private GoLibrespotEngine engine(Path binary, String path) {
        var config = new GoLibrespotConfig("Den", DeviceType.COMPUTER, 0, null, "alsa", null, "info");
        return new GoLibrespotEngine(config, tmp.resolve("state/go-librespot"), binary, Duration.ofSeconds(5), 10,
                Clock.systemUTC(), path == null ? Map.of() : Map.of("PATH", path));
    }

    private Path file(String name, String mode) throws Exception {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "#!/bin/sh\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void withoutEngineBinaryItIsLookedUpOnPathSkippingWhatCannotRun() throws Exception {
        file("a/go-librespot", "rw-------");
        Path runnable = file("b/go-librespot", "rwx------");
        String path = tmp.resolve("empty") + File.pathSeparator + tmp.resolve("a") + File.pathSeparator
                + tmp.resolve("b");

        assertThat(engine(null, path).executable()).isEqualTo(runnable);
    }

    @Test
    void notOnPathIsAConfigurationFailureSayingWhatToDo() {
        assertThatThrownBy(() -> engine(null, tmp.toString()).executable())
                .isInstanceOfSatisfying(EngineUnusable.class, e -> {
                    assertThat(e.status()).isEqualTo(ExitStatus.CONFIG);
                    assertThat(e.failure().kind()).isEqualTo(FailureKind.CONFIG);
                    assertThat(e.failure().message()).isEqualTo("go-librespot was not found on PATH; install it, or "
                            + "set engine.binary to its path, then Reconnect (or restart Connect Tray)");
                });
        assertThatThrownBy(() -> engine(null, null).executable()).isInstanceOf(EngineUnusable.class);
    }

    @Test
    void aGivenBinaryMustBeAnExecutableFile() throws Exception {
        Path notExecutable = file("go-librespot", "rw-------");

        assertThatThrownBy(() -> engine(notExecutable, null).executable())
                .isInstanceOfSatisfying(EngineUnusable.class, e -> assertThat(e.failure().message())
                        .isEqualTo(notExecutable + " (engine.binary) is not executable; make it executable "
                                + "(chmod +x), then Reconnect (or restart Connect Tray)"));
        assertThatThrownBy(() -> engine(tmp, null).executable()).as("a folder")
                .isInstanceOfSatisfying(EngineUnusable.class, e -> assertThat(e.failure().message())
                        .startsWith("go-librespot was not found at " + tmp + " (engine.binary)"));
    }

    @Test
    void itsFolderIsOwnerOnlyAndItsConfigReplacedAtEveryStart() throws Exception {
        GoLibrespotEngine engine = engine(null, null);
        Files.createDirectories(engine.folder());
        Files.setPosixFilePermissions(engine.folder(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(engine.folder().resolve("config.yml"), "device_name: edited by hand\n");

        engine.prepareFolder();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(engine.folder()))).isEqualTo("rwx------");
        assertThat(Files.readString(engine.folder().resolve("config.yml"))).contains("device_name: \"Den\"")
                .doesNotContain("edited by hand");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(engine.folder().resolve("config.yml"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(engine.folder())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.yml");
        }
    }

    @Test
    void aProcessIsOursOnlyWhenItRunsOnOurFolder() {
        Path folder = Path.of("/s/connect-tray/go-librespot");
        assertThat(GoLibrespotEngine.runsOn(new String[]{"--config_dir", "/s/connect-tray/go-librespot"}, folder))
                .isTrue();
        assertThat(GoLibrespotEngine.runsOn(new String[]{"--config_dir=/s/connect-tray/go-librespot"}, folder)).isTrue();
        assertThat(GoLibrespotEngine.runsOn(new String[]{"--config_dir", "/home/u/.config/go-librespot"}, folder))
                .isFalse();
        assertThat(GoLibrespotEngine.runsOn(new String[]{"/s/connect-tray/go-librespot"}, folder)).isFalse();
        assertThat(GoLibrespotEngine.runsOn(new String[]{"--config_dir"}, folder)).isFalse();
    }

    @Test
    void itDescribesItselfWithItsVersionOnceKnown() {
        assertThat(engine(null, null).describe()).isEqualTo("go-librespot");
    }
}
