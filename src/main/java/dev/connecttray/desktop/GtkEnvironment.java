package dev.connecttray.desktop;

import dev.connecttray.os.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process environment GTK reads when it starts, set before the first of JavaFX and the tray
 * library starts it. Only GTK sees these: they go into the process's own environment (libc
 * {@code setenv}); Java's copy of the environment, which child processes get, stays as it was.
 * Nothing the user set is overridden.
 *
 * <ul>
 *   <li>{@code GDK_GL=disable}: GTK 3 sets up OpenGL on opening the display only to pick a visual;
 *       that maps the Mesa driver, and with it LLVM, some 50 MB of a tray process that never draws
 *       with GTK's OpenGL.</li>
 *   <li>Without a session bus ({@code DBUS_SESSION_BUS_ADDRESS} unset and no
 *       {@code $XDG_RUNTIME_DIR/bus}, as under a bare X server or over ssh), GLib would autolaunch
 *       a bus ({@code dbus-launch}, a {@code dbus-daemon}) and GTK's accessibility bridge an
 *       {@code at-spi-bus-launcher} on it; both outlive the app. There, {@code NO_AT_BRIDGE=1} and a
 *       bus address that cannot be reached ({@code disabled:}) keep them from starting. A desktop
 *       session has its bus, and the accessibility bus belongs to the session: nothing changes there.</li>
 * </ul>
 *
 * <p>GLib's and GTK's own messages (a library's warning about the missing session bus, GTK's
 * "assertion failed" criticals about its own state) went to stderr unasked; the tray library used
 * to drop them all. They go to the log instead, at debug ({@code --log-level debug} shows them).
 */
public final class GtkEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(GtkEnvironment.class);
    /** A bus address GLib and libdbus refuse at once (an unknown transport) instead of autolaunching a bus. */
    static final String NO_BUS = "disabled:";
    private static boolean prepared;

    private GtkEnvironment() {
    }

    /** Sets what {@link #settings} says, once; harmless to call again. Linux only. */
    public static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        Platform platform = Platform.current();
        if (!platform.isLinux()) return;
        // GTK takes every string as UTF-8; JNA encodes in the locale's charset unless told (see DorkboxTray).
        if (System.getProperty("jna.encoding") == null) System.setProperty("jna.encoding", "UTF-8");
        Map<String, String> wanted = settings(platform, System.getenv());
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            try {
                com.sun.jna.platform.unix.LibC.INSTANCE.setenv(e.getKey(), e.getValue(), 0);
            } catch (RuntimeException | LinkageError failed) {
                LOG.debug("Could not set {}={} for GTK", e.getKey(), e.getValue(), failed);
                return;
            }
        }
        if (!wanted.isEmpty()) LOG.debug("GTK environment: {}", wanted);
        logGlibMessages();
    }

    /** GLib's message levels (GLogLevelFlags) that say how bad: error, critical, warning. */
    private static final int G_LOG_LEVEL_ERROR = 1 << 2;
    private static final int G_LOG_LEVEL_CRITICAL = 1 << 3;
    private static final int G_LOG_LEVEL_WARNING = 1 << 4;
    private static final Logger GLIB_LOG = LoggerFactory.getLogger("gtk");

    /** GLib's {@code g_log_set_default_handler}. */
    private interface GLib extends com.sun.jna.Library {
        com.sun.jna.Pointer g_log_set_default_handler(LogFunc handler, com.sun.jna.Pointer data);
    }

    /** GLib's {@code GLogFunc}. */
    public interface LogFunc extends com.sun.jna.Callback {
        void invoke(String domain, int level, String message, com.sun.jna.Pointer data);
    }

    /** Held for as long as GLib may call it: JNA frees a callback whose Java object is collected. */
    private static LogFunc glibHandler;

    private static void logGlibMessages() {
        try {
            GLib glib = com.sun.jna.Native.load("glib-2.0", GLib.class);
            glibHandler = (domain, level, message, data) -> GLIB_LOG.debug("{} {}: {}", domain == null ? "GLib" : domain,
                    levelName(level), message);
            glib.g_log_set_default_handler(glibHandler, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("GLib's messages stay on stderr: {}", e.toString());
        }
    }

    static String levelName(int level) {
        if ((level & G_LOG_LEVEL_ERROR) != 0) return "error";
        if ((level & G_LOG_LEVEL_CRITICAL) != 0) return "critical";
        if ((level & G_LOG_LEVEL_WARNING) != 0) return "warning";
        return "message";
    }

    /**
     * What to add to the environment of a process on {@code osName} whose environment is {@code env}:
     * only names that {@code env} does not have.
     */
    static Map<String, String> settings(Platform platform, Map<String, String> env) {
        Map<String, String> add = new LinkedHashMap<>();
        if (!platform.isLinux()) return add;
        if (!env.containsKey("GDK_GL")) add.put("GDK_GL", "disable");
        if (!hasSessionBus(env)) {
            if (!env.containsKey("NO_AT_BRIDGE")) add.put("NO_AT_BRIDGE", "1");
            add.put("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
        }
        return add;
    }

    /** Whether GLib finds a session bus without launching one: an address, or the runtime folder's socket. */
    public static boolean hasSessionBus(Map<String, String> env) {
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address != null && !address.isBlank()) return true;
        String runtime = env.get("XDG_RUNTIME_DIR");
        return runtime != null && !runtime.isBlank() && Files.exists(Path.of(runtime, "bus"));
    }
}
