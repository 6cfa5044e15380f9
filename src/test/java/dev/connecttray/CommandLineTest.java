package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connecttray.config.AppPaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the command line answers, through {@link Main#execute} with captured streams. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Main.Outcome run(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpShowsTheDefaultConfigFileWholeOnItsOwnLine() {
        Main.Outcome o = run("--help");
        assertThat(o.status().code()).isZero();
        assertThat(o.ranService()).as("a question: its exit is not logged").isFalse();
        String path = AppPaths.current().configFile().toString();
        assertThat(out().lines()).contains("  " + path);
        assertThat(out()).contains("--config=FILE").contains("Configuration file (default: see below).");
        assertThat(err()).isEmpty();
    }

    @Test
    void aDefaultConfigPathWiderThanTheHelpIsNeverBroken() {
        String path = "/home/someone-with-a-rather-long-name/.config/a/deeply/nested/folder/for/settings/connect-tray/config.json";
        assertThat(path.length()).isGreaterThan(100);
        String before = System.getProperty("connecttray.configFile");
        System.setProperty("connecttray.configFile", path);
        try {
            run("--help");
            assertThat(out().lines()).contains("  " + path);
            out.reset();
            run("receiver", "--help");
            assertThat(out()).contains("(default: see below)");
            assertThat(out().lines()).as("receiver --help shows what 'see below' refers to")
                    .containsSubsequence("Default configuration file:", "  " + path);
        } finally {
            if (before == null) System.clearProperty("connecttray.configFile");
            else System.setProperty("connecttray.configFile", before);
        }
    }

    @Test
    void helpAndReadmeSayTheSameForEveryExitStatus() throws Exception {
        run("--help");
        String help = out();
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("(?m)^  (\\d+) +(.*)((?:\\n {6}.*)*)").matcher(help);
        int codes = 0;
        while (m.find()) {
            String code = m.group(1);
            String meaning = (m.group(2) + m.group(3)).replaceAll("\\s+", " ").strip();
            Matcher row = Pattern.compile("(?m)^\\| " + code + " \\| [A-Z]+ \\| (.*) \\|$").matcher(readme);
            assertThat(row.find()).as("README's exit status table has a row for %s", code).isTrue();
            assertThat(row.group(1).replace("`", "")).as("README's row for %s starts with what --help says", code)
                    .startsWith(meaning.replace("stop command", "stop command"));
            codes++;
        }
        assertThat(codes).isEqualTo(7);
    }

    @Test
    void versionAndABadFlagAnswerWithoutRunningAService() {
        Main.Outcome version = run("--version");
        assertThat(version.status().code()).isZero();
        assertThat(version.ranService()).isFalse();
        assertThat(out()).startsWith("connect-tray ");

        Main.Outcome bad = run("--no-such-flag");
        assertThat(bad.status().code()).isEqualTo(64);
        assertThat(bad.ranService()).isFalse();
        assertThat(err()).contains("--no-such-flag");
    }

    @Test
    void statusRefusesALineCountBelowOneOrAboveWhatTheHistoryKeeps() {
        for (String n : List.of("0", "-5", "5001")) {
            out.reset();
            err.reset();
            Main.Outcome o = run("status", "-n", n);
            assertThat(o.status().code()).as(n).isEqualTo(64);
            assertThat(err()).as(n).contains("-n/--lines must be a whole number from 1 to 5000").contains("was " + n);
            assertThat(out()).as("nothing shown for -n " + n).isEmpty();
        }
    }

    @Test
    void statusRefusesOptionsThatWouldDoNothing() {
        for (String[] args : List.of(new String[]{"status", "--config", "/tmp/x.json"},
                new String[]{"--config=/tmp/x.json", "status"}, new String[]{"status", "--log-level", "debug"},
                new String[]{"--headless", "status"})) {
            err.reset();
            Main.Outcome o = run(args);
            assertThat(o.status().code()).as(Arrays.toString(args)).isEqualTo(64);
            assertThat(err()).as(Arrays.toString(args)).contains("status does not take --")
                    .contains("Try 'connect-tray --help'");
            assertThat(o.ranService()).isFalse();
        }
    }

    @Test
    void statusHelpOffersOnlyWhatStatusUses() {
        assertThat(run("status", "--help").status().code()).isZero();
        assertThat(out()).contains("-n, --lines=N").doesNotContain("--config").doesNotContain("--log-level")
                .doesNotContain("--headless");
    }
}
