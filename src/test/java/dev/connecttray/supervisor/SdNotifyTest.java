package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** sd_notify against a real Unix datagram socket, as systemd would receive it. */
class SdNotifyTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING_MORE = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger sdNotifyLogger = (Logger) LoggerFactory.getLogger(SdNotify.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        sdNotifyLogger.addAppender(logs);
    }

    @AfterEach
    void stopCapturingLogs() {
        sdNotifyLogger.detachAppender(logs);
    }

    private UnixDatagramReceiver receiver(String kind) {
        return kind.equals("path")
                ? UnixDatagramReceiver.bindPath(dir.resolve("notify"))
                : UnixDatagramReceiver.bindAbstract("connect-tray-test-" + UUID.randomUUID());
    }

    private static Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) env.put(keysAndValues[i], keysAndValues[i + 1]);
        return env;
    }

    private List<ILoggingEvent> logged(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void readyStatusWatchdogAndStoppingArriveAsExactBytes(String kind) {
        try (UnixDatagramReceiver systemd = receiver(kind);
             SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()))) {
            assertThat(notify.enabled()).isTrue();

            notify.ready();
            assertThat(systemd.receiveBytes(WAIT)).hasValue("READY=1".getBytes(StandardCharsets.US_ASCII));
            notify.status("Connected as alice · 3 s");
            assertThat(systemd.receiveBytes(WAIT))
                    .hasValue("STATUS=Connected as alice · 3 s".getBytes(StandardCharsets.UTF_8));
            notify.watchdog();
            assertThat(systemd.receiveBytes(WAIT)).hasValue("WATCHDOG=1".getBytes(StandardCharsets.US_ASCII));
            notify.stopping();
            assertThat(systemd.receiveBytes(WAIT)).hasValue("STOPPING=1".getBytes(StandardCharsets.US_ASCII));

            assertThat(systemd.receive(NOTHING_MORE)).isEmpty();
        }
        assertThat(logged(Level.WARN)).isEmpty();
    }

    @Test
    void withoutNotifySocketNothingIsSentAndNothingThrown() {
        try (SdNotify notify = SdNotify.fromEnvironment(env("HOME", "/home/alice"))) {
            assertThat(notify.enabled()).isFalse();
            notify.ready();
            notify.status("Connected");
            notify.watchdog();
            notify.stopping();
        }
        assertThat(logs.list).isEmpty();
    }

    @Test
    void anEmptyNotifySocketIsLikeNone() {
        try (SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", ""))) {
            assertThat(notify.enabled()).isFalse();
            notify.ready();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void aSocketNobodyListensOnIsOneWarningNamingTheSocketThenDebug(String kind) {
        String socket = kind.equals("path")
                ? dir.resolve("nobody-here").toString()
                : "@connect-tray-test-nobody-" + UUID.randomUUID();
        try (SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", socket))) {
            assertThat(notify.enabled()).isTrue();
            notify.ready();
            notify.status("Connected as alice");
            notify.watchdog();
        }
        assertThat(logged(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("NOTIFY_SOCKET=" + socket)
                .contains("READY")
                .containsAnyOf("No such file or directory", "Connection refused"));
        assertThat(logged(Level.DEBUG)).filteredOn(e -> e.getFormattedMessage().startsWith("Cannot notify"))
                .hasSize(2);
    }

    @Test
    void aListenerThatStopsReadingDoesNotBlockTheCaller() {
        UnixDatagramReceiver systemd = receiver("path");
        SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()));
        try {
            // Far more than a Unix datagram queue holds (net.unix.max_dgram_qlen: 10 to 512).
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 1000; i++) notify.watchdog();
            });
            assertThat(logged(Level.WARN)).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("WATCHDOG"));
        } finally {
            // The listener first: that wakes a send that did block (and holds the lock close() needs).
            systemd.close();
            notify.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vsock:2:1234", "relative/notify", "@", "notify"})
    void anUnsupportedNotifySocketIsAWarningAndNoNotifications(String value) {
        try (SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", value))) {
            assertThat(notify.enabled()).isFalse();
            notify.ready();
        }
        assertThat(logged(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("NOTIFY_SOCKET=" + value).contains("absolute path").contains("abstract"));
    }

    @Test
    void aPathOf107BytesWorksAnd108IsRefused() {
        String prefix = dir.toAbsolutePath() + "/";
        Path longest = Path.of(prefix + "s".repeat(107 - prefix.length()));
        assertThat(longest.toString()).hasSize(107);
        try (UnixDatagramReceiver systemd = UnixDatagramReceiver.bindPath(longest);
             SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()))) {
            notify.ready();
            assertThat(systemd.receive(WAIT)).hasValue("READY=1");
        }
        assertThat(logged(Level.WARN)).isEmpty();

        String tooLong = longest + "s";
        try (SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", tooLong))) {
            assertThat(notify.enabled()).isFalse();
        }
        assertThat(logged(Level.WARN)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("NOTIFY_SOCKET=" + tooLong).contains("at most 107 bytes"));
    }

    @Test
    void aNewlineInsideStatusIsFlattened() {
        try (UnixDatagramReceiver systemd = receiver("abstract");
             SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()))) {
            notify.status("Retrying in 8 s\nconnection refused\r\nattempt 3");
            // systemd reads one assignment per line: an embedded newline would end the status there.
            assertThat(systemd.receive(WAIT)).hasValue("STATUS=Retrying in 8 s connection refused attempt 3");
        }
    }

    @Test
    void aLongStatusIsCutToFitSystemdsBufferWithoutSplittingACharacter() {
        try (UnixDatagramReceiver systemd = receiver("abstract");
             SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()))) {
            notify.status("é".repeat(3000));
            byte[] received = systemd.receiveBytes(WAIT).orElseThrow();
            assertThat(received.length).isLessThanOrEqualTo(4095).isGreaterThan(4090);
            String text = new String(received, StandardCharsets.UTF_8);
            assertThat(text).startsWith("STATUS=éé").doesNotContain("\uFFFD");
            assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(received);
        }
    }

    @Test
    void afterCloseMessagesAreDropped() {
        try (UnixDatagramReceiver systemd = receiver("abstract")) {
            SdNotify notify = SdNotify.fromEnvironment(env("NOTIFY_SOCKET", systemd.notifySocketValue()));
            notify.close();
            assertThat(notify.enabled()).isFalse();
            notify.ready();
            notify.close();
            assertThat(systemd.receive(NOTHING_MORE)).isEmpty();
        }
        assertThat(logged(Level.WARN)).isEmpty();
    }

    /** In a JVM of its own: once JNA has loaded in a JVM, it stays loaded. */
    @Test
    void withoutJnasNativeCodeNotificationsAreOffAndNothingThrows() throws Exception {
        try (UnixDatagramReceiver systemd = receiver("abstract")) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            // nounpack and nosys leave JNA no way to find its native library, as on an unsupported CPU.
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Djna.nounpack=true", "-Djna.nosys=true",
                    "-cp", System.getProperty("java.class.path"), NativeCodeMissing.class.getName(),
                    systemd.notifySocketValue());
            Path outputFile = dir.resolve("child-output.txt");
            pb.redirectErrorStream(true).redirectOutput(outputFile.toFile());
            Process p = pb.start();
            boolean exited;
            try {
                exited = p.waitFor(30, TimeUnit.SECONDS);
            } finally {
                p.destroyForcibly();
            }
            String output = Files.readString(outputFile);
            assertThat(exited).as("the child exited within 30 s; it said:%n%s", output).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("enabled=false")
                    .contains("Cannot load the native code for systemd notifications")
                    .contains("NOTIFY_SOCKET=" + systemd.notifySocketValue());
            assertThat(systemd.receive(NOTHING_MORE)).isEmpty();
        }
    }

    /** The child JVM of the test above. */
    static final class NativeCodeMissing {
        public static void main(String[] args) {
            try (SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", args[0]))) {
                notify.ready();
                notify.status("not sent");
                System.out.println("enabled=" + notify.enabled());
            }
        }
    }

    @Test
    void watchdogIntervalIsHalfOfWatchdogUsec() {
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", "4000000"))) {
            assertThat(notify.watchdogInterval()).hasValue(Duration.ofSeconds(2));
        }
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", "60000000",
                "WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())))) {
            assertThat(notify.watchdogInterval()).hasValue(Duration.ofSeconds(30));
        }
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", "2000000"))) {
            assertThat(notify.watchdogInterval()).hasValue(Duration.ofSeconds(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3", "1000", "1999999"})
    void aTinyWatchdogUsecIsClampedToOnePingASecondAndSaysSo(String usec) {
        Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(SdNotify.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", usec))) {
            assertThat(notify.watchdogInterval()).hasValue(Duration.ofSeconds(1));
        } finally {
            logger.detachAppender(logged);
        }
        assertThat(logged.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("WATCHDOG_USEC=" + usec).contains("once a second"));
    }

    @Test
    void watchdogIntervalIsEmptyWhenTheWatchdogIsForAnotherProcess() {
        long other = ProcessHandle.current().pid() == 1 ? 2 : 1;
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", "4000000",
                "WATCHDOG_PID", Long.toString(other)))) {
            assertThat(notify.watchdogInterval()).isEmpty();
        }
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", "4000000", "WATCHDOG_PID", "me"))) {
            assertThat(notify.watchdogInterval()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-4000000", "0", "4e6", " 4000000", "99999999999999999999"})
    void watchdogIntervalIsEmptyForAGarbageWatchdogUsec(String usec) {
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_USEC", usec))) {
            assertThat(notify.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void watchdogIntervalIsEmptyWithoutWatchdogUsec() {
        try (SdNotify notify = SdNotify.fromEnvironment(env("WATCHDOG_PID", Long.toString(ProcessHandle.current().pid())))) {
            assertThat(notify.watchdogInterval()).isEmpty();
        }
    }
}
