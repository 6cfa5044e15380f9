package dev.connecttray.tray;

import dev.connecttray.os.Platform;
import dev.connecttray.view.TrayMenu;
import dev.connecttray.view.TrayMenuBuilder;
import dev.connecttray.desktop.GtkEnvironment;
import dorkbox.systemTray.Checkbox;
import dorkbox.systemTray.Entry;
import dorkbox.systemTray.Menu;
import dorkbox.systemTray.MenuItem;
import dorkbox.systemTray.Separator;
import dorkbox.systemTray.SystemTray;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tray icon and its menu through dorkbox SystemTray (GtkStatusIcon or AppIndicator on Linux,
 * the native tray on Windows and macOS). The only class that knows dorkbox.
 */
public final class DorkboxTray implements TrayView {
    private static final Logger log = LoggerFactory.getLogger(DorkboxTray.class);
    static final int MAX_TOOLTIP = TrayMenuBuilder.TOOLTIP_MAX;

    private final SystemTray tray;
    private final int iconSize;
    private volatile Consumer<TrayMenu.Action> handler =
            action -> log.debug("Tray menu: {} picked before anyone listened", action);

    // Guarded by this: what is on screen, and the dorkbox entry for each of shown's items.
    private TrayMenu shown;
    private final List<Entry> entries = new ArrayList<>();
    private boolean closed;

    private DorkboxTray(SystemTray tray) {
        this.tray = tray;
        this.iconSize = Math.max(16, tray.getTrayImageSize());
    }

    /**
     * Starts dorkbox's tray. Empty when dorkbox finds none; ask {@link TrayHost#present()} first,
     * because on Linux it finds one even when nothing will show it.
     *
     * @param tooltipTitle the tray's name and its tooltip until the first {@link #show}
     */
    public static Optional<DorkboxTray> start(String tooltipTitle) {
        return start(tooltipTitle, false);
    }

    /**
     * Starts dorkbox's tray; with {@code onJavaFx}, on the GTK main loop JavaFX already runs (see
     * {@link JavaFxGtkRenderer}): menu picks then reach {@link #onAction}'s handler on the JavaFX
     * Application Thread.
     *
     * @param onJavaFx JavaFX has started in this process (on Linux, GTK's main loop runs on its thread)
     */
    public static Optional<DorkboxTray> start(String tooltipTitle, boolean onJavaFx) {
        Objects.requireNonNull(tooltipTitle, "tooltipTitle");
        SystemTray tray;
        try {
            tray = Library.systemTray(tooltipTitle, onJavaFx);
        } catch (RuntimeException | LinkageError e) {
            log.warn("The tray library failed to start: {}", e.toString());
            log.debug("Stack trace", e);
            return Optional.empty();
        }
        if (tray == null) {
            log.debug("dorkbox SystemTray found no tray to use");
            return Optional.empty();
        }
        tray.setTooltip(tooltip(tooltipTitle));
        DorkboxTray view = new DorkboxTray(tray);
        log.debug("Tray: dorkbox SystemTray {} with its {} backend, icons {} px", SystemTray.getVersion(),
                view.backend(), view.iconSize);
        return Optional.of(view);
    }

