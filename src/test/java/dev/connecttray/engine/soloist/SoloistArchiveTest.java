package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoloistArchiveTest {
    private static final long MIB = 1 << 20;
    @TempDir
    Path dir;

    private Path archive(byte[] gz) throws Exception {
        return Files.write(dir.resolve("a.tar.gz"), gz);
    }

    private Path extract(byte[] gz) throws Exception {
        Path target = dir.resolve("out").resolve("soloist");
        Files.createDirectories(target.getParent());
        SoloistArchive.extract(archive(gz), target, MIB, 4 * MIB);
        return target;
    }

    @Test
    void takesOutTheBuildOnlyOwnerOnlyAndExecutable() throws Exception {
        Path target = extract(TarGz.release("the build".getBytes(StandardCharsets.UTF_8)));

        assertThat(target).hasContent("the build");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void acceptsADotSlashOrOneFolderAroundIt() throws Exception {
        assertThat(extract(new TarGz().file("./soloist", "a").gz())).hasContent("a");
        Files.delete(dir.resolve("out/soloist"));
        assertThat(extract(new TarGz().file("soloist_release/", "").file("soloist_release/soloist", "b").gz()))
                .hasContent("b");
    }

    @Test
    void refusesPathTricksEvenBesideAGoodEntry() {
        assertThatThrownBy(() -> extract(new TarGz().file("soloist", "ok").file("../../.bashrc", "evil").gz()))
                .hasMessageContaining("climbs out of its folder, \"../../.bashrc\"");
        assertThatThrownBy(() -> extract(new TarGz().file("/etc/soloist", "evil").gz()))
                .hasMessageContaining("an absolute or odd path, \"/etc/soloist\"");
        assertThatThrownBy(() -> extract(new TarGz().symlink("lib", "../../usr/lib").gz()))
                .hasMessageContaining("a link to a path that climbs out");
        assertThatThrownBy(() -> extract(new TarGz().symlink("soloist", "soloist-1").gz()))
                .hasMessageContaining("the archive's soloist is not a plain file (tar type '2')");
        assertThatThrownBy(() -> extract(new TarGz().file("soloist", "a").file("./soloist", "b").gz()))
                .hasMessage("the archive holds more than one soloist file");
        // what was written before the refusal is gone
        assertThat(dir.resolve("out/soloist")).doesNotExist();
    }

    @Test
    void refusesDamagedTruncatedAndForeignDownloads() {
        byte[] good = TarGz.release(new byte[100_000]);
        assertThatThrownBy(() -> extract(Arrays.copyOf(good, good.length - 20))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> extract("<html>".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a gzip archive");
        assertThatThrownBy(() -> extract(new byte[0])).hasMessageContaining("not a gzip archive");
        byte[] flipped = good.clone();
        flipped[flipped.length - 6] ^= 1; // the gzip trailer's CRC
        assertThatThrownBy(() -> extract(flipped)).hasMessageContaining("damaged");
        assertThatThrownBy(() -> extract(new TarGz().file("README", "x").file("CHANGELOG.md", "y").gz()))
                .hasMessage("the archive has no soloist file (it holds: README, CHANGELOG.md)");
    }

    @Test
    void boundsWhatItUnpacks() {
        assertThatThrownBy(() -> extract(new TarGz().file("soloist", new byte[(int) MIB + 1]).gz()))
                .hasMessage("the archive's soloist is larger than 1 MiB");
        assertThatThrownBy(() -> extract(new TarGz().file("padding", new byte[(int) (5 * MIB)]).file("soloist", "x").gz()))
                .hasMessage("the archive unpacks to more than 4 MiB");
    }
}
