package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WindowsAutostartTest {
    private static final String EXE = "C:\\Program Files\\Connect Tray\\Connect Tray.exe";
    private static final String RUN = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";

    private final ScriptedCommands reg = new ScriptedCommands();
    private final WindowsAutostart autostart = new WindowsAutostart(Path.of(EXE), reg);

    @Test
    void theCommandLines() {
        assertThat(autostart.queryCommand()).containsExactly("reg", "query", RUN, "/v", "Connect Tray");
        assertThat(autostart.addCommand()).containsExactly("reg", "add", RUN, "/v", "Connect Tray", "/t", "REG_SZ",
                "/d", "\\\"" + EXE + "\\\"", "/f");
        assertThat(autostart.deleteCommand()).containsExactly("reg", "delete", RUN, "/v", "Connect Tray", "/f");
    }

    @Test
    void enablingAddsTheValue() throws IOException {
        reg.exits(0, "The operation completed successfully.");

        autostart.setEnabled(true);

        assertThat(reg.commands()).containsExactly(autostart.addCommand());
    }

    @Test
    void aFailedRegAddIsAnErrorThatSaysWhy() {
        reg.exits(1, "ERROR: Access is denied.");

        assertThatThrownBy(() -> autostart.setEnabled(true)).isInstanceOf(IOException.class)
                .hasMessageContaining("reg add").hasMessageContaining("exit code 1").hasMessageContaining("Access is denied");
    }

    @Test
    void aHangingRegIsAnError() {
        reg.timesOut();

        assertThatThrownBy(() -> autostart.setEnabled(true)).isInstanceOf(IOException.class)
                .hasMessageContaining("did not finish");
    }

    @Test
    void enabledIsWhetherTheValueExists() {
        reg.exits(0, "    Connect Tray    REG_SZ    \"" + EXE + "\"").exits(1, "ERROR: The system was unable to find the "
                + "specified registry key or value.").cannotStart();

        assertThat(autostart.isEnabled()).isTrue();
        assertThat(autostart.isEnabled()).isFalse();
        assertThat(autostart.isEnabled()).as("no reg.exe").isFalse();
        assertThat(reg.commands()).containsOnly(autostart.queryCommand());
    }

    @Test
    void disablingDeletesTheValueOnlyWhenItExists() throws IOException {
        reg.exits(0, "found").exits(0, "deleted").exits(1, "not found");

        autostart.setEnabled(false);
        autostart.setEnabled(false);

        assertThat(reg.commands()).containsExactly(autostart.queryCommand(), autostart.deleteCommand(),
                autostart.queryCommand());
    }

    @Test
    void aPathWithAQuoteIsRefused() {
        assertThatThrownBy(() -> new WindowsAutostart(Path.of("/odd\"name/app.exe"), reg))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
