package dev.connecttray;

import dev.connecttray.config.AppPaths;
import dev.connecttray.config.ConfigExample;
import dev.connecttray.config.Settings;
import dev.connecttray.core.ConnectionState;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.core.Scheduler;
import dev.connecttray.core.Threads;
import dev.connecttray.core.Threads;
import dev.connecttray.supervisor.Supervision;
import dev.connecttray.tray.Autostart;
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
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 *
 * <p>One thread owns the tray ({@link Context#trayThread}): every menu is built and handed to the
 * tray there, so a menu built from an older state can never be drawn over a newer one; the picks
 * that do something slow run there too.
 */
final class TrayMode {
    private static final Logger LOG = LoggerFactory.getLogger(TrayMode.class);
    /** How often countdowns and durations are redrawn between state changes. */
    static final Duration TICK = Duration.ofSeconds(1);

    /**
     * What tray mode runs on, made by the composition root.
     *
     * @param clock         the wall clock, for countdowns and notifications
     * @param trayThread    the thread that owns the tray: its menus, its ticks, the menu's slow picks
     * @param autostart     "Start at login", where this installation can offer it
     * @param notifications where desktop notifications go
     * @param folderOpener  opens folders and links in the desktop's own programs
     */
    record Context(Clock clock, Scheduler trayThread, Optional<Autostart> autostart,
                   Consumer<NotificationPolicy.Notification> notifications, FolderOpener folderOpener) {
    }

    private final Supervision supervisor;
    private final Settings settings;
    private final AppPaths paths;
    private final Path configFile;
    private final Optional<TrayView> tray;
    private final Optional<Autostart> autostart;
    private final Clock clock;
    private final NotificationPolicy notifications;
    private final Consumer<NotificationPolicy.Notification> notifier;
    private final FolderOpener folderOpener;
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(new ConnectionState.Starting());
    private final Scheduler trayThread;
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
    TrayMode(Supervision supervisor, Settings settings, AppPaths paths, Path configFile, Optional<TrayView> tray,
             Optional<SoloistSetup> soloistSetup, Context context) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.paths = paths;
        this.configFile = configFile;
        this.tray = tray;
        this.notifications = new NotificationPolicy(settings.auth().mode() == dev.connecttray.config.AuthMode.STORED);
        this.clock = context.clock();
        this.trayThread = context.trayThread();
        this.autostart = context.autostart();
        this.notifier = context.notifications();
        this.folderOpener = context.folderOpener();
        this.soloist = soloistSetup.map(setup -> new SoloistPrompts(setup, folderOpener::browse, trayThread::execute));
    }

    /** JavaFX goes on after {@link #run} returns: for tests that share the toolkit with others. */
    TrayMode keepingJavaFx() {
        endJavaFx = false;
        return this;
    }

    ExitStatus run() throws InterruptedException {
        tray.ifPresent(t -> {
            t.onAction(this::act);
            trayThread.execute(() -> {
                refreshTray(false);
                // The first image went to the tray: the icon shows now (not before, see PendingTray).
                LOG.info("Tray icon up ({} backend)", t instanceof DorkboxTray d ? d.backend() : t.getClass().getSimpleName());
            });
        });
        if (tray.isEmpty()) {
            LOG.info("No tray host on this display; showing the status window instead");
            showWindow();
        }
        supervisor.observe(this::stateChanged);
        // Countdowns and durations move on between state changes: redraw while they do.
        Scheduler.Cancellable ticking = trayThread.every(TICK, this::tick);
        try {
            return supervisor.run();
        } finally {
            ticking.cancel();
            tray.ifPresent(TrayView::close);
            if (endJavaFx && FxPlatform.started()) Platform.exit();
        }
    }

    private void stateChanged(ConnectionState s) {
        state.set(s);
        trayThread.execute(() -> refreshTray(false));
        StatusWindow w = window;
        if (w != null) w.update(s, supervisor.history());
        notifications.onState(s, clock.instant()).ifPresent(notifier);
        // Spotify Soloist waits for the user's consent to download it: asked once a session, over
        // the status window, which then shows the failure and offers the question again.
        soloist.ifPresent(p -> {
            if (p.claimQuestion(s)) {
                trayThread.execute(() -> withWindow(win -> p.askConsent(win.stage()), "ask about downloading Spotify Soloist"));
            }
        });
    }

    /** Ticks so far; on the tray's thread only. */
    private long ticks;
    /** The menu last handed to the tray; on the tray's thread only. */
    private TrayMenu shown;

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

    /**
     * Builds the menu from the latest state and hands it to the tray; on the tray's thread only.
     *
     * @param onlyIfChanged skip a menu equal to the last one shown (never after a pick: a check box toggles itself) */
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
     * for the JavaFX thread where the tray library does its GTK work) goes to the tray's thread,
     * so that nothing slow ever holds up the next pick or the JavaFX thread.
     */
    private void act(TrayMenu.Action action) {
        LOG.info("Tray menu: {}", action.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (action == TrayMenu.Action.SHOW_STATUS) {
            showWindow();
        } else {
            trayThread.execute(() -> carryOut(action));
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
                refreshTray(false);
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
                // auth.mode is the embedded engine's; an external engine keeps the login a Spotify app gives it.
                String login = settings.engine().kind() == dev.connecttray.config.EngineKind.EMBEDDED
                        ? settings.auth().mode().name().toLowerCase(Locale.ROOT)
                        : "kept by " + settings.engine().kind().displayName() + " (pick the device in a Spotify app)";
                window = new StatusWindow(new StatusWindow.Info(settings.deviceName(), login, configFile,
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

    /** A request from the window, on the JavaFX thread: carried out on the tray's thread, or here for the questions. */
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
        trayThread.execute(() -> {
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
        Threads.start("bring-forward", this::showWindow);
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
            notifier.accept(new NotificationPolicy.Notification("Could not open the " + what,
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
            Threads.start("tray-start", () -> {
                try {
                    pending.result.complete(startTray());
                } catch (Throwable e) {
                    pending.result.completeExceptionally(e);
                }
            });
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
