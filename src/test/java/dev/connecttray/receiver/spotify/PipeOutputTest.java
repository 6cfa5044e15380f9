package dev.connecttray.receiver.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xyz.gianlu.librespot.player.mixing.output.PipeOutput;

/**
 * The pipe sink ({@code "audio": {"output": "pipe"}}) opens its pipe on the first write. librespot's
 * own class then closed a stream that was never opened: every session that ended before playing
 * (reconnect, dropped connection, quit) logged a NullPointerException from "player-audio-sink".
 */
class PipeOutputTest {
    @Test
    void theClassInUseIsOurs() {
        assertThat(PipeOutput.class.isAnnotationPresent(ReplacesLibraryClass.class)).isTrue();
        assertThat(LibraryRepairs.REPLACED).contains(PipeOutput.class.getName());
    }

    @Test
    void closingBeforeAnyWriteDoesNothing(@TempDir Path dir) {
        Path pipe = dir.resolve("never-opened");
        PipeOutput output = new PipeOutput(pipe.toFile());
        assertThatCode(output::close).doesNotThrowAnyException();
        assertThatCode(output::close).as("a second close").doesNotThrowAnyException();
        assertThat(pipe).as("nothing is created when nothing was played").doesNotExist();
    }

    @Test
    void writesGoToThePathAndCloseEndsThem(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("out.pcm"));
        PipeOutput output = new PipeOutput(file.toFile());
        output.write(new byte[] {1, 2, 3, 4}, 0, 4);
        output.write(new byte[] {5, 6, 7}, 0, 2);
        output.close();
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 4, 5, 6);
        assertThatCode(output::close).as("closing again").doesNotThrowAnyException();
    }
}
