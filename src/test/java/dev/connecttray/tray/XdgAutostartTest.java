package dev.connecttray.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XdgAutostartTest {
    private static final Path LAUNCHER = Path.of("/opt/Connect Tray/bin/connect-tray");

    @TempDir
    Path configHome;

    @Test
    void enablingWritesADesktopEntryThatStartsTheLauncher() throws IOException {
        XdgAutostart autostart = new XdgAutostart(configHome, LAUNCHER, "/opt/Connect Tray/lib/connect-tray.png");
        assertThat(autostart.isEnabled()).isFalse();

        autostart.setEnabled(true);

        Path file = configHome.resolve("autostart/connect-tray.desktop");
        assertThat(autostart.file()).isEqualTo(file);
        Map<String, String> entry = mainGroup(Files.readAllLines(file, StandardCharsets.UTF_8));
        assertThat(entry).containsEntry("Type", "Application")
                .containsEntry("Name", "Connect Tray")
                .containsEntry("Exec", "\"/opt/Connect Tray/bin/connect-tray\"")
                .containsEntry("Icon", "/opt/Connect Tray/lib/connect-tray.png")
                .containsEntry("Terminal", "false")
                .containsEntry("X-GNOME-Autostart-enabled", "true")
                .containsKey("Comment");
        assertThat(execArguments(entry.get("Exec"))).containsExactly(LAUNCHER.toString());
        assertThat(autostart.isEnabled()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temp file left behind").containsExactly(file);
        }
    }

    @Test
    void disablingRemovesTheEntry() throws IOException {
        XdgAutostart autostart = new XdgAutostart(configHome, LAUNCHER, "connect-tray");
        autostart.setEnabled(true);

        autostart.setEnabled(false);

        assertThat(autostart.file()).doesNotExist();
        assertThat(autostart.isEnabled()).isFalse();
        autostart.setEnabled(false); // already off: nothing to do, no error
    }

    @Test
    void anEntryTheUserHidIsOff() throws IOException {
        XdgAutostart autostart = new XdgAutostart(configHome, LAUNCHER, "connect-tray");
        Files.createDirectories(autostart.file().getParent());
        Files.writeString(autostart.file(), "[Desktop Entry]\nType=Application\nName=Connect Tray\nExec=connect-tray\nHidden=true\n");

        assertThat(autostart.isEnabled()).isFalse();

        autostart.setEnabled(true);
        assertThat(autostart.isEnabled()).isTrue();
        assertThat(Files.readString(autostart.file())).doesNotContain("Hidden");
    }

    @Test
    void gnomesSwitchTurnedOffIsOff() throws IOException {
        XdgAutostart autostart = new XdgAutostart(configHome, LAUNCHER, "connect-tray");
        Files.createDirectories(autostart.file().getParent());
        Files.writeString(autostart.file(), "[Desktop Entry]\nType=Application\nExec=connect-tray\n"
                + "X-GNOME-Autostart-enabled = false\n");

        assertThat(autostart.isEnabled()).isFalse();
    }

    @Test
    void hiddenInAnotherGroupDoesNotCount() {
        assertThat(XdgAutostart.hidden(List.of("[Desktop Entry]", "Type=Application", "Exec=x",
                "[Desktop Action quit]", "Hidden=true"))).isFalse();
        assertThat(XdgAutostart.hidden(List.of("# Hidden=true", "[Desktop Entry]", "Hidden=false"))).isFalse();
        assertThat(XdgAutostart.hidden(List.of("[Desktop Entry]", "  Hidden=true  "))).isTrue();
    }

    @Test
    void execQuotesEveryCharacterTheSpecReserves() {
        Path odd = Path.of("/home/o'neil/My \"Apps\"/$HOME/`x`/100%/back\\slash/connect-tray");

        String value = XdgAutostart.execValue(odd);

        assertThat(value).isEqualTo("\"/home/o'neil/My \\\\\"Apps\\\\\"/\\\\$HOME/\\\\`x\\\\`/100%%/back\\\\\\\\slash/connect-tray\"");
        assertThat(execArguments(value)).containsExactly(odd.toString());
    }

    @Test
    void aPathWithALineBreakIsRefused() {
        assertThatThrownBy(() -> new XdgAutostart(configHome, Path.of("/opt/bad\nname/connect-tray"), "connect-tray"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
    }

    @Test
    void theFolderFollowsXdgConfigHomeAndTheIconComesFromTheAppImage(@TempDir Path home) throws IOException {
        Path image = home.resolve("connect-tray");
        Files.createDirectories(image.resolve("bin"));
        Files.createDirectories(image.resolve("lib"));
        Files.write(image.resolve("lib/connect-tray.png"), new byte[]{1});
        Path launcher = image.resolve("bin/connect-tray");

        XdgAutostart fromXdg = XdgAutostart.forEnvironment(Map.of("XDG_CONFIG_HOME", configHome.toString()), home, launcher);
        XdgAutostart relativeIgnored = XdgAutostart.forEnvironment(Map.of("XDG_CONFIG_HOME", "relative/cfg"), home, launcher);
        XdgAutostart noIcon = XdgAutostart.forEnvironment(Map.of(), home, Path.of("/nowhere/bin/connect-tray"));

        assertThat(fromXdg.file()).isEqualTo(configHome.resolve("autostart/connect-tray.desktop"));
        assertThat(relativeIgnored.file()).isEqualTo(home.resolve(".config/autostart/connect-tray.desktop"));
        assertThat(fromXdg.desktopEntry()).contains("Icon=" + image.resolve("lib/connect-tray.png") + "\n");
        assertThat(noIcon.desktopEntry()).contains("Icon=connect-tray\n");
        // Desktops group the status window with the entry that started it by this name.
        assertThat(noIcon.desktopEntry()).contains("StartupWMClass=" + dev.connecttray.ui.FxPlatform.WM_CLASS + "\n");
    }

    /** The main group's keys, as a reader of desktop entries sees them (string escapes undone but for Exec). */
    private static Map<String, String> mainGroup(List<String> lines) {
        Map<String, String> keys = new LinkedHashMap<>();
        boolean inMain = false;
        for (String line : lines) {
            if (line.startsWith("[")) {
                inMain = line.equals("[Desktop Entry]");
            } else if (inMain && line.contains("=")) {
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                keys.put(key, key.equals("Exec") ? value : value.replace("\\\\", "\\"));
            }
        }
        return keys;
    }

    /**
     * The program and arguments an Exec value stands for, read the way the Desktop Entry spec
     * says: string escapes first, then quotes and the backslash escapes inside them, then %%.
     */
    private static List<String> execArguments(String value) {
        StringBuilder unescaped = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                unescaped.append(switch (next) {
                    case 's' -> ' ';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '\\' -> '\\';
                    default -> throw new AssertionError("invalid string escape \\" + next + " in " + value);
                });
            } else {
                unescaped.append(c);
            }
        }
        List<String> args = new ArrayList<>();
        StringBuilder arg = null;
        boolean quoted = false;
        String s = unescaped.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    char next = s.charAt(++i);
                    if ("\"`$\\".indexOf(next) < 0) throw new AssertionError("invalid quoted escape \\" + next);
                    arg.append(next);
                } else if (c == '"') {
                    quoted = false;
                } else {
                    arg.append(c);
                }
            } else if (c == ' ') {
                if (arg != null) args.add(arg.toString());
                arg = null;
            } else if (c == '"') {
                if (arg == null) arg = new StringBuilder();
                quoted = true;
            } else {
                if (" \t\n\"'\\><~|&;$*?#()`".indexOf(c) >= 0) throw new AssertionError("unquoted reserved " + c);
                if (arg == null) arg = new StringBuilder();
                arg.append(c);
            }
        }
        if (quoted) throw new AssertionError("unterminated quote in " + value);
        if (arg != null) args.add(arg.toString());
        return args.stream().map(a -> a.replace("%%", "%")).toList();
    }
}
