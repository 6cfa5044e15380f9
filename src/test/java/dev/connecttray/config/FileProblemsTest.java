package dev.connecttray.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileProblemsTest {
    private static final Path STATE = Path.of("/home/alice/.local/state/connect-tray");

    @Test
    void permissionDeniedIsSaidInTheOsWordsWithTheFile() {
        // What the JDK throws for EACCES: the path is the whole message.
        AccessDeniedException e = new AccessDeniedException(STATE + "/instance.lock");
        assertThat(e.getMessage()).doesNotContain("denied");
        assertThat(FileProblems.describe(e)).isEqualTo(STATE + "/instance.lock: Permission denied");
        assertThat(FileProblems.whatToDoWithStateFolder(STATE, e)).contains("chown -R").contains(STATE.toString())
                .contains("XDG_STATE_HOME");
    }

    @Test
    void readOnlyAndFullDisks() {
        FileSystemException ro = new FileSystemException(STATE + "/instance.lock", null, "Read-only file system");
        assertThat(FileProblems.describe(ro)).isEqualTo(STATE + "/instance.lock: Read-only file system");
        assertThat(FileProblems.whatToDoWithStateFolder(STATE, ro)).contains("read-only file system")
                .contains("mount it read-write");
        FileSystemException full = new FileSystemException(STATE + "/device-id", null, "No space left on device");
        assertThat(FileProblems.whatToDoWithStateFolder(STATE, full)).contains("free some space");
    }

    @Test
    void otherErrorsKeepTheirMessage() {
        assertThat(FileProblems.describe(new IOException("cannot open x: y"))).isEqualTo("cannot open x: y");
        assertThat(FileProblems.reason(new IOException())).isEqualTo("IOException");
    }
}
