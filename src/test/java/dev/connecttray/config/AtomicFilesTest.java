package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWholeFileReplacesTheOldOneAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "old, and longer than the new content");
        AtomicFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("new");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theFileIsOwnerOnlyOrHasThePermissionsAsked() throws IOException {
        Path secret = dir.resolve("credentials.json");
        AtomicFiles.write(secret, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        Path entry = dir.resolve("connect-tray.desktop");
        AtomicFiles.write(entry, "[Desktop Entry]\n".getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry))).isEqualTo("rw-r--r--");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aSymbolicLinkInPlaceOfTheFileIsReplacedNotWrittenThrough() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "untouched");
        Path file = Files.createSymbolicLink(dir.resolve("device-id"), elsewhere);
        AtomicFiles.write(file, "id\n".getBytes(StandardCharsets.UTF_8));
        assertThat(elsewhere).hasContent("untouched");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(file).hasContent("id");
    }

    @Test
    void aFailedMoveRemovesTheTemporaryFile() throws IOException {
        // A non-empty folder where the file should be: the move over it fails.
        Path file = Files.createDirectory(dir.resolve("config.yml"));
        Files.writeString(file.resolve("inside"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(file, "a: 1\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(names()).containsExactly("config.yml");
        assertThat(Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
