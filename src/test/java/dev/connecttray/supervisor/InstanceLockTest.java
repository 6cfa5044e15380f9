package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {
    @TempDir
    Path home;

    @Test
    void theSecondAcquireIsRefusedAndNamesThePidOfTheFirst() throws Exception {
        Path state = home.resolve("state");
        try (InstanceLock first = InstanceLock.acquire(state)) {
            long me = ProcessHandle.current().pid();
            assertThatThrownBy(() -> InstanceLock.acquire(state))
                    .isInstanceOfSatisfying(InstanceLock.AlreadyRunning.class, e -> assertThat(e.pid()).isEqualTo(me))
                    .hasMessageContaining("pid " + me).hasMessageContaining(state.toString());
            assertThat(InstanceLock.runningPid(state)).hasValue(me);
        }
        assertThat(InstanceLock.runningPid(state)).as("released: no pid left to read").isEmpty();
        try (InstanceLock again = InstanceLock.acquire(state)) {
            assertThat(InstanceLock.runningPid(state)).isPresent();
        }
    }

    @Test
    void theStateFolderIsCreatedOwnerOnly() throws Exception {
        Path state = home.resolve("a/b/state");
        try (InstanceLock lock = InstanceLock.acquire(state)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        }
    }

    @Test
    void aStalePidOfADeadProcessIsNotRunning() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(state.resolve(InstanceLock.FILE_NAME), p.pid() + "\n");
        assertThat(InstanceLock.runningPid(state)).isEmpty();
        try (InstanceLock lock = InstanceLock.acquire(state)) {
            assertThat(InstanceLock.runningPid(state)).hasValue(ProcessHandle.current().pid());
        }
    }
}