    /**
     * Does ahead of {@link #start} what dorkbox's start would otherwise do on the way to the icon
     * without needing GTK: the library's set-up in {@link Library}, and its desktop detection, which
     * on Linux runs {@code ps}, {@code plasmashell --version} and {@code id -u} (each answered once
     * per process, in {@code dorkbox.os.OS}: dorkbox then finds the answers). Meant for a thread of
     * its own while JavaFX starts; nothing of it shows anything. Where the tray type is chosen here
     * (as root, without a session bus) dorkbox asks only for the desktop's name.
     */
    public static void prepare() {
        if (!Platform.current().isLinux()) return;
        try {
            boolean detects = Library.chosenType().isEmpty();
            dorkbox.os.OS.DesktopEnv.INSTANCE.getEnv();
            if (detects) {
                dorkbox.os.OS.DesktopEnv.INSTANCE.isChromeOS();
                dorkbox.os.OS.Linux.INSTANCE.isRoot();
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("The tray library's desktop detection failed ahead of its start: {}", e.toString());
        }
    }

    /** The dorkbox backend in use ({@code Gtk}, {@code AppIndicator}, {@code Swing}, ...), for logs and tests. */
    public String backend() {
        return String.valueOf(tray.getType());
    }

    @Override
    public synchronized void show(TrayMenu menu) {
        Objects.requireNonNull(menu, "menu");
        if (closed) return;
        if (shown == null || shown.icon() != menu.icon()) tray.setImage(Icons.url(menu.icon(), iconSize));
        if (shown == null || !shown.tooltip().equals(menu.tooltip())) tray.setTooltip(tooltip(menu.tooltip()));
        if (shown != null && sameShape(shown.items(), menu.items())) {
            for (int i = 0; i < entries.size(); i++) update(entries.get(i), menu.items().get(i));
        } else {
            rebuild(menu.items());
        }
        shown = menu;
    }

    @Override
    public void onAction(Consumer<TrayMenu.Action> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        tray.shutdown();
    }

    /**
     * dorkbox refuses a tooltip over 64 characters (the lowest limit of its backends). The tray's
     * tooltips are built to fit (TrayMenuBuilder: the short headline); one that does not is cut
     * here, where the cut shows.
     */
    static String tooltip(String text) {
        return text.length() <= MAX_TOOLTIP ? text : text.substring(0, MAX_TOOLTIP - 1) + "\u2026";
    }

    /** Same kinds of item in the same order, each entry with the same action: only texts and flags differ. */
    static boolean sameShape(List<TrayMenu.Item> a, List<TrayMenu.Item> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!shape(a.get(i)).equals(shape(b.get(i)))) return false;
        }
        return true;
    }

    private static String shape(TrayMenu.Item item) {
        if (item instanceof TrayMenu.Entry e) return "entry " + e.action();
        if (item instanceof TrayMenu.Check c) return "check " + c.action();
        if (item instanceof TrayMenu.Status) return "status";
        if (item instanceof TrayMenu.Separator) return "separator";
        throw new IllegalArgumentException("unknown menu item " + item);
    }

    private void rebuild(List<TrayMenu.Item> items) {
        Menu menu = tray.getMenu();
        for (Entry old : entries) menu.remove(old);
        entries.clear();
        for (TrayMenu.Item item : items) entries.add(menu.add(create(item)));
    }

    private Entry create(TrayMenu.Item item) {
        if (item instanceof TrayMenu.Status s) {
            MenuItem line = new MenuItem(s.text());
            line.setEnabled(false);
            return line;
        }
        if (item instanceof TrayMenu.Entry e) {
            MenuItem entry = new MenuItem(e.label(), event -> fire(e.action()));
            entry.setEnabled(e.enabled());
            return entry;
        }
        if (item instanceof TrayMenu.Check c) {
            Checkbox check = new Checkbox(c.label(), event -> fire(c.action()));
            check.setChecked(c.checked());
            return check;
        }
        if (item instanceof TrayMenu.Separator) return new Separator();
        throw new IllegalArgumentException("unknown menu item " + item);
    }

    /**
     * Brings an entry of the same shape up to date, touching only what changed. Compares with the
     * entry rather than the last menu: a check box toggles itself when clicked, and must go back
     * when the toggle it asked for failed.
     */
    private static void update(Entry entry, TrayMenu.Item item) {
        if (item instanceof TrayMenu.Status s) {
            MenuItem line = (MenuItem) entry;
            if (!s.text().equals(line.getText())) line.setText(s.text());
        } else if (item instanceof TrayMenu.Entry e) {
            MenuItem menuItem = (MenuItem) entry;
            if (!e.label().equals(menuItem.getText())) menuItem.setText(e.label());
            if (e.enabled() != menuItem.getEnabled()) menuItem.setEnabled(e.enabled());
        } else if (item instanceof TrayMenu.Check c) {
            Checkbox check = (Checkbox) entry;
            if (!c.label().equals(check.getText())) check.setText(c.label());
            if (c.checked() != check.getChecked()) check.setChecked(c.checked());
        }
    }

    private void fire(TrayMenu.Action action) {
        try {
            handler.accept(action);
        } catch (RuntimeException e) {
            // dorkbox's event thread must live on: the next pick has to work too.
            log.warn("The tray menu's {} failed: {}", action, e.toString());
            log.debug("Stack trace", e);
        }
    }

    /**
     * The way in to dorkbox, whose initialiser runs before any dorkbox class initialises.
     *
     * <p>dorkbox's {@code dorkbox.updates.Updates} class sends the library versions and a random id
     * to dorkbox's server from a background thread, unless {@code dorkbox.updates.Updates.ENABLE} is
     * "false" when that class initialises (it reads it once). The packaged launcher sets it in
     * jpackage.cfg; a run without the launcher (an IDE, the tests, {@code java -jar}) would not.
     *
     * <p>GTK takes every string as UTF-8, but JNA encodes strings in the locale's charset: under the
     * C locale (a bare systemd unit, {@code env -i}) "Show status…" reached the menu as "Show
     * status?". dorkbox binds GTK when the tray starts, so setting JNA's default first is enough
     * ({@link GtkEnvironment#prepare}, with the rest of what GTK reads at start).
     *
     * <p>dorkbox warns at every start as root ("likely NOT WORK because of dbus restrictions",
     * then picks Swing): as root Swing is chosen here, which is what dorkbox would do. Without a
     * session bus ({@link GtkEnvironment}) AppIndicator cannot work (it is a D-Bus protocol) and
     * GtkStatusIcon is chosen. A type the user forced ({@code -Ddorkbox.systemTray.SystemTray.FORCE_TRAY_TYPE})
     * stands. Its other start-up warnings (no tooltips, please; the tray's image size guessed) are
     * kept out of the log by the logging set-up, unless debug logs are asked for.
     *
     * <p>dorkbox keeps the tray images it resized in {@code java.io.tmpdir}, read once when
     * {@code dorkbox.os.OS} initialises (a shared {@code /tmp/Connect TrayCache_<user>}): that class
     * initialises here with the app's cache folder as {@code java.io.tmpdir}, which is then set back.
     */
    private static final class Library {
        static {
            System.setProperty("dorkbox.updates.Updates.ENABLE", "false");
            GtkEnvironment.prepare();
            useCacheFolder(cacheFolder(Platform.current(), System.getenv(), System.getProperty("user.home", "")));
        }

        /** How long the tray library's start may take on the JavaFX thread. */
        private static final long START_TIMEOUT_SECONDS = 30;

        private Library() {
        }

        static SystemTray systemTray(String name, boolean onJavaFx) {
            if (onJavaFx) dorkbox.jna.rendering.RenderProvider.set(new JavaFxGtkRenderer());
            chosenType().ifPresent(type -> {
                        if (SystemTray.FORCE_TRAY_TYPE == SystemTray.TrayType.AutoDetect) SystemTray.FORCE_TRAY_TYPE = type;
                    });
            if (!onJavaFx) return SystemTray.get(name);
            return onJavaFxThread(() -> SystemTray.get(name));
        }

        /**
         * Runs dorkbox's start on the JavaFX thread, its GTK event thread here. From any other
         * thread dorkbox waits for its GTK work to be done with a loop that sleeps 100 ms before it
         * looks ({@code GtkEventDispatch.waitForEventsToComplete}: on Linux once in
         * {@code SystemTray.get}, and again in the GTK and AppIndicator trays' constructors),
         * although under JavaFX its work is done already when it looks: 0.1 to 0.2 s of a launch.
         * On the event thread it runs its GTK work at once and does not wait. The Swing tray (as
         * root) builds its Swing parts on the AWT thread itself, as from any other thread.
         */
        private static SystemTray onJavaFxThread(java.util.function.Supplier<SystemTray> start) {
            java.util.concurrent.CompletableFuture<SystemTray> result = new java.util.concurrent.CompletableFuture<>();
            javafx.application.Platform.runLater(() -> {
                try {
                    result.complete(start.get());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            try {
                return result.get(START_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the tray library started", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the tray library did not start within " + START_TIMEOUT_SECONDS + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }

        /** The type chosen here over dorkbox's detection, if any (see {@link DorkboxTray#trayType}). */
        static Optional<SystemTray.TrayType> chosenType() {
            return trayType(Platform.current(), isRoot(), GtkEnvironment.hasSessionBus(System.getenv()));
        }

        private static void useCacheFolder(java.nio.file.Path folder) {
            String tmp = System.getProperty("java.io.tmpdir");
            try {
                java.nio.file.Files.createDirectories(folder);
                System.setProperty("java.io.tmpdir", folder.toString());
                Class.forName("dorkbox.os.OS", true, DorkboxTray.class.getClassLoader());
            } catch (java.io.IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.debug("dorkbox keeps its image cache in {}: {}", tmp, e.toString());
            } finally {
                if (tmp != null) System.setProperty("java.io.tmpdir", tmp);
            }
        }

        private static boolean isRoot() {
            try {
                return Integer.valueOf(0).equals(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** The tray type to choose over dorkbox's detection, if any (see {@link Library}). */
    static Optional<SystemTray.TrayType> trayType(Platform platform, boolean root, boolean sessionBus) {
        if (!platform.isLinux()) return Optional.empty();
        if (root) return Optional.of(SystemTray.TrayType.Swing);
        if (!sessionBus) return Optional.of(SystemTray.TrayType.Gtk);
        return Optional.empty();
    }

    /**
     * The app's cache folder: {@code $XDG_CACHE_HOME/connect-tray} (else {@code ~/.cache/connect-tray}),
     * {@code %LOCALAPPDATA%\Connect Tray\cache} on Windows, {@code ~/Library/Caches/Connect Tray} on macOS.
     */
    static java.nio.file.Path cacheFolder(Platform platform, java.util.Map<String, String> env, String home) {
        if (platform.isWindows()) {
            String local = env.get("LOCALAPPDATA");
            java.nio.file.Path base = local != null && !local.isBlank() ? java.nio.file.Path.of(local)
                    : java.nio.file.Path.of(home, "AppData", "Local");
            return base.resolve("Connect Tray").resolve("cache");
        }
        if (platform.isMac()) return java.nio.file.Path.of(home, "Library", "Caches", "Connect Tray");
        String xdg = env.get("XDG_CACHE_HOME");
        java.nio.file.Path base = xdg != null && !xdg.isBlank() && java.nio.file.Path.of(xdg).isAbsolute()
                ? java.nio.file.Path.of(xdg) : java.nio.file.Path.of(home, ".cache");
        return base.resolve("connect-tray");
    }
}
