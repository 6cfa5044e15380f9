package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoloistConsentTest {
    @TempDir
    Path dir;

    @Test
    void recordsWhatWasAgreedToWhenAndTheTermsOwnerOnly() throws Exception {
        SoloistConsent consent = new SoloistConsent(dir.resolve("state"));
        assertThat(consent.read()).isEmpty();

        Instant at = Instant.parse("2026-12-05T15:30:00Z");
        consent.give(at);

        assertThat(new SoloistConsent(dir.resolve("state")).read()).hasValue(
                new SoloistConsent.Record(SoloistConsent.AGREEMENT, at, "https://developer.spotify.com/documentation/soloist"));
        Path file = dir.resolve("state/soloist-consent.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("soloist-builds.spotifycdn.com", "2026-12-05T15:30:00Z");

        consent.withdraw();
        assertThat(consent.read()).isEmpty();
    }

    @Test
    void aFileThatIsNoRecordIsNoConsentAndSaysWhatToDo() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/soloist-consent.json"), "{\"consent\":\"yes\"}");
        assertThatThrownBy(() -> new SoloistConsent(dir.resolve("state")).read())
                .hasMessageContaining("soloist-consent.json is not a Soloist consent record")
                .hasMessageContaining("engine.allowDownload: true");
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        new SoloistConsent(dir).give(Instant.EPOCH);
        Files.createSymbolicLink(dir.resolve("state/soloist-consent.json"), dir.resolve("soloist-consent.json"));
        assertThatThrownBy(() -> new SoloistConsent(dir.resolve("state")).read()).hasMessageContaining("symbolic link");
    }
}
