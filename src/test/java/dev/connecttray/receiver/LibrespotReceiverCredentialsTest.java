package dev.connecttray.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.spotify.connectstate.Connect;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.FailureKind;
import dev.connecttray.core.Receiver.ReceiverFailure;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A credentials file that cannot be read is a config error that says why, at once, with no network. */
class LibrespotReceiverCredentialsTest {
    @TempDir
    Path dir;

    private ReceiverFailure connectWith(Path credentialsFile) throws Exception {
        LibrespotReceiver receiver = new LibrespotReceiver(new LibrespotReceiver.Options("Connect Tray (test)",
                Connect.DeviceType.COMPUTER, "0123456789abcdef0123456789abcdef01234567", false, 0,
                credentialsFile, dir.resolve("audio.pcm"), Duration.ofSeconds(10)),
                new CredentialsStore(credentialsFile), null);
        try {
            // On its own thread: the bug was an attempt blocked on reading the pipe.
            CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> catchThrowable(() -> receiver.connect(1)));
            return (ReceiverFailure) thrown.get(10, TimeUnit.SECONDS);
        } finally {
            receiver.close();
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFifoCredentialsFileIsRefusedAsNotARegularFileInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("credentials.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();

        ReceiverFailure f = connectWith(fifo);
        assertThat(f.failure().kind()).isEqualTo(FailureKind.CONFIG);
        assertThat(f.failure().message()).contains(fifo.toString()).contains("named pipe").contains("not a regular file");
    }

    @Test
    void aFolderAsCredentialsFileIsRefusedSayingSo() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("credentials.json"));
        ReceiverFailure f = connectWith(folder);
        assertThat(f.failure().kind()).isEqualTo(FailureKind.CONFIG);
        assertThat(f.failure().message()).contains(folder.toString()).contains("a folder, not a file");
    }

    @Test
    void aFileThatIsNotCredentialsNamesItsPathOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("credentials.json"), "[1, 2]");
        ReceiverFailure f = connectWith(file);
        assertThat(f.failure().kind()).isEqualTo(FailureKind.CONFIG);
        assertThat(f.failure().message()).isEqualTo("The credentials file " + file
                + " cannot be used: it is not a credentials file (not a JSON object)");
    }

    @Test
    void anUnreadableFileKeepsItsReason() {
        // The JDK's AccessDeniedException says only the path; running as root, no file can be made unreadable.
        Path file = dir.resolve("credentials.json");
        assertThat(new AccessDeniedException(file.toString()).getMessage()).doesNotContain("denied");
        assertThat(SettingsLoader.ioReason(new AccessDeniedException(file.toString()))).isEqualTo("permission denied");
        assertThat(SettingsLoader.ioReason(new java.nio.file.FileSystemException(file.toString(), null,
                "Input/output error"))).isEqualTo("input/output error");
        assertThat(SettingsLoader.ioReason(new java.io.IOException(file + " has no \"username\"")))
                .isEqualTo(file + " has no \"username\"");
    }
}
