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

    @Test
    void symlinkedInstanceLockIsRefusedAndItsTargetKept() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Path target = home.resolve("precious.txt");
        Files.writeString(target, "keep me\n");
        Files.createSymbolicLink(state.resolve(InstanceLock.FILE_NAME), target);

        assertThatThrownBy(() -> InstanceLock.acquire(state)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(state.resolve(InstanceLock.FILE_NAME).toString())
                .hasMessageContaining("symbolic link");
        assertThat(Files.readString(target)).isEqualTo("keep me\n");
        assertThat(InstanceLock.runningPid(state)).isEmpty();
    }

    @Test
    void theLockFileIsOwnerOnly() throws Exception {
        Path state = home.resolve("state");
        try (InstanceLock lock = InstanceLock.acquire(state)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(InstanceLock.FILE_NAME))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aLockFileNamingALiveUnrelatedPidIsNotRunning() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(state.resolve(InstanceLock.FILE_NAME), unrelated.pid() + "\n");
            assertThat(InstanceLock.runningPid(state)).as("the pid lives, but nobody holds the lock").isEmpty();
            try (InstanceLock lock = InstanceLock.acquire(state)) {
                assertThat(InstanceLock.runningPid(state)).hasValue(ProcessHandle.current().pid());
            }
        } finally {
            unrelated.destroy();
            unrelated.waitFor();
        }
    }

    @Test
    void aLockHeldByAnotherProcessIsRunningAndAskingDoesNotTakeIt() throws Exception {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Path file = state.resolve(InstanceLock.FILE_NAME);
        // flock(1) takes BSD locks, which Java's fcntl locks do not see: hold it with a second JVM instead.
        Path src = home.resolve("Hold.java");
        Files.writeString(src, "import java.nio.channels.*; import java.nio.file.*;"
                + "public class Hold { public static void main(String[] a) throws Exception {"
                + " FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);"
                + " ch.lock(); ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + \"\\n\").getBytes()));"
                + " System.out.println(\"held\"); System.out.flush(); Thread.sleep(60000); } }");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                src.toString(), file.toString()).redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertThat(first).isEqualTo("held");
            assertThat(InstanceLock.runningPid(state)).hasValue(holder.pid());
            assertThat(InstanceLock.runningPid(state)).hasValue(holder.pid());
            assertThatThrownBy(() -> InstanceLock.acquire(state)).isInstanceOf(InstanceLock.AlreadyRunning.class);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void procLocksLinesAreMatchedByInodeAndPid() throws Exception {
        Path file = Files.createFile(home.resolve("x.lock"));
        long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        Path locks = home.resolve("locks");
        Files.writeString(locks, "1: POSIX  ADVISORY  WRITE 4242 08:01:" + ino + " 0 EOF\n"
                + "1: -> POSIX  ADVISORY  WRITE 4343 08:01:" + ino + " 0 EOF\n"
                + "2: FLOCK  ADVISORY  WRITE 17 08:01:99 0 EOF\n");
        assertThat(InstanceLock.lockedPerProcLocks(locks, file, 4242)).contains(true);
        assertThat(InstanceLock.lockedPerProcLocks(locks, file, 4343)).as("only waiting").contains(false);
        assertThat(InstanceLock.lockedPerProcLocks(locks, file, 17)).contains(false);
        assertThat(InstanceLock.lockedPerProcLocks(home.resolve("none"), file, 4242)).isEmpty();
    }
}
