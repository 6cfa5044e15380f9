package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdFileTest {
    @TempDir
    Path dir;

    @Test
    void theIdIsFortyHexDigitsMadeOnceAndKept() throws Exception {
        Path file = dir.resolve("state/device-id");
        String first = DeviceIdFile.loadOrCreate(file);
        String second = DeviceIdFile.loadOrCreate(file);

        assertThat(first).matches("[0-9a-f]{40}");
        assertThat(second).isEqualTo(first);
        assertThat(Files.readString(file).trim()).isEqualTo(first);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aDamagedIdIsReplacedWithAValidOne() throws Exception {
        Path file = dir.resolve("device-id");
        Files.writeString(file, "not-an-id");
        assertThat(DeviceIdFile.loadOrCreate(file)).matches("[0-9a-f]{40}");
    }
}
