package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusNoteTest {
    @TempDir
    Path state;

    @Test
    void theRunningInstancesEngineIsReadBackForItsPidOnly() throws Exception {
        StatusNote note = new StatusNote(state, 4242);
        note.engine("Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        assertThat(StatusNote.engine(state, 4242)).hasValue("Spotify Soloist 1.3.8.9 \u00b7 42 days left");
        assertThat(StatusNote.engine(state, 4243)).as("an earlier run's note is not this one's").isEmpty();
        assertThat(Files.getPosixFilePermissions(state.resolve(StatusNote.FILE_NAME)))
                .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

        note.engine("Spotify Soloist 1.3.8.9 \u00b7 41 days left");
        assertThat(StatusNote.engine(state, 4242)).hasValue("Spotify Soloist 1.3.8.9 \u00b7 41 days left");
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StatusNote.FILE_NAME);
        }

        note.remove();
        assertThat(StatusNote.engine(state, 4242)).isEmpty();
        assertThat(state.resolve(StatusNote.FILE_NAME)).doesNotExist();
    }

    @Test
    void anUnchangedDescriptionIsNotWrittenAgain() throws Exception {
        StatusNote note = new StatusNote(state, 7);
        note.engine("go-librespot");
        Path file = state.resolve(StatusNote.FILE_NAME);
        Files.writeString(file, "{\"pid\":7,\"engine\":\"changed behind its back\"}");
        note.engine("go-librespot");
        assertThat(StatusNote.engine(state, 7)).hasValue("changed behind its back");
    }

    @Test
    void aDamagedOrMissingNoteIsNoEngine() throws Exception {
        assertThat(StatusNote.engine(state, 1)).isEmpty();
        Path file = state.resolve(StatusNote.FILE_NAME);
        for (String junk : new String[]{"", "not json", "[1,2]", "{\"pid\":\"x\",\"engine\":\"e\"}", "{\"pid\":1}",
                "{\"pid\":1,\"engine\":\"  \"}", "{\"pid\":1,\"engine\":\"" + "e".repeat(5000) + "\"}"}) {
            Files.writeString(file, junk);
            assertThat(StatusNote.engine(state, 1)).as(junk.length() > 40 ? "a huge file" : junk).isEmpty();
        }
    }

    @Test
    void aStateFolderThatCannotBeWrittenCostsOnlyTheNote() {
        StatusNote note = new StatusNote(state.resolve("missing-folder"), 1);
        note.engine("go-librespot"); // logged, not thrown
        assertThat(StatusNote.engine(state.resolve("missing-folder"), 1)).isEmpty();
    }
}
