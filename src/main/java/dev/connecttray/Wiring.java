package dev.connecttray;

import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.ProcessControl;
import dev.connecttray.core.Scheduler;
import dev.connecttray.core.Threads;
import dev.connecttray.receiver.ReceiverService;
import dev.connecttray.supervisor.NetworkWatcher;
import dev.connecttray.supervisor.ResumeWatcher;
import dev.connecttray.supervisor.SupervisorService;
import dev.connecttray.tray.Autostart;
import dev.connecttray.tray.DesktopNotifier;
import dev.connecttray.tray.FolderOpener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The runtime parts each service runs on, made in one place: the clocks, the threads, the watchers
 * and the process's signals and halts. {@link Main} reads the command line and the configuration,
 * then builds the services with these.
 */
final class Wiring {
    private Wiring() {
    }

    /** The process's stop signals ({@link Signals}) and halts ({@link ProcessExit}). */
    static final ProcessControl PROCESS = new ProcessControl() {
        @Override
        public void onTerminate(Consumer<String> handler) {
            Signals.onTerminate(handler);
        }

        @Override
        public boolean stopping() {
            return Signals.stopping();
        }

        @Override
        public void haltAfterSignal(Duration delay) {
            Signals.haltAfter(delay);
        }

        @Override
        public void armHalt(ExitStatus status, Duration delay) {
            ProcessExit.armHalt(status, delay);
        }
    };

    /** The supervisor on {@code supervisorThread}, with the system clocks and this machine's watchers. */
    static SupervisorService.Context supervisor(Scheduler supervisorThread) {
        return new SupervisorService.Context(supervisorThread, Clock.systemUTC(), System::nanoTime,
                ZoneId.systemDefault(), Wiring::watchThisMachine, PROCESS);
    }

    /**
     * The network and sleep watchers. Both poll on a thread of their own, so a busy supervisor never
     * delays them (nor they it).
     */
    private static AutoCloseable watchThisMachine(SupervisorService.WorldChanges changes) {
        ExecutorScheduler watchers = new ExecutorScheduler("world-watchers");
        NetworkWatcher network = NetworkWatcher.forThisMachine(watchers, PROCESS::stopping,
                changes::networkChanged);
        ResumeWatcher resume = new ResumeWatcher(watchers, Clock.systemUTC(), System::nanoTime,
                ResumeWatcher.DEFAULT_POLL_INTERVAL, ResumeWatcher.DEFAULT_THRESHOLD, changes::wokeUp);
        network.start();
        resume.start();
        return () -> {
            try (watchers; network; resume) {
                // closed in reverse order: the two watchers, then their thread
            }
        };
    }

    /** The receiver on {@code loopThread}: each connection attempt and the command reader on threads of their own. */
    static ReceiverService.Context receiver(Scheduler loopThread) {
        ThreadFactory attempts = Threads.numbered("connect-attempt");
        Executor attempt = task -> attempts.newThread(task).start();
        Executor reader = task -> Threads.start("command-reader", task);
        return new ReceiverService.Context(loopThread, Clock.systemUTC(), attempt, reader,
                ProcessHandle.current().pid(), ReceiverService.heartbeatInterval(), PROCESS);
    }

    /** Tray mode on {@code trayThread}, with this installation's "Start at login" and the desktop's notifications. */
    static TrayMode.Context tray(Scheduler trayThread, DesktopNotifier notifier) {
        return new TrayMode.Context(Clock.systemUTC(), trayThread,
                Autostart.forCurrentOs(Autostart.appLauncher().orElse(null)), notifier::send, FolderOpener.forCurrentOs());
    }

    /** The desktop's notifications, with the app's icon where the installation has one. */
    static DesktopNotifier notifier() {
        Optional<Path> launcher = Autostart.appLauncher();
        return DesktopNotifier.forCurrentOs(launcher.flatMap(Autostart::appImageIcon).orElse(null));
    }
}
