package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.connecttray.config.AppPaths;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.receiver.DeviceIdFile;
import dev.connecttray.supervisor.InstanceLock;
import dev.connecttray.supervisor.StateHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The state folder and everything in it are the owner's alone, from the first write. */
class StateFolderPrivacyTest {
    /** Under /tmp and 0755, so that another user could reach the state folder if it let them. */
    private Path home;

    @BeforeEach
    void home() throws IOException {
        home = Files.createTempDirectory(Path.of("/tmp"), "privacy");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var file = root.getAppender("FILE");
        if (file != null) {
            root.detachAppender(file);
            file.stop();
        }
        try (Stream<Path> all = Files.walk(home)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private AppPaths paths() {
        Path state = home.resolve("state/connect-tray");
        return new AppPaths(home.resolve("config.json"), state, state.resolve("logs"));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void logsAndTheStateFolderAreOwnerOnlyFromTheFirstWrite() throws Exception {
        AppPaths paths = paths();
        assertThat(paths.makePrivate().summary()).as("nothing to tighten in new folders").isNull();
        Path log = paths.logDir().resolve("connect-tray.log");
        LogSetup.file(log);
        LoggerFactory.getLogger("dev.connecttray.PrivacyProbe").info("Connected as alice");
        try (InstanceLock lock = InstanceLock.acquire(paths.stateDir())) {
            DeviceIdFile.loadOrCreate(paths.stateDir().resolve("device-id"));
            StateHistory h = StateHistory.open(paths.stateDir(), 10, 1 << 20);
            h.record(Instant.now(), new ConnectionState.Starting());
            h.close();

            assertThat(Files.readString(log)).contains("Connected as alice");
            assertThat(mode(paths.stateDir())).isEqualTo("rwx------");
            assertThat(mode(paths.logDir())).isEqualTo("rwx------");
            assertThat(mode(log)).isEqualTo("rw-------");
            for (String name : new String[] {"instance.lock", "device-id", "history.jsonl"}) {
                assertThat(mode(paths.stateDir().resolve(name))).as(name).isEqualTo("rw-------");
            }
            assertAnotherUserCannotRead(log);
        }
    }

    @Test
    void anOpenStateFolderIsTightenedAtStartAndSaidOnce() throws Exception {
        AppPaths paths = paths();
        Files.createDirectories(paths.logDir());
        Files.setPosixFilePermissions(paths.stateDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(paths.logDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path f : new Path[] {paths.stateDir().resolve("instance.lock"), paths.stateDir().resolve("device-id"),
                paths.stateDir().resolve("history.jsonl"), paths.logDir().resolve("connect-tray.log"),
                paths.logDir().resolve("receiver.log.1")}) {
            Files.writeString(f, "x\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path foreign = Files.writeString(home.resolve("not-ours.txt"), "x");
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(paths.stateDir().resolve("history.1.jsonl"), foreign);

        AppPaths.Privacy first = paths.makePrivate();

        assertThat(first.problems()).isEmpty();
        assertThat(first.summary()).contains(paths.stateDir() + " (was rwxr-xr-x)")
                .contains(paths.logDir().resolve("connect-tray.log") + " (was rw-r--r--)");
        assertThat(mode(paths.stateDir())).isEqualTo("rwx------");
        assertThat(mode(paths.logDir())).isEqualTo("rwx------");
        try (Stream<Path> all = Files.walk(paths.stateDir())) {
            all.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(p -> {
                try {
                    assertThat(mode(p)).as(p.toString()).isEqualTo("rw-------");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertThat(mode(foreign)).as("a link is not followed").isEqualTo("rw-r--r--");
        assertThat(paths.makePrivate().summary()).as("said once").isNull();
    }

    @Test
    void aSymlinkedLogFileIsRefused() throws Exception {
        AppPaths paths = paths();
        paths.makePrivate();
        Path target = Files.writeString(home.resolve("target.txt"), "keep\n");
        Path log = paths.logDir().resolve("connect-tray.log");
        Files.createSymbolicLink(log, target);
        assertThatThrownBy(() -> LogSetup.file(log)).isInstanceOf(IOException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("symbolic link");
        LoggerFactory.getLogger("dev.connecttray.PrivacyProbe").info("Connected as alice");
        assertThat(Files.readString(target)).isEqualTo("keep\n");
    }

    /** As the user nobody (root can read anything, so it proves nothing). */
    private static void assertAnotherUserCannotRead(Path file) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser");
        Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "grep", "Connected as", file.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(out).doesNotContain("alice");
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("Permission denied");
    }
}
