package dev.connecttray;

import dev.connecttray.config.AppPaths;
import dev.connecttray.config.ConfigExample;
import dev.connecttray.config.Settings;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.supervisor.SupervisorMain;
import dev.connecttray.tray.Autostart;
import dev.connecttray.tray.DesktopNotifier;
import dev.connecttray.tray.DorkboxTray;
import dev.connecttray.tray.FolderOpener;
import dev.connecttray.view.NotificationPolicy;
import dev.connecttray.view.StateText;
import dev.connecttray.view.TrayMenu;
import dev.connecttray.view.TrayMenuBuilder;
import dev.connecttray.tray.TrayView;
import dev.connecttray.ui.FxPlatform;
import dev.connecttray.ui.SoloistPrompts;
import dev.connecttray.ui.SoloistSetup;
import dev.connecttray.ui.StatusWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tray mode's user interface around the supervisor: the tray icon and its menu (or, on a display
 * without a tray host, the status window in its place), the status window, notifications and
 * "Start at login". The supervisor does the work; this only shows it and passes requests on.
 */
final class TrayMode {
    private static final Logger LOG = LoggerFactory.getLogger(TrayMode.class);

    private final SupervisorMain supervisor;
    private final Settings settings;
    private final AppPaths paths;
    private final Path configFile;
    private final Optional<TrayView> tray;
    private final Optional<Autostart> autostart;
    private final Clock clock = Clock.systemUTC();
    private final NotificationPolicy notifications;
    private final DesktopNotifier notifier;
    private final FolderOpener folderOpener = FolderOpener.forCurrentOs();
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(new ConnectionState.Starting());
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tray-ticker");
        t.setDaemon(true);
        return t;
    });
    private volatile StatusWindow window;
    /** JavaFX ends with the app, unless it is shared with others (tests). */
    private volatile boolean endJavaFx = true;
    /** The questions about Spotify Soloist, where the composition root has somewhere to send the answers. */
    private final Optional<SoloistPrompts> soloist;

    /**
     * @param soloistSetup where the answers to the Spotify Soloist questions go (the download
     *                     consent, the API key); empty where there is nowhere to send them, and then
     *                     nothing is asked
     */
    TrayMode(SupervisorMain supervisor, Settings settings, AppPaths paths, Path configFile, Optional<TrayView> tray,
             Optional<SoloistSetup> soloistSetup) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.paths = paths;
        this.configFile = configFile;
        this.tray = tray;
        this.notifications = new NotificationPolicy(settings.auth().mode() == dev.connecttray.config.AuthMode.STORED);
        Optional<Path> launcher = Autostart.appLauncher();
        this.autostart = Autostart.forCurrentOs(launcher.orElse(null));
        this.notifier = DesktopNotifier.forCurrentOs(launcher.flatMap(Autostart::appImageIcon).orElse(null));
        this.soloist = soloistSetup.map(setup -> new SoloistPrompts(setup, folderOpener::browse, ticker));
    }

    /** JavaFX goes on after {@link #run} returns: for tests that share the toolkit with others. */
    TrayMode keepingJavaFx() {
        endJavaFx = false;
        return this;
    }

    ExitStatus run() throws InterruptedException {
        tray.ifPresent(t -> {
            t.onAction(this::act);
            refreshTray();
            // The first image went to the tray: the icon shows now (not before, see PendingTray).
            LOG.info("Tray icon up ({} backend)", t instanceof DorkboxTray d ? d.backend() : t.getClass().getSimpleName());
        });
        if (tray.isEmpty()) {
            LOG.info("No tray host on this display; showing the status window instead");
            showWindow();
        }
        supervisor.observe(this::stateChanged);
        // Countdowns and durations move on between state changes: redraw while they do.
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        try {
            return supervisor.run();
        } finally {
            ticker.shutdownNow();
            notifier.close();
            tray.ifPresent(TrayView::close);
            if (endJavaFx && FxPlatform.started()) Platform.exit();
        }
    }

    private void stateChanged(ConnectionState s) {
        state.set(s);
        refreshTray();
        StatusWindow w = window;
        if (w != null) w.update(s, supervisor.history());
        notifications.onState(s, clock.instant()).ifPresent(notifier::send);
        // Spotify Soloist waits for the user's consent to download it: asked once a session, over
        // the status window, which then shows the failure and offers the question again.
        soloist.ifPresent(p -> {
            if (p.claimQuestion(s)) {
                ticker.execute(() -> withWindow(win -> p.askConsent(win.stage()), "ask about downloading Spotify Soloist"));
            }
        });
    }

    private long ticks;
    /** The menu last handed to the tray; written by whichever thread refreshes. */
    private volatile TrayMenu shown;

    /**
     * Every second: a countdown may need a redraw now; "Connected as alice · 2 h 13 min" once in a
     * while. Only a menu that differs from the one on screen reaches the tray: the countdown moves
     * in steps (see {@link TrayMenuBuilder}), and each redraw costs calls into the desktop's tray.
     */
    private void tick() {
        ConnectionState s = state.get();
        boolean countdown = StateText.countdownTo(s) != null;
        if (countdown || ++ticks % 20 == 0) refreshTray(true);
    }

    private void refreshTray() {
        refreshTray(false);
    }

    /** @param onlyIfChanged skip a menu equal to the last one shown (never after a pick: a check box toggles itself) */
    private void refreshTray(boolean onlyIfChanged) {
        tray.ifPresent(t -> {
            try {
                Boolean startAtLogin = autostart.map(Autostart::isEnabled).orElse(null);
                TrayMenu menu = TrayMenuBuilder.build(state.get(), clock.instant(), startAtLogin,
                        supervisor.engine().kind(), supervisor.engine().describe());
                if (onlyIfChanged && menu.equals(shown)) return;
                shown = menu;
                t.show(menu);
            } catch (RuntimeException e) {
                LOG.warn("Could not update the tray icon: {}", e.toString());
                LOG.debug("Stack trace", e);
            }
        });
    }

    /**
     * A picked menu entry, on the tray library's dispatch thread. Showing the window only queues
     * work for the JavaFX thread; the rest (a file, a process, the tray's own update, which waits
     * for the JavaFX thread where the tray library does its GTK work) goes to the ticker's thread,
     * so that nothing slow ever holds up the next pick or the JavaFX thread.
     */
    private void act(TrayMenu.Action action) {
        LOG.info("Tray menu: {}", action.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (action == TrayMenu.Action.SHOW_STATUS) {
            showWindow();
        } else {
            ticker.execute(() -> carryOut(action));
        }
    }

    private void carryOut(TrayMenu.Action action) {
        switch (action) {
            case RECONNECT -> supervisor.reconnectNow();
            case SHOW_STATUS -> showWindow();
            case OPEN_LOG_FOLDER -> open(paths.logDir(), "log folder");
            case TOGGLE_START_AT_LOGIN -> autostart.ifPresent(a -> {
                try {
                    a.setEnabled(!a.isEnabled());
                } catch (IOException e) {
                    LOG.warn("Could not change \"Start at login\": {}", e.getMessage());
                }
                refreshTray();
            });
            case QUIT -> supervisor.quit();
        }
    }

    /** Shows the status window, made the first time; JavaFX has started with the tray (or starts now, without one). */
    private void showWindow() {
        StatusWindow w = window;
        if (w != null) {
            w.show();
            return;
        }
        try {
            FxPlatform.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("Cannot open the status window: {}", e.getMessage());
            return;
        }
        Platform.runLater(() -> {
            if (window == null) {
                window = new StatusWindow(new StatusWindow.Info(settings.deviceName(),
                        settings.auth().mode().name().toLowerCase(Locale.ROOT), configFile,
                        supervisor.engine()::describe), this::request, clock);
                window.update(state.get(), supervisor.history());
                if (tray.isEmpty()) window.quitOnClose();
            }
            window.show();
        });
    }

    /**
     * Shows the status window, then does {@code action} with it on the JavaFX thread; where JavaFX
     * cannot run, says in the log that {@code what} could not be done.
     */
    private void withWindow(Consumer<StatusWindow> action, String what) {
        showWindow();
        if (!FxPlatform.started()) {
            LOG.warn("Could not {}: the status window cannot open here", what);
            return;
        }
        // After showWindow's own runLater, which makes the window the first time.
        Platform.runLater(() -> {
            StatusWindow w = window;
            if (w != null) action.accept(w);
        });
    }

    /** A request from the window, on the JavaFX thread: carried out on the ticker's thread, or here for the questions. */
    private void request(StatusWindow.Request r) {
        if (r == StatusWindow.Request.SOLOIST_CONSENT || r == StatusWindow.Request.SOLOIST_API_KEY) {
            StatusWindow w = window;
            if (soloist.isEmpty() || w == null) {
                LOG.warn("The Spotify Soloist set-up is not available in this window");
            } else if (r == StatusWindow.Request.SOLOIST_CONSENT) {
                soloist.get().askConsent(w.stage());
            } else {
                soloist.get().enterApiKey(w.stage());
            }
            return;
        }
        ticker.execute(() -> {
            switch (r) {
                case RECONNECT -> supervisor.reconnectNow();
                case QUIT -> supervisor.quit();
                case OPEN_CONFIG_FOLDER -> openConfigFolder();
                case QUIT_ON_CLOSE -> {
                    LOG.info("The status window was closed; with no tray on this desktop that quits Connect Tray");
                    supervisor.quit();
                }
                case SOLOIST_CONSENT, SOLOIST_API_KEY -> throw new IllegalStateException("answered on the JavaFX thread");
            }
        });
    }

    /**
     * Another launch asked for the window (through the state folder's control channel): shows it
     * and brings it to the front. Returns at once; the window may need JavaFX started first.
     */
    void bringForward() {
        Thread t = new Thread(this::showWindow, "bring-forward");
        t.setDaemon(true);
        t.start();
    }

    /** The config folder, with an example config in it for the user to start from. */
    private void openConfigFolder() {
        try {
            for (Path written : ConfigExample.writeNextTo(configFile)) LOG.info("Wrote the example config {}", written);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the example config next to {}: {}", configFile, e.getMessage());
        }
        open(configFile.toAbsolutePath().getParent(), "config folder");
    }

    /**
     * Opens a folder in the desktop's file manager; when that fails (the log says how), the status
     * window, brought forward, says so and where the folder is, and so does a notification: the
     * window is what the user sees where no notification service runs.
     */
    private void open(Path folder, String what) {
        folderOpener.open(folder).thenAccept(outcome -> {
            if (outcome.opened()) {
                StatusWindow w = window;
                if (w != null) w.folderOpened();
                return;
            }
            notifier.send(new NotificationPolicy.Notification("Could not open the " + what,
                    "No file manager opened it. The " + what + " is " + folder));
            showWindow();
            try {
                // After showWindow's own runLater, which makes the window the first time.
                Platform.runLater(() -> {
                    StatusWindow w = window;
                    if (w != null) w.folderNotOpened(what, folder, outcome.failure());
                });
            } catch (IllegalStateException e) {
                LOG.warn("Cannot say in the status window that the {} did not open: {}", what, e.getMessage());
            }
        });
    }

    /**
     * The tray, when this display has a host for it. JavaFX first (begun by
     * {@link FxPlatform#startInBackground}): the tray library then runs on JavaFX's GTK main loop
     * instead of starting a second one (see {@code JavaFxGtkRenderer}). While JavaFX starts, this
     * thread asks for the tray host and lets the tray library detect the desktop.
     */
    static Optional<TrayView> startTray() {
        FxPlatform.startInBackground();
        if (!dev.connecttray.tray.TrayHost.present()) return Optional.empty();
        DorkboxTray.prepare();
        boolean onJavaFx;
        try {
            FxPlatform.start();
            onJavaFx = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("JavaFX cannot run here, so the status window cannot open: {}", e.toString());
            onJavaFx = false;
        }
        Optional<DorkboxTray> tray = DorkboxTray.start("Connect Tray", onJavaFx);
        if (tray.isPresent()) {
            LOG.debug("Tray library started ({} backend); the icon shows with its first image", tray.get().backend());
        } else {
            LOG.warn("The tray library found no way to show an icon on this display");
        }
        return tray.map(t -> t);
    }

    /**
     * The tray, started on a thread of its own while the app reads its configuration and takes the
     * state folder: JavaFX, GTK and the tray library take most of a launch, and none of it needs
     * the configuration. Nothing shows before the tray's first {@link TrayView#show} (each of the
     * tray library's backends shows the icon with its first image), so a start that ends early
     * (an unusable configuration, another instance) {@link #discard}s it unseen.
     */
    static final class PendingTray {
        /** How long a discarded tray may take to finish starting before it is left to the exit. */
        private static final long DISCARD_WAIT_SECONDS = 10;
        private final CompletableFuture<Optional<TrayView>> result = new CompletableFuture<>();
        private final AtomicBoolean taken = new AtomicBoolean();

        private PendingTray() {
        }

        /** Begins starting JavaFX and the tray now, from a thread of its own (this one goes on at once). */
        static PendingTray begin() {
            PendingTray pending = new PendingTray();
            Thread t = new Thread(() -> {
                try {
                    pending.result.complete(startTray());
                } catch (Throwable e) {
                    pending.result.completeExceptionally(e);
                }
            }, "tray-start");
            t.setDaemon(true);
            t.start();
            return pending;
        }

        /** Waits for the tray; empty without a tray host or when the tray library found none. Once. */
        Optional<TrayView> await() throws InterruptedException {
            if (!taken.compareAndSet(false, true)) throw new IllegalStateException("the tray was taken already");
            try {
                return result.get();
            } catch (ExecutionException e) {
                LOG.warn("The tray could not start: {}", e.getCause().toString());
                LOG.debug("Stack trace", e.getCause());
                return Optional.empty();
            }
        }

        /** The tray is not needed after all: it is closed once started, never shown. Harmless once taken. */
        void discard() {
            if (!taken.compareAndSet(false, true)) return;
            try {
                result.get(DISCARD_WAIT_SECONDS, TimeUnit.SECONDS).ifPresent(TrayView::close);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("The unused tray did not start cleanly: {}", e.toString());
            }
        }
    }
}
