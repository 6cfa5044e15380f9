package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.os.Platform;
import dev.connecttray.desktop.LinkOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes stand in for xdg-open: one that fails as xdg-open does without a file manager, one that works, one that stays. */
class FolderOpenerTest {
    @TempDir
    Path home;

    private final List<List<String>> started = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void end() {
        processes.forEach(Process::destroyForcibly);
    }

    private FolderOpener opener(String shell, Duration wait) {
        return new FolderOpener(Platform.of("Linux"), command -> {
            started.add(command);
            Process p = new ProcessBuilder("sh", "-c", shell).start();
            processes.add(p);
            return p;
        }, wait, task -> new Thread(task, "test-open-folder").start());
    }

    @Test
    void xdgOpenFailingIsReportedWithItsExitStatus() throws Exception {
        Path folder = home.resolve("logs");
        FolderOpener.Outcome outcome = opener("exit 3", Duration.ofSeconds(10)).open(folder).get(10, TimeUnit.SECONDS);

        assertThat(outcome.opened()).isFalse();
        assertThat(outcome.failure()).contains("xdg-open exited with status 3").contains("no file manager");
        assertThat(outcome.folder()).isEqualTo(folder);
        assertThat(started).containsExactly(List.of("xdg-open", folder.toString()));
        assertThat(folder).as("created first, so the file manager has something to open").isDirectory();
    }

    @Test
    void xdgOpenSucceeding() throws Exception {
        FolderOpener.Outcome outcome = opener("exit 0", Duration.ofSeconds(10)).open(home).get(10, TimeUnit.SECONDS);
        assertThat(outcome.opened()).isTrue();
        assertThat(outcome.failure()).isNull();
    }

    @Test
    void aToolThatStaysIsTakenAsOpenedAndLeftRunning() throws Exception {
        FolderOpener.Outcome outcome = opener("exec sleep 60", Duration.ofMillis(200)).open(home).get(10, TimeUnit.SECONDS);
        assertThat(outcome.opened()).isTrue();
        assertThat(processes.get(0).isAlive()).as("never killed: it may be the file manager itself").isTrue();
    }

    @Test
    void aToolThatCannotStartIsAFailureNamingIt() throws Exception {
        FolderOpener opener = new FolderOpener(Platform.of("Linux"), command -> {
            throw new IOException("Cannot run program \"xdg-open\": error=2, No such file or directory");
        }, Duration.ofSeconds(1), Runnable::run);
        FolderOpener.Outcome outcome = opener.open(home).get(10, TimeUnit.SECONDS);
        assertThat(outcome.opened()).isFalse();
        assertThat(outcome.failure()).startsWith("cannot run xdg-open").contains("No such file or directory");
    }

    @Test
    void theCommandPerOs() {
        Path f = Path.of("/x");
        assertThat(new FolderOpener(Platform.of("Windows 11"), c -> null, Duration.ZERO, Runnable::run).command(f))
                .containsExactly("explorer", "/x");
        assertThat(new FolderOpener(Platform.of("Mac OS X"), c -> null, Duration.ZERO, Runnable::run).command(f))
                .containsExactly("open", "/x");
    }

    @Test
    void aWebPageOpensInTheBrowserWithTheSameTool() throws Exception {
        java.net.URI page = java.net.URI.create("https://developer.spotify.com/documentation/soloist");
        LinkOutcome opened = opener("exit 0", Duration.ofSeconds(10)).browse(page).get(10, TimeUnit.SECONDS);
        assertThat(opened.opened()).isTrue();
        assertThat(started).containsExactly(List.of("xdg-open", page.toString()));

        LinkOutcome failed = opener("exit 3", Duration.ofSeconds(10)).browse(page).get(10, TimeUnit.SECONDS);
        assertThat(failed.opened()).isFalse();
        assertThat(failed.failure()).contains("xdg-open exited with status 3").contains("no web browser");

        assertThat(new FolderOpener(Platform.of("Windows 11"), c -> null, Duration.ZERO, Runnable::run).browseCommand(page))
                .containsExactly("rundll32", "url.dll,FileProtocolHandler", page.toString());
        assertThat(new FolderOpener(Platform.of("Mac OS X"), c -> null, Duration.ZERO, Runnable::run).browseCommand(page))
                .containsExactly("open", page.toString());
    }

    @Test
    void onlyHttpsPagesAreOpened() {
        FolderOpener opener = opener("exit 0", Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> opener.browse(java.net.URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(started).isEmpty();
    }
}
