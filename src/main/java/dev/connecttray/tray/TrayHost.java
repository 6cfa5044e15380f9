package dev.connecttray.tray;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.connecttray.os.CommandRunner;
import dev.connecttray.os.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether something on this desktop shows tray icons. Asked before trusting dorkbox, whose GTK and
 * AppIndicator backends hand out a tray even when nothing displays it: the icon would then be
 * invisible and the user left with no way to quit.
 *
 * <p>A host is either an X11 system tray (XEmbed: the owner of the {@code _NET_SYSTEM_TRAY_S<n>}
 * selection) or a StatusNotifierItem host (the {@code org.kde.StatusNotifierWatcher} name on the
 * session bus, used by KDE, and by GNOME with the AppIndicator extension).
 */
public final class TrayHost {
    private static final Logger log = LoggerFactory.getLogger(TrayHost.class);

    static final String WATCHER = "org.kde.StatusNotifierWatcher";
    private static final Duration DBUS_TIMEOUT = Duration.ofSeconds(2);

    private TrayHost() {
    }

    /**
     * Whether a tray host shows icons for this process: always on Windows and macOS (the taskbar's
     * notification area, the menu bar), else as {@link #present(Map)} finds on this environment.
     */
    public static boolean present() {
        if (windowsOrMac()) return true;
        return present(System.getenv());
    }

    /**
     * Whether a tray host shows icons on the X display and session bus that {@code env} names
     * ({@code DISPLAY}, {@code DBUS_SESSION_BUS_ADDRESS}, {@code XDG_RUNTIME_DIR}): the Linux and BSD way.
     */
    public static boolean present(Map<String, String> env) {
        boolean xembed = x11TrayOwned(env);
        boolean watcher = !xembed && statusNotifierWatcher(env, CommandRunner.PROCESSES);
        log.debug("Tray host: X11 system tray {}, {} {}", xembed ? "found" : "not found", WATCHER,
                xembed ? "not asked" : watcher ? "found" : "not found");
        return xembed || watcher;
    }

    /**
     * Whether there is a display at all: always on Windows and macOS (a service there has no tray
     * anyway, which {@link DorkboxTray#start} reports), else as {@link #displayPresent(Map)} finds.
     */
    public static boolean displayPresent() {
        if (windowsOrMac()) return true;
        return displayPresent(System.getenv());
    }

    private static boolean windowsOrMac() {
        Platform platform = Platform.current();
        return platform.isWindows() || platform.isMac();
    }

    /** Whether {@code env} names a display: {@code WAYLAND_DISPLAY}, or a {@code DISPLAY} that opens. */
    public static boolean displayPresent(Map<String, String> env) {
        return noDisplay(env).isEmpty();
    }

    /**
     * Why there is no display, for the log: empty on Windows and macOS, and where {@link #displayPresent()}.
     */
    public static java.util.Optional<NoDisplay> noDisplay() {
        if (windowsOrMac()) return java.util.Optional.empty();
        return noDisplay(System.getenv());
    }

    /** Why {@code env} names no display that opens; empty when it does. */
    public static java.util.Optional<NoDisplay> noDisplay(Map<String, String> env) {
        String wayland = env.get("WAYLAND_DISPLAY");
        if (wayland != null && !wayland.isEmpty()) {
            log.debug("Display: Wayland ({})", wayland);
            return java.util.Optional.empty();
        }
        String display = env.get("DISPLAY");
        if (display == null || display.isEmpty()) {
            log.debug("Display: none (neither DISPLAY nor WAYLAND_DISPLAY is set)");
            return java.util.Optional.of(new NoDisplay(false, "No display (neither DISPLAY nor WAYLAND_DISPLAY is set)"));
        }
        Boolean opened = withDisplay(display, x -> Boolean.TRUE);
        log.debug("Display: X11 {} {}", display, opened != null ? "opens" : "does not open");
        if (opened != null) return java.util.Optional.empty();
        return java.util.Optional.of(new NoDisplay(true, "Cannot open the X display " + display
                + " named by DISPLAY (no X server there, or no access to it)"));
    }

    /**
     * Why there is no display.
     *
     * @param named a display was named (DISPLAY) but could not be opened: worth a warning
     * @param text  what to log, such as "Cannot open the X display :249 named by DISPLAY (...)"
     */
    public record NoDisplay(boolean named, String text) {
    }

