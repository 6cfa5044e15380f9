package dev.connecttray.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.os.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GtkEnvironmentTest {
    @TempDir
    Path runtime;

    @Test
    void gtkIsToldToLeaveOpenGlAloneOnLinuxUnlessTheUserChoseOtherwise() {
        Map<String, String> session = Map.of("DISPLAY", ":0", "DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), session)).containsExactly(Map.entry("GDK_GL", "disable"));
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), Map.of("GDK_GL", "always", "DBUS_SESSION_BUS_ADDRESS", "unix:abstract=x")))
                .as("the user's own GDK_GL stands").isEmpty();
        assertThat(GtkEnvironment.settings(Platform.of("Windows 11"), Map.of())).isEmpty();
        assertThat(GtkEnvironment.settings(Platform.of("Mac OS X"), Map.of())).isEmpty();
    }

    @Test
    void withoutASessionBusNoBusAndNoAccessibilityBusIsLaunchedForTheApp() {
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), Map.of("DISPLAY", ":0")))
                .containsEntry("NO_AT_BRIDGE", "1")
                .containsEntry("DBUS_SESSION_BUS_ADDRESS", GtkEnvironment.NO_BUS);
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), Map.of("DISPLAY", ":0", "XDG_RUNTIME_DIR", runtime.toString())))
                .as("a runtime folder without a bus socket is no session bus")
                .containsEntry("DBUS_SESSION_BUS_ADDRESS", GtkEnvironment.NO_BUS);
    }

    @Test
    void aSessionBusKeepsAccessibilityAndTheBusAsTheSessionHasThem() throws Exception {
        Files.createFile(runtime.resolve("bus"));
        Map<String, String> viaRuntimeDir = Map.of("DISPLAY", ":0", "XDG_RUNTIME_DIR", runtime.toString());
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), viaRuntimeDir)).doesNotContainKeys("NO_AT_BRIDGE",
                "DBUS_SESSION_BUS_ADDRESS");
        assertThat(GtkEnvironment.settings(Platform.of("Linux"), Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/x")))
                .doesNotContainKeys("NO_AT_BRIDGE", "DBUS_SESSION_BUS_ADDRESS");
    }
}
