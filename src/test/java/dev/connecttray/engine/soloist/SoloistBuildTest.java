package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SoloistBuildTest {

    @Test
    void readsTheVersionLineSpotifyPrints() {
        SoloistBuild b = SoloistBuild.parse("soloist 1.3.7.345 build 1787077868 (20260818) (gb24005ef46) (linux/aarch64)");
        assertThat(b.version()).isEqualTo("1.3.7.345");
        assertThat(b.buildDate()).isEqualTo(LocalDate.of(2026, 8, 18));
        assertThat(b.expiresOn()).isEqualTo(LocalDate.of(2026, 11, 16));
    }

    @Test
    void ignoresBracketsItDoesNotKnowAndSurroundingSpace() {
        SoloistBuild b = SoloistBuild.parse("  soloist 1.3.8.9 build 1796083200 (beta) (12345678) (20261201) "
                + "(g0123456789) (linux/x86_64) (glibc 2.38)\n");
        assertThat(b.version()).isEqualTo("1.3.8.9");
        // "(12345678)" is no date; the first bracket that is one counts
        assertThat(b.buildDate()).isEqualTo(LocalDate.of(2026, 12, 1));
    }

    @Test
    void withoutADateBracketTheBuildEpochGivesTheDate() {
        assertThat(SoloistBuild.parse("soloist 1.3.9.1 build 1787077868 (gb24005ef46)").buildDate())
                .isEqualTo(LocalDate.of(2026, 8, 18));
    }

    @Test
    void garbageIsRefusedWithTheLineQuoted() {
        assertThatThrownBy(() -> SoloistBuild.parse("bash: ./soloist: cannot execute binary file"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a Soloist --version line (expected \"soloist 1.3.7.345 build 1787077868 (20260818) …\"): "
                        + "\"bash: ./soloist: cannot execute binary file\"");
        assertThatThrownBy(() -> SoloistBuild.parse("soloist 1.3.8.9 (gabc)"))
                .hasMessageContaining("has no build date");
        assertThatThrownBy(() -> SoloistBuild.parse("soloist\u001b[31m" + "x".repeat(300)))
                .hasMessageContaining("\"soloist?[31m").hasMessageEndingWith("…\"");
        assertThatThrownBy(() -> SoloistBuild.parse(null)).hasMessageEndingWith(": \"\"");
    }

    @Test
    void daysLeftCountToTheLastDayItRuns() {
        SoloistBuild b = new SoloistBuild("1.3.8.9", LocalDate.of(2026, 9, 1));
        assertThat(b.expiresOn()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(b.daysLeft(LocalDate.of(2026, 11, 16))).isEqualTo(14);
        assertThat(b.daysLeft(LocalDate.of(2026, 11, 30))).isZero();
        assertThat(b.expiredOn(LocalDate.of(2026, 11, 30))).isFalse();
        assertThat(b.expiredOn(LocalDate.of(2026, 12, 1))).isTrue();
        assertThat(b.daysLeft(LocalDate.of(2026, 12, 1))).isEqualTo(-1);
    }
}