    /** Whether the X server in {@code env}'s DISPLAY has an owner for its default screen's tray selection. */
    static boolean x11TrayOwned(Map<String, String> env) {
        String display = env.get("DISPLAY");
        if (display == null || display.isEmpty()) return false;
        Boolean owned = withDisplay(display, x -> {
            int screen = x.lib.XDefaultScreen(x.display);
            String selection = "_NET_SYSTEM_TRAY_S" + screen;
            // only_if_exists: an atom nobody ever interned has no owner, and we create nothing on the server.
            NativeLong atom = x.lib.XInternAtom(x.display, selection, 1);
            if (atom.longValue() == 0) {
                log.debug("X11 {}: {} was never interned", display, selection);
                return false;
            }
            NativeLong owner = x.lib.XGetSelectionOwner(x.display, atom);
            log.debug("X11 {}: {} owner 0x{}", display, selection, Long.toHexString(owner.longValue()));
            return owner.longValue() != 0;
        });
        return Boolean.TRUE.equals(owned);
    }

    /**
     * Whether {@value #WATCHER} has an owner on the session bus, asked through {@code dbus-send}
     * within 2 s. False without the tool or a session bus: then no StatusNotifierItem host can exist.
     */
    static boolean statusNotifierWatcher(Map<String, String> env, CommandRunner runner) {
        String address = sessionBusAddress(env);
        if (address == null) {
            log.debug("No session bus: DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not exist");
            return false;
        }
        List<String> command = List.of("dbus-send", "--session", "--dest=org.freedesktop.DBus",
                "--type=method_call", "--print-reply", "--reply-timeout=" + DBUS_TIMEOUT.toMillis(),
                "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:" + WATCHER);
        CommandRunner.Result result;
        try {
            // Always an explicit address: without one libdbus would "autolaunch" a new bus through X11.
            result = runner.run(command, Map.of("DBUS_SESSION_BUS_ADDRESS", address), DBUS_TIMEOUT.plusMillis(500));
        } catch (IOException e) {
            log.debug("Cannot run dbus-send to look for {}: {}", WATCHER, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (result.timedOut()) {
            log.debug("dbus-send did not answer within {} ms; taking it as no {}", DBUS_TIMEOUT.toMillis(), WATCHER);
            return false;
        }
        if (!result.succeeded()) {
            log.debug("dbus-send exited with {} asking for {}: {}", result.exitCode(), WATCHER, result.output().strip());
            return false;
        }
        return result.output().contains("boolean true");
    }

    /** The session bus address from {@code env}, else the systemd user bus if its socket exists. */
    static String sessionBusAddress(Map<String, String> env) {
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address != null && !address.isEmpty()) return address;
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) return null;
        Path bus = Path.of(runtime, "bus");
        return Files.exists(bus) ? "unix:path=" + bus : null;
    }

    /** Opens {@code name}, applies {@code query}, closes; null when libX11 is missing or the display does not open. */
    private static <T> T withDisplay(String name, java.util.function.Function<Connection, T> query) {
        X11 lib;
        try {
            lib = X11.Holder.LIB;
        } catch (LinkageError e) {
            log.debug("Cannot load libX11: {}", e.toString());
            return null;
        }
        Pointer display = lib.XOpenDisplay(name);
        if (display == null) return null;
        try {
            return query.apply(new Connection(lib, display));
        } finally {
            lib.XCloseDisplay(display);
        }
    }

    private record Connection(X11 lib, Pointer display) {
    }

    /** The few Xlib calls we need; Atom and Window are unsigned longs. */
    interface X11 extends Library {
        Pointer XOpenDisplay(String name);

        int XDefaultScreen(Pointer display);

        NativeLong XInternAtom(Pointer display, String atomName, int onlyIfExists);

        NativeLong XGetSelectionOwner(Pointer display, NativeLong selection);

        int XCloseDisplay(Pointer display);

        /** Loaded on first use; the class fails to initialise where libX11 is missing. */
        final class Holder {
            // JNA finds the versioned libX11.so.6 when the unversioned link (from the -dev package) is absent.
            static final X11 LIB = Native.load("X11", X11.class);

            private Holder() {
            }
        }
    }
}
