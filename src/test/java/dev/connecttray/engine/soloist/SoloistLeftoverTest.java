package dev.connecttray.engine.soloist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SoloistLeftoverTest {
    private static final Path FOLDER = Path.of("/home/u/.local/state/connect-tray/soloist");

    @Test
    void aSoloistIsOursToStopOnlyWhenItRunsOnOurDataFolder() {
        assertThat(SoloistRun.runsOn(new String[]{"/opt/soloist", "-n", "Desk", "-k", "x", "-D", FOLDER.toString()},
                FOLDER)).isTrue();
        assertThat(SoloistRun.runsOn(new String[]{"soloist", "--data-dir=" + FOLDER}, FOLDER)).isTrue();
        assertThat(SoloistRun.runsOn(new String[]{"soloist", "--data-dir", FOLDER.toString()}, FOLDER)).isTrue();
        assertThat(SoloistRun.runsOn(new String[]{"soloist", "-D", "/home/other/soloist"}, FOLDER))
                .as("another user's or another instance's Soloist").isFalse();
        assertThat(SoloistRun.runsOn(new String[]{"vim", FOLDER.resolve("soloist.pid").toString()}, FOLDER))
                .as("a recycled pid that is no Soloist").isFalse();
        assertThat(SoloistRun.runsOn(new String[]{"soloist", "-D"}, FOLDER)).isFalse();
    }
}
