package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.view.NotificationPolicy.Notification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DesktopNotifierTest {
    private static final Notification GAVE_UP = new Notification("-Connect Tray gave up", "Spotify rejected the login.");
    private static final Map<String, String> SESSION = Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");

    private final ScriptedCommands tools = new ScriptedCommands();
    private final ExecutorService sender = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        sender.shutdownNow();
    }

    @Test
    void linuxRunsNotifySendOnTheSessionBus() throws InterruptedException {
        DesktopNotifier notifier = new DesktopNotifier(true, SESSION, Path.of("/opt/connect-tray/lib/connect-tray.png"),
                tools, sender);

        notifier.send(GAVE_UP);
        drain();

        assertThat(tools.calls()).singleElement().satisfies(call -> {
            assertThat(call.command()).containsExactly("notify-send", "--app-name=Connect Tray",
                    "--icon=/opt/connect-tray/lib/connect-tray.png", "--", "-Connect Tray gave up",
                    "Spotify rejected the login.");
            assertThat(call.environment()).isEqualTo(SESSION);
            assertThat(call.timeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void withoutAnIconThereIsNoIconOption() {
        DesktopNotifier notifier = new DesktopNotifier(true, SESSION, null, tools, sender);

        assertThat(notifier.command(GAVE_UP)).containsExactly("notify-send", "--app-name=Connect Tray", "--",
                "-Connect Tray gave up", "Spotify rejected the login.");
    }

    @Test
    void aMissingNotifySendIsTriedOnce() throws InterruptedException {
        tools.cannotStart();
        DesktopNotifier notifier = new DesktopNotifier(true, SESSION, null, tools, sender);

        notifier.send(GAVE_UP);
        drain();
        notifier.send(GAVE_UP);
        notifier.send(GAVE_UP);
        drain();

        assertThat(tools.calls()).hasSize(1);
    }

    @Test
    void theSystemdUserBusIsFoundThroughXdgRuntimeDir(@org.junit.jupiter.api.io.TempDir Path runtime)
            throws Exception {
        java.nio.file.Files.createFile(runtime.resolve("bus"));
        DesktopNotifier notifier = new DesktopNotifier(true, Map.of("XDG_RUNTIME_DIR", runtime.toString()), null,
                tools, sender);

        notifier.send(GAVE_UP);
        drain();

        assertThat(tools.calls()).singleElement().satisfies(call -> assertThat(call.environment())
                .containsEntry("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + runtime.resolve("bus")));
    }

    @Test
    void withoutASessionBusNothingRuns() throws InterruptedException {
        // notify-send would start a bus of its own, with no notification server on it.
        DesktopNotifier notifier = new DesktopNotifier(true, Map.of("DISPLAY", ":0"), null, tools, sender);

        notifier.send(GAVE_UP);
        drain();

        assertThat(tools.calls()).isEmpty();
    }

    @Test
    void elsewhereItOnlyLogs() throws InterruptedException {
        DesktopNotifier notifier = new DesktopNotifier(false, SESSION, null, tools, sender);

        notifier.send(GAVE_UP);
        drain();

        assertThat(tools.calls()).isEmpty();
    }

    @Test
    void afterCloseSendingIsHarmless() {
        DesktopNotifier notifier = new DesktopNotifier(true, SESSION, null, tools, sender);
        notifier.close();

        notifier.send(GAVE_UP);

        assertThat(tools.calls()).isEmpty();
    }

    /** Waits until every notification sent so far went through the sender thread. */
    private void drain() throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        sender.execute(done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
