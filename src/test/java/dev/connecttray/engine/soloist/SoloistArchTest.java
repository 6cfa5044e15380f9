package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connecttray.os.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoloistArchTest {
    @TempDir
    Path dir;

    @Test
    void mapsJavaArchitecturesToSpotifysArchiveNames() {
        assertThat(SoloistArch.of(Platform.of("Linux"), "amd64")).contains(SoloistArch.X86_64);
        assertThat(SoloistArch.of(Platform.of("Linux"), "aarch64")).contains(SoloistArch.ARM64);
        assertThat(SoloistArch.of(Platform.of("Linux"), "arm")).contains(SoloistArch.ARM32);
        assertThat(SoloistArch.of(Platform.of("Linux"), "riscv64")).isEmpty();
        assertThat(SoloistArch.of(Platform.of("Mac OS X"), "aarch64")).isEmpty();
        assertThat(SoloistArch.of(Platform.of("Windows 11"), "amd64")).isEmpty();
        assertThat(BuildHost.SPOTIFY.archive(SoloistArch.ARM64))
                .hasToString("https://soloist-builds.spotifycdn.com/soloist_release_arm64.tar.gz");
    }

    @Test
    void acceptsAnExecutableForThisMachineOnly() throws Exception {
        Path x86 = Files.write(dir.resolve("x86"), TinyElf.printing("hi\n", 0));
        Path arm = Files.write(dir.resolve("arm"), TinyElf.forMachine(TinyElf.EM_AARCH64));
        Path text = Files.writeString(dir.resolve("text"), "#!/bin/sh\necho soloist 1.3.8.9\n");

        SoloistArch.X86_64.checkElf(x86);
        SoloistArch.ARM64.checkElf(arm);
        assertThatThrownBy(() -> SoloistArch.X86_64.checkElf(arm))
                .hasMessage("it is an executable for ARM 64-bit (aarch64) (64-bit), not for this x86-64 machine");
        assertThatThrownBy(() -> SoloistArch.ARM32.checkElf(arm))
                .hasMessage("it is an executable for ARM 64-bit (aarch64) (64-bit), not for this ARM 32-bit (armv7) machine");
        assertThatThrownBy(() -> SoloistArch.X86_64.checkElf(text)).hasMessage("it is not a Linux executable (no ELF header)");
    }

    @Test
    void aBuildHostIsHttpsToItsAllowedHostsOnly() {
        assertThatThrownBy(() -> new BuildHost(java.net.URI.create("http://soloist-builds.spotifycdn.com/"),
                java.util.Set.of("soloist-builds.spotifycdn.com"))).hasMessageContaining("only HTTPS is allowed");
        assertThatThrownBy(() -> BuildHost.SPOTIFY.check(java.net.URI.create("https://evil.example/x.tar.gz?sig=abc")))
                .hasMessage("refused to download from https://evil.example/x.tar.gz: only soloist-builds.spotifycdn.com "
                        + "is allowed");
        assertThatThrownBy(() -> BuildHost.SPOTIFY.check(java.net.URI.create("https://user:pw@soloist-builds.spotifycdn.com/")))
                .hasMessageNotContaining("pw");
    }
}
