package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The D-Bus half of {@link TrayHost} with a scripted dbus-send, and what needs no X server. */
class TrayHostTest {
    private static final Map<String, String> SESSION = Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/tmp/test-bus");
    private static final String OWNED = "method return time=1.0 sender=org.freedesktop.DBus -> destination=:1.9 "
            + "serial=3 reply_serial=2\n   boolean true\n";
    private static final String NOT_OWNED = OWNED.replace("true", "false");

    private final ScriptedCommands dbusSend = new ScriptedCommands();

    @Test
    void aWatcherOnTheSessionBusIsAHost() {
        dbusSend.exits(0, OWNED);

        assertThat(TrayHost.statusNotifierWatcher(SESSION, dbusSend)).isTrue();

        assertThat(dbusSend.calls()).singleElement().satisfies(call -> {
            assertThat(call.command()).containsExactly("dbus-send", "--session", "--dest=org.freedesktop.DBus",
                    "--type=method_call", "--print-reply", "--reply-timeout=2000", "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner", "string:org.kde.StatusNotifierWatcher");
            assertThat(call.environment()).isEqualTo(SESSION);
        });
    }

    @Test
    void noWatcherNoToolNoAnswerNoHost() {
        dbusSend.exits(0, NOT_OWNED).exits(1, "Error org.freedesktop.DBus.Error.NoReply").timesOut().cannotStart();

        for (int i = 0; i < 4; i++) assertThat(TrayHost.statusNotifierWatcher(SESSION, dbusSend)).isFalse();
        assertThat(dbusSend.calls()).hasSize(4);
    }

    @Test
    void withoutASessionBusDbusSendIsNotRun() {
        // It would autolaunch a bus through X11, and a new bus has no watcher anyway.
        assertThat(TrayHost.statusNotifierWatcher(Map.of("DISPLAY", ":0"), dbusSend)).isFalse();
        assertThat(dbusSend.calls()).isEmpty();
    }

    @Test
    void theSystemdUserBusCountsWhenItsSocketExists(@TempDir Path runtime) throws IOException {
        assertThat(TrayHost.sessionBusAddress(Map.of("XDG_RUNTIME_DIR", runtime.toString()))).isNull();

        Files.createFile(runtime.resolve("bus"));

        assertThat(TrayHost.sessionBusAddress(Map.of("XDG_RUNTIME_DIR", runtime.toString())))
                .isEqualTo("unix:path=" + runtime.resolve("bus"));
        assertThat(TrayHost.sessionBusAddress(Map.of("XDG_RUNTIME_DIR", runtime.toString(),
                "DBUS_SESSION_BUS_ADDRESS", "unix:abstract=/tmp/x"))).isEqualTo("unix:abstract=/tmp/x");
    }

    @Test
    void noDisplayNoBusNoHost() {
        assertThat(TrayHost.present(Map.of())).isFalse();
        assertThat(TrayHost.displayPresent(Map.of())).isFalse();
    }

    @Test
    void waylandIsADisplay() {
        assertThat(TrayHost.displayPresent(Map.of("WAYLAND_DISPLAY", "wayland-0"))).isTrue();
    }

    @Test
    void anXDisplayThatDoesNotOpenIsNone() {
        // No server listens on display 1999 (nor is there one on the TCP port it would be).
        Map<String, String> env = Map.of("DISPLAY", ":1999");

        assertThat(TrayHost.displayPresent(env)).isFalse();
        assertThat(TrayHost.x11TrayOwned(env)).isFalse();
        assertThat(TrayHost.noDisplay(env)).hasValueSatisfying(why -> {
            assertThat(why.named()).isTrue();
            assertThat(why.text()).isEqualTo("Cannot open the X display :1999 named by DISPLAY (no X server there, or no access to it)");
        });
    }

    @Test
    void noDisplayNamedSaysWhichVariablesAreUnset() {
        assertThat(TrayHost.noDisplay(Map.of())).hasValueSatisfying(why -> {
            assertThat(why.named()).isFalse();
            assertThat(why.text()).isEqualTo("No display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
        });
        assertThat(TrayHost.noDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"))).isEmpty();
    }
}
