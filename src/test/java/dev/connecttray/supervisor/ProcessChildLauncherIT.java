package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.RetrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A real child process behind {@link ProcessChildLauncher}: lines, commands and exit statuses. */
class ProcessChildLauncherIT {
    @TempDir
    Path dir;

    /**
     * A bash child that says {@code lines}, writes the commands it reads to a file, one a line, and
     * exits 0 after {@code stop} (or 75 when none comes within 20 s).
     */
    private Engine script(String... lines) {
        StringBuilder sh = new StringBuilder();
        for (String l : lines) sh.append("printf '%s\\n' '").append(l).append("'; ");
        return shell(sh.toString());
    }

    /** As {@link #script}, after the shell commands {@code first}. */
    private Engine shell(String first) {
        StringBuilder sh = new StringBuilder(first);
        sh.append("while read -t 20 line; do printf '%s\\n' \"$line\" >> '").append(dir.resolve("command"))
                .append("'; case \"$line\" in *stop*) exit 0;; esac; done; exit 75");
        return new EmbeddedEngine(new ProcessChildLauncher(used -> List.of("bash", "-c", sh.toString())));
    }

    private static final String CONNECTED =
            "{\"type\":\"state\",\"time\":\"2026-01-01T00:00:00Z\",\"state\":\"Connected\",\"user\":\"alice\","
                    + "\"since\":\"2026-01-01T00:00:00Z\"}";

    @Test
    void aGarbageLineIsLoggedAndTheChildKeepsBeingSupervised() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ReceiverProcess.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        CompletableFuture<ExitStatus> finished = new CompletableFuture<>();
        try (ExecutorScheduler scheduler = new ExecutorScheduler("test-supervisor")) {
            ReceiverProcess p = new ReceiverProcess(RetrySettings.defaults(AfterGiveUp.EXIT),
                    script("Exception in thread \"main\" java.lang.Oops", CONNECTED), scheduler, Clock.systemUTC(),
                    Duration.ofSeconds(30), states::add, finished::complete, true);
            p.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (states.stream().noneMatch(s -> s instanceof ConnectionState.Connected)) {
                assertThat(System.nanoTime()).as("Connected within 20 s").isLessThan(deadline);
                Thread.sleep(20); // another process's output: nothing to wait on but the list
            }
            // Still supervised after the garbage: commands reach it, and its exit is seen.
            p.reconnectNow();
            p.quit();
            assertThat(finished.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(Files.readAllLines(dir.resolve("command")))
                .containsExactly("{\"command\":\"reconnect\"}", "{\"command\":\"stop\"}");
        assertThat(states).extracting(ConnectionState::name).containsExactly("Starting", "Connected", "Stopped");
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("not an event").contains("java.lang.Oops"));
    }

    @Test
    void aHeartbeatWithAPidOf1e99999999AndAnOverlongLineLeaveTheChildSupervised() throws Exception {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        CompletableFuture<ExitStatus> finished = new CompletableFuture<>();
        String huge = "{\"type\":\"heartbeat\",\"time\":\"2026-01-01T00:00:00Z\",\"pid\":1e99999999}";
        // 200 000 bytes and a newline, made by the child: too long for one argument of exec.
        String overlong = "head -c 200000 /dev/zero | tr '\\0' x; printf '\\n'; ";
        try (ExecutorScheduler scheduler = new ExecutorScheduler("test-supervisor")) {
            ReceiverProcess p = new ReceiverProcess(RetrySettings.defaults(AfterGiveUp.EXIT),
                    shell("printf '%s\\n' '" + huge + "'; " + overlong + "printf '%s\\n' '" + CONNECTED + "'; "), scheduler, Clock.systemUTC(), Duration.ofSeconds(30),
                    states::add, finished::complete, true);
            p.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (states.stream().noneMatch(s -> s instanceof ConnectionState.Connected)) {
                assertThat(System.nanoTime()).as("Connected within 20 s").isLessThan(deadline);
                Thread.sleep(20); // another process's output: nothing to wait on but the list
            }
            p.quit();
            assertThat(finished.get(20, TimeUnit.SECONDS)).isEqualTo(ExitStatus.OK);
        }
        assertThat(states).extracting(ConnectionState::name).containsExactly("Starting", "Connected", "Stopped");
    }

    @Test
    void aChildKilledByASignalReportsIt() throws Exception {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ProcessChildLauncher launcher = new ProcessChildLauncher(used -> List.of("bash", "-c", "kill -9 $$"));
        launcher.start(0, new ChildLauncher.Listener() {
            @Override
            public void event(dev.connecttray.ipc.Event event) {
            }

            @Override
            public void malformedLine(String line, String why) {
            }

            @Override
            public void exited(int status) {
                exit.complete(status);
            }
        });
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        assertThat(ReceiverProcess.describeStatus(137)).isEqualTo("killed by SIGKILL");
    }
}
