package dev.connecttray.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.connecttray.core.ExitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd user unit for headless use: it says what the app relies on (notify, watchdog, which
 * exit statuses restart), and systemd's own checker accepts it.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("installer/linux/connect-tray.service");
    private static final String INSTALLED_LAUNCHER = "/opt/connect-tray/bin/connect-tray";
    private static final Path BUILT_LAUNCHER = Path.of("target/connect-tray/bin/connect-tray");
    /** systemd 254 added RestartSteps= and RestartMaxDelaySec=; older ones warn about them and go on. */
    private static final int FIRST_WITH_RESTART_STEPS = 254;
    private static final Pattern NEWER_KEY_WARNING =
            Pattern.compile("(?i)unknown (key|key name|lvalue) '(RestartSteps|RestartMaxDelaySec)'");
    private static final Pattern PROBLEM =
            Pattern.compile("(?i)unknown|failed|invalid|ignoring|not executable|error");

    @TempDir
    Path dir;

    @Test
    void theUnitHasWhatTheHeadlessServiceReliesOn() throws IOException {
        Map<String, Map<String, List<String>>> unit = parse(Files.readAllLines(UNIT, StandardCharsets.UTF_8));
        Map<String, List<String>> service = unit.get("Service");

        assertThat(unit.get("Unit").get("Description")).singleElement().asString().isNotBlank();
        assertThat(unit.get("Unit").get("Documentation")).singleElement().asString().isNotBlank();
        assertThat(service.get("Type")).containsExactly("notify");
        assertThat(service.get("ExecStart")).containsExactly(INSTALLED_LAUNCHER + " --headless");
        assertThat(service.get("NotifyAccess")).containsExactly("main");
        assertThat(service.get("WatchdogSec")).containsExactly("60s");
        assertThat(service.get("Restart")).containsExactly("on-failure");
        // The statuses after which a person must act first: a restart would only loop.
        assertThat(service.get("RestartPreventExitStatus")).containsExactly(Stream.of(
                ExitStatus.USAGE, ExitStatus.NOPERM, ExitStatus.CONFIG)
                .map(s -> Integer.toString(s.code())).collect(Collectors.joining(" ")));
        assertThat(service.get("RestartSec")).containsExactly("5s");
        assertThat(service.get("RestartSteps")).containsExactly("5");
        assertThat(service.get("RestartMaxDelaySec")).containsExactly("5min");
        assertThat(service.get("TimeoutStopSec")).containsExactly("15s");
        assertThat(unit.get("Install").get("WantedBy")).containsExactly("default.target");
        // A user manager has no network-online.target: a dependency on it would silently do nothing.
        assertThat(unit.values()).allSatisfy(section -> assertThat(section.values()).allSatisfy(
                values -> assertThat(values).noneMatch(v -> v.contains("network-online.target"))));
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        Path analyze = systemdAnalyze();
        int version = systemdVersion(analyze);
        Path copy = copyWithRunnableExecStart();

        Verification result = verify(analyze, copy);
        List<String> problems = result.lines().stream()
                .filter(line -> line.contains(copy.getFileName().toString()) && PROBLEM.matcher(line).find())
                .filter(line -> version >= FIRST_WITH_RESTART_STEPS || !NEWER_KEY_WARNING.matcher(line).find())
                .toList();
        assertThat(problems).as("systemd %d's systemd-analyze verify said:%n%s", version, result.output())
                .isEmpty();
        assertThat(result.exitCode()).as("systemd-analyze verify exit status; it said:%n%s", result.output())
                .isZero();
    }

    /** The check above must notice a mistake, or its passing means nothing. */
    @Test
    void systemdAnalyzeCatchesAMistakeInTheUnit() throws Exception {
        Path analyze = systemdAnalyze();
        Path copy = copyWithRunnableExecStart();
        Files.writeString(copy, Files.readString(copy).replace("\nType=notify\n", "\nTpye=notify\n"));

        Verification result = verify(analyze, copy);
        assertThat(result.lines()).anySatisfy(line -> assertThat(line)
                .contains(copy.getFileName().toString()).containsIgnoringCase("unknown").contains("Tpye"));
    }

    /**
     * The unit as it is, in a folder of its own, except that ExecStart runs something that exists
     * here: verify refuses a command that is not there, and /opt/connect-tray is only on installed machines.
     */
    private Path copyWithRunnableExecStart() throws IOException {
        // A path with spaces or '%' would need systemd quoting; /bin/true proves the same.
        String runnable = Files.isExecutable(BUILT_LAUNCHER)
                && BUILT_LAUNCHER.toAbsolutePath().toString().matches("[A-Za-z0-9/._+-]+")
                ? BUILT_LAUNCHER.toAbsolutePath().toString() : "/bin/true";
        String original = Files.readString(UNIT, StandardCharsets.UTF_8);
        String execStart = "\nExecStart=" + INSTALLED_LAUNCHER + " ";
        assertThat(original).contains(execStart);
        String rewritten = original.replace(execStart, "\nExecStart=" + runnable + " ");
        Path unitDir = Files.createDirectories(dir.resolve("units"));
        Path copy = unitDir.resolve(UNIT.getFileName());
        Files.writeString(copy, rewritten, StandardCharsets.UTF_8);
        return copy;
    }

    record Verification(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private Verification verify(Path analyze, Path unitFile) throws IOException, InterruptedException {
        // A user manager needs a runtime folder; a private one works as root and without a login session.
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        // --man=no: whether man pages are installed says something about this machine, not the unit.
        ProcessBuilder pb = new ProcessBuilder(analyze.toString(), "--user", "--man=no", "verify", unitFile.toString());
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        pb.environment().put("SYSTEMD_LOG_COLOR", "0");
        return run(pb);
    }

    private Verification run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "systemd-analyze", ".txt");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("%s did not finish within 60 s; it said:%n%s", pb.command(), Files.readString(output));
        }
        return new Verification(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Path systemdAnalyze() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path candidate = Path.of(d, "systemd-analyze");
            if (Files.isExecutable(candidate)) return candidate;
        }
        return fail("systemd-analyze is not installed, so the systemd unit %s cannot be checked: install the "
                + "systemd package (apt-get install systemd; .ci/run does so on CI)", UNIT);
    }

    private int systemdVersion(Path analyze) throws IOException, InterruptedException {
        Verification v = run(new ProcessBuilder(analyze.toString(), "--version"));
        Matcher m = Pattern.compile("^systemd (\\d+)").matcher(v.output());
        assertThat(m.find()).as("systemd-analyze --version said: %s", v.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Section name to key to values, in file order; comments and blank lines left out. */
    private static Map<String, Map<String, List<String>>> parse(List<String> lines) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(current).as("a key before any section: %s", raw).isNotNull();
            assertThat(eq).as("not a Key=Value line: %s", raw).isPositive();
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return sections;
    }
}
