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

    @Test
    void randomBytesGiveANewIdAndTheBadFileIsKeptAside() throws Exception {
        Path file = dir.resolve("device-id");
        byte[] junk = new byte[300];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = (byte) 0xff; // not ASCII: Files.readString failed with "Input length = 1"
        Files.write(file, junk);

        String id = DeviceIdFile.loadOrCreate(file);

        assertThat(id).matches("[0-9a-f]{40}");
        assertThat(Files.readString(file).trim()).isEqualTo(id);
        assertThat(Files.readAllBytes(dir.resolve("device-id.bad"))).isEqualTo(junk);
        assertThat(DeviceIdFile.loadOrCreate(file)).isEqualTo(id);
    }

    @Test
    void symlinkedDeviceIdIsRefusedAndItsTargetKept() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path target = dir.resolve("precious.txt");
        Files.writeString(target, "keep me\n");
        Files.createSymbolicLink(state.resolve("device-id"), target);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceIdFile.loadOrCreate(state.resolve("device-id")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("device-id")
                .hasMessageContaining("symbolic link");
        assertThat(Files.readString(target)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(state.resolve("device-id"))).isTrue();
    }

    @Test
    void aNewIdIsOwnerOnly() throws Exception {
        Path file = dir.resolve("state/device-id");
        DeviceIdFile.loadOrCreate(file);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
