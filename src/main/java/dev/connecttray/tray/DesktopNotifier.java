package dev.connecttray.tray;

import dev.connecttray.core.Threads;
import dev.connecttray.os.CommandRunner;
import dev.connecttray.os.Platform;
import dev.connecttray.view.NotificationPolicy.Notification;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a {@link Notification} on the desktop. On Linux through {@code notify-send} (libnotify),
 * on its own daemon thread so the caller never waits for the notification server. Elsewhere it
 * only logs: Windows and macOS notifications are a later issue.
 */
public final class DesktopNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DesktopNotifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final boolean linux;
    private final Map<String, String> env;
    private final Path icon;
    private final CommandRunner runner;
    private final ExecutorService sender;
    private volatile boolean toolMissing;

    DesktopNotifier(boolean linux, Map<String, String> env, Path icon, CommandRunner runner, ExecutorService sender) {
        this.linux = linux;
        this.env = Map.copyOf(env);
        this.icon = icon;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** @param icon a PNG to show with each notification, or null for none */
    public static DesktopNotifier forCurrentOs(Path icon) {
        boolean linux = Platform.current().isLinux();
        return new DesktopNotifier(linux, System.getenv(), icon, CommandRunner.PROCESSES,
                Executors.newSingleThreadExecutor(Threads.factory("connect-tray-notifier")));
    }

    /** Shows {@code notification} soon; never blocks and never throws for a failed delivery. */
    public void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        if (!linux || toolMissing) {
            // The log is the only place it shows.
            log.info("{}: {}", notification.title(), notification.body());
            return;
        }
        log.debug("Notification: {}: {}", notification.title(), notification.body());
        try {
            sender.execute(() -> deliver(notification));
        } catch (RejectedExecutionException e) {
            log.debug("Notification dropped, the notifier is closed: {}", notification.title());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    private void deliver(Notification notification) {
        String bus = TrayHost.sessionBusAddress(env);
        if (bus == null) {
            // notify-send would "autolaunch" a bus of its own, with no notification server on it.
            log.debug("No session bus; the notification was only logged");
            return;
        }
        try {
            CommandRunner.Result result = runner.run(command(notification), Map.of("DBUS_SESSION_BUS_ADDRESS", bus), TIMEOUT);
            if (result.timedOut()) {
                log.debug("notify-send did not finish within {} s", TIMEOUT.toSeconds());
            } else if (!result.succeeded()) {
                log.debug("notify-send failed with exit code {}: {}", result.exitCode(), result.output().strip());
            }
        } catch (IOException e) {
            toolMissing = true;
            log.debug("Cannot run notify-send ({}); desktop notifications are only logged from now on", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The notify-send command line; {@code --} so that a title starting with "-" is no option. */
    List<String> command(Notification notification) {
        List<String> command = new ArrayList<>(List.of("notify-send", "--app-name=Connect Tray"));
        if (icon != null) command.add("--icon=" + icon);
        command.add("--");
        command.add(notification.title());
        command.add(notification.body());
        return command;
    }
}
