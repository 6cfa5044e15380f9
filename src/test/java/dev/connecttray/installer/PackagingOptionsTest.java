package dev.connecttray.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The jpackage option files: {@code jpackage.cfg} (shared) and every {@code installer/<os>/*.cfg}.
 *
 * <p>Every package is built with {@code jpackage @jpackage.cfg @installer/<os>/<file> --type ...
 * --input ... --main-jar ... --app-version ... --dest ...}. This test checks that the files only use
 * options that this JDK's jpackage knows, that no option is given twice on any such command line,
 * that the files they name exist, that the installer icons hold the sizes Windows and macOS want,
 * that the macOS Info.plist override makes a menu bar app, and that the workflow builds by the rule.
 *
 * <p>Which files combine: within one {@code installer/<os>} folder, a file named {@code <os>.cfg}
 * (such as {@code linux.cfg}) goes on every command line of that OS; each other file of the folder
 * (such as {@code deb.cfg} and {@code rpm.cfg}) is one alternative, added to {@code jpackage.cfg}
 * and {@code <os>.cfg} but never to another alternative.
 */
class PackagingOptionsTest {
    private static final Path SHARED = Path.of("jpackage.cfg");
    private static final Path INSTALLER = Path.of("installer");
    private static final Path WORKFLOW = Path.of(".github/workflows/installers.yml");

    /** These belong on the command line of each build, never in an option file. */
    private static final Set<String> COMMAND_LINE_ONLY =
            Set.of("--type", "--input", "--main-jar", "--app-version", "--dest");
    /** Options whose value is a file or folder of the repository (paths are relative to its root). */
    private static final Set<String> PATH_OPTIONS = Set.of(
            "--icon", "--resource-dir", "--license-file", "--file-associations", "--add-launcher",
            "--mac-entitlements");
    /** The folders under installer/ and the prefix of the options only their OS knows. */
    private static final Map<String, String> OS_PREFIXES =
            Map.of("windows", "--win-", "macos", "--mac-", "linux", "--linux-");
    private static final Map<String, String> ICON_EXTENSIONS =
            Map.of("windows", ".ico", "macos", ".icns", "linux", ".png");

    private static final List<Integer> ICO_SIZES = List.of(16, 24, 32, 48, 64, 128, 256);
    /** Pixel sizes macOS wants at 1x; and 1024, the 2x of 512 (ic10). */
    private static final List<Integer> ICNS_SIZES = List.of(16, 32, 128, 256, 512, 1024);

    /** The words JDK 17's jpackage replaces in the Info.plist template (MacAppImageBuilder.writeInfoPlist). */
    private static final Set<String> INFO_PLIST_PLACEHOLDERS = Set.of(
            "DEPLOY_LAUNCHER_NAME", "DEPLOY_ICON_FILE", "DEPLOY_BUNDLE_IDENTIFIER", "DEPLOY_BUNDLE_NAME",
            "DEPLOY_BUNDLE_COPYRIGHT", "DEPLOY_BUNDLE_SHORT_VERSION", "DEPLOY_BUNDLE_CFBUNDLE_VERSION",
            "DEPLOY_APP_CATEGORY", "DEPLOY_FILE_ASSOCIATIONS");

    private static Jpackage jpackage;

    @BeforeAll
    static void readJpackageHelp() throws Exception {
        jpackage = Jpackage.ofThisJdk();
    }

    // ---------------------------------------------------------------- (a) options this jpackage knows

    @Test
    void jpackageHelpIsUnderstood() {
        // If the help text changed shape, the other checks would pass on an empty list: they must not.
        assertThat(jpackage.helpOptions).contains("--name", "--type", "--icon", "--resource-dir",
                "--java-options", "--add-modules", "--app-version", "--main-jar");
        assertThat(jpackage.aliases).containsEntry("-t", "--type").containsEntry("-n", "--name");
        assertThat(jpackage.repeatable).contains("--java-options", "--add-launcher", "--file-associations")
                .doesNotContain("--name", "--icon");
        assertThat(jpackage.takesValue).contains("--name", "--icon", "--java-options")
                .doesNotContain("--verbose");
    }

    @Test
    void theProbeTellsKnownOptionsOfOtherPlatformsFromUnknownOnes() throws Exception {
        String host = OS_PREFIXES.entrySet().stream()
                .filter(e -> jpackage.helpOptions.stream().anyMatch(o -> o.startsWith(e.getValue())))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        for (String os : OS_PREFIXES.keySet()) {
            if (!os.equals(host)) {
                String known = Map.of("windows", "--win-menu", "macos", "--mac-package-name",
                        "linux", "--linux-shortcut").get(os);
                assertThat(jpackage.knows(known)).as(known).isTrue();
            }
        }
        assertThat(jpackage.knows("--win-mneu")).isFalse();
        assertThat(jpackage.knows("--mac-package-nmae")).isFalse();
        assertThat(jpackage.knows("--no-such-option")).isFalse();
    }

    @Test
    void everyOptionIsOneThisJpackageKnows() throws Exception {
        List<String> problems = new ArrayList<>();
        for (OptionFile file : allFiles()) {
            for (Option option : file.options()) {
                if (!jpackage.knows(option.name())) {
                    problems.add(file.path() + ": " + option.name() + " is not an option of jpackage "
                            + jpackage.version + " (misspelt, or from a newer JDK)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void platformOptionsAreOnlyInTheirOwnOsFolder() throws Exception {
        List<String> problems = new ArrayList<>();
        for (OptionFile file : allFiles()) {
            for (Option option : file.options()) {
                OS_PREFIXES.forEach((os, prefix) -> {
                    if (option.name().startsWith(prefix) && !os.equals(file.os())) {
                        problems.add(file.path() + ": " + option.name() + " belongs in installer/" + os
                                + " (jpackage on other systems rejects it)");
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOsFolderHoldsOptionFiles() throws Exception {
        assertThat(osFolders()).extracting(p -> p.getFileName().toString()).contains("windows", "macos");
        for (Path folder : osFolders()) {
            assertThat(OS_PREFIXES).as("installer/%s is not an OS jpackage knows", folder.getFileName())
                    .containsKey(folder.getFileName().toString());
        }
        assertThat(Path.of("installer/windows/windows.cfg")).isRegularFile();
        assertThat(Path.of("installer/macos/macos.cfg")).isRegularFile();
    }

    // ------------------------------------------------------------------ (b) each option only once

    @Test
    void noFileSetsWhatBelongsOnTheCommandLine() throws Exception {
        List<String> problems = new ArrayList<>();
        for (OptionFile file : allFiles()) {
            for (Option option : file.options()) {
                if (COMMAND_LINE_ONLY.contains(option.name())) {
                    problems.add(file.path() + ": " + option.name()
                            + " belongs on the jpackage command line, not in an option file");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noCommandLineGetsAnOptionTwice() throws Exception {
        List<List<OptionFile>> commandLines = commandLines();
        assertThat(commandLines).as("option file combinations").isNotEmpty();
        Set<String> problems = new TreeSet<>();
        for (List<OptionFile> files : commandLines) {
            problems.addAll(duplicates(files));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theDuplicateCheckFindsDuplicates() throws Exception {
        OptionFile shared = OptionFile.parse(SHARED, null, "--name a --java-options -Xmx1m --icon x.png");
        OptionFile os = OptionFile.parse(Path.of("installer/x/x.cfg"), "x",
                "--java-options -Xmx2m --vendor v -n b --java-options -Xmx1m --vendor w");
        assertThat(duplicates(List.of(shared, os))).containsExactlyInAnyOrder(
                "--name is set twice: jpackage.cfg, installer/x/x.cfg",
                "--vendor is set twice: installer/x/x.cfg, installer/x/x.cfg",
                "--java-options -Xmx1m is given twice: jpackage.cfg, installer/x/x.cfg");
    }

    // ------------------------------------------------------------------ (c) the files they name

    @Test
    void everyPathAnOptionNamesExists() throws Exception {
        List<String> problems = new ArrayList<>();
        for (OptionFile file : allFiles()) {
            for (Option option : file.options()) {
                if (!PATH_OPTIONS.contains(option.name())) {
                    continue;
                }
                String value = option.value() == null ? "" : option.value();
                if (option.name().equals("--add-launcher")) {
                    value = value.substring(value.indexOf('=') + 1);
                }
                Path path = Path.of(value);
                if (value.isEmpty() || path.isAbsolute()) {
                    problems.add(file.path() + ": " + option.name() + " needs a path inside the repository");
                } else if (option.name().equals("--resource-dir") ? !Files.isDirectory(path)
                        : !Files.isRegularFile(path)) {
                    problems.add(file.path() + ": " + option.name() + " " + value + " does not exist");
                }
                String extension = file.os() == null ? null : ICON_EXTENSIONS.get(file.os());
                if (option.name().equals("--icon") && extension != null && !value.endsWith(extension)) {
                    problems.add(file.path() + ": --icon " + value + " is no " + extension
                            + ", which jpackage wants on " + file.os());
                }
            }
        }
        assertThat(problems).isEmpty();
        // Each OS has its icon (jpackage would fall back to Duke, silently).
        assertThat(option("installer/windows/windows.cfg", "--icon")).isEqualTo("icons/connect-tray.ico");
        assertThat(option("installer/macos/macos.cfg", "--icon")).isEqualTo("icons/connect-tray.icns");
    }

    // ------------------------------------------------------------------------ (d) the icons

    @Test
    void theIcoHoldsTheSizesWindowsWants() throws Exception {
        assertThat(icoSizes(Files.readAllBytes(Path.of("icons/connect-tray.ico")))).isEqualTo(ICO_SIZES);
    }

    @Test
    void theIcoReaderRejectsABrokenIco() throws Exception {
        byte[] ico = Files.readAllBytes(Path.of("icons/connect-tray.ico"));
        byte[] fewer = ico.clone();
        fewer[4] = (byte) (ICO_SIZES.size() - 1); // the count: the last image drops out
        assertThat(icoSizes(fewer)).isEqualTo(ICO_SIZES.subList(0, ICO_SIZES.size() - 1));
        byte[] wrongSize = ico.clone();
        wrongSize[6] = 17; // the first entry now claims 17 px, its image is 16 px
        assertThatFails(() -> icoSizes(wrongSize));
        assertThatFails(() -> icoSizes("not an icon at all".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theIcnsHoldsTheTypesMacosWants() throws Exception {
        Map<String, Integer> elements = icnsElements(Files.readAllBytes(Path.of("icons/connect-tray.icns")));
        assertThat(new TreeSet<>(elements.values())).containsAll(ICNS_SIZES);
        // The 1x types jpackage's own icon has, from the small RLE ones to 512 px, and 512@2x.
        assertThat(elements).containsKeys("is32", "s8mk", "il32", "l8mk", "it32", "t8mk", "ic08", "ic09", "ic10");
    }

    @Test
    void theIcnsReaderRejectsABrokenIcns() throws Exception {
        byte[] icns = Files.readAllBytes(Path.of("icons/connect-tray.icns"));
        byte[] badLength = icns.clone();
        badLength[7]++; // the header's total length no longer matches the file
        assertThatFails(() -> icnsElements(badLength));
        byte[] renamed = icns.clone();
        renamed[8 + 3] = 'X'; // is32 -> is3X: an unknown type
        assertThatFails(() -> icnsElements(renamed));
        byte[] noMask = icns.clone();
        int s8mk = indexOf(noMask, "s8mk".getBytes(StandardCharsets.US_ASCII));
        System.arraycopy("icnV".getBytes(StandardCharsets.US_ASCII), 0, noMask, s8mk, 4); // is32 loses its mask
        assertThatFails(() -> icnsElements(noMask));
    }

    // --------------------------------------------------------------- (e) the macOS Info.plist

    @Test
    void theInfoPlistOverrideMakesAMenuBarApp() throws Exception {
        Path plist = Path.of(option("installer/macos/macos.cfg", "--resource-dir"), "Info.plist");
        String template = Files.readString(plist, StandardCharsets.UTF_8);

        Map<String, Element> dict = plistDict(template);
        assertThat(dict.get("LSUIElement").getTagName()).as("LSUIElement").isEqualTo("true");
        assertThat(string(dict, "CFBundleExecutable")).isEqualTo("DEPLOY_LAUNCHER_NAME");
        assertThat(string(dict, "CFBundleIconFile")).isEqualTo("DEPLOY_ICON_FILE");
        assertThat(string(dict, "CFBundleIdentifier")).isEqualTo("DEPLOY_BUNDLE_IDENTIFIER");
        assertThat(string(dict, "CFBundleName")).isEqualTo("DEPLOY_BUNDLE_NAME");
        assertThat(string(dict, "CFBundleShortVersionString")).isEqualTo("DEPLOY_BUNDLE_SHORT_VERSION");
        assertThat(string(dict, "CFBundleVersion")).isEqualTo("DEPLOY_BUNDLE_CFBUNDLE_VERSION");
        assertThat(string(dict, "CFBundlePackageType")).isEqualTo("APPL");

        // A misspelt placeholder would reach the app unreplaced.
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("\\bDEPLOY_[A-Z_]+\\b").matcher(template);
        while (m.find()) {
            words.add(m.group());
        }
        assertThat(words).isSubsetOf(INFO_PLIST_PLACEHOLDERS);

        // What jpackage writes (plain text replacement) is still a plist with the same LSUIElement.
        String written = template;
        for (String word : INFO_PLIST_PLACEHOLDERS) {
            written = written.replace(word, word.equals("DEPLOY_FILE_ASSOCIATIONS") ? ""
                    : word.equals("DEPLOY_BUNDLE_COPYRIGHT") ? "Copyright (C) 2025" : "x-1.2.3");
        }
        assertThat(written).doesNotContain("DEPLOY_");
        assertThat(plistDict(written).get("LSUIElement").getTagName()).isEqualTo("true");
    }

    @Test
    void thePlistReaderSeesLsuiElementFalse() throws Exception {
        Map<String, Element> dict = plistDict("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                + "<key>LSUIElement</key><false/></dict></plist>");
        assertThat(dict.get("LSUIElement").getTagName()).isEqualTo("false");
        assertThatFails(() -> plistDict("<plist><dict><key>LSUIElement</key><true/></plist>"));
    }

    // ------------------------------------------------------------------------ (f) the workflow

    @Test
    void theWorkflowBuildsByTheRule() throws Exception {
        List<WorkflowCommand> commands = jpackageCommands(Files.readString(WORKFLOW, StandardCharsets.UTF_8));
        assertThat(commands).extracting(c -> c.optionFiles)
                .contains("@jpackage.cfg @installer/windows/windows.cfg", "@jpackage.cfg @installer/macos/macos.cfg");
        Map<String, String> typeByFiles = Map.of(
                "@jpackage.cfg @installer/windows/windows.cfg", "msi",
                "@jpackage.cfg @installer/macos/macos.cfg", "dmg");
        Map<String, String> runnerByFiles = Map.of(
                "@jpackage.cfg @installer/windows/windows.cfg", "windows-",
                "@jpackage.cfg @installer/macos/macos.cfg", "macos-");
        for (WorkflowCommand command : commands) {
            for (String file : command.optionFiles.split(" ")) {
                assertThat(Path.of(file.substring(1))).as(command.line).isRegularFile();
            }
            assertThat(command.options.keySet()).as(command.line).containsExactlyInAnyOrderElementsOf(COMMAND_LINE_ONLY);
            assertThat(command.options).as(command.line)
                    .containsEntry("--input", "target/jpackage-input")
                    .containsEntry("--main-jar", "connect-tray.jar")
                    .containsEntry("--dest", "target/installer");
            if (typeByFiles.containsKey(command.optionFiles)) {
                assertThat(command.options.get("--type")).as(command.line).isEqualTo(typeByFiles.get(command.optionFiles));
                assertThat(command.runner).as("runs-on of " + command.line).startsWith(runnerByFiles.get(command.optionFiles));
            }
        }
    }

    @Test
    void theWorkflowReaderCatchesOptionsOutsideTheFiles() {
        String workflow = "jobs:\n  w:\n    runs-on: windows-latest\n    steps:\n      - run: |\n"
                + "          jpackage @jpackage.cfg @installer/windows/windows.cfg --type msi \\\n"
                + "            --input target/jpackage-input --main-jar connect-tray.jar --app-version \"$V\" \\\n"
                + "            --dest target/installer --win-menu\n";
        List<WorkflowCommand> commands = jpackageCommands(workflow);
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.optionFiles).isEqualTo("@jpackage.cfg @installer/windows/windows.cfg");
            assertThat(c.runner).isEqualTo("windows-latest");
            assertThat(c.options).containsKey("--win-menu").containsEntry("--app-version", "$V");
        });
    }

    // ------------------------------------------------------------------------- (g) the runtime

    /** The options jpackage gives jlink when --jlink-options does not replace them. */
    /**
     * jpackage's default jlink options but {@code --strip-native-commands}: the Linux launcher
     * (installer/linux/launcher.sh) starts the runtime's own {@code java}.
     */
    private static final List<String> JPACKAGE_JLINK_DEFAULTS =
            List.of("--strip-debug", "--no-man-pages", "--no-header-files");

    @Test
    void javafxIsLinkedIntoTheRuntimeFromTheJmodsTheBuildMakes() throws Exception {
        OptionFile shared = OptionFile.read(SHARED, null);
        assertThat(values(shared, "--add-modules")).singleElement()
                .satisfies(v -> assertThat(v.split(",")).contains("javafx.controls", "java.desktop"));
        assertThat(values(shared, "--module-path")).containsExactly("target/javafx-jmods");
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<javafx.jmods>${project.build.directory}/javafx-jmods</javafx.jmods>");
        // A jmod for javafx.controls and every JavaFX module it needs; natives in graphics's libs.
        for (String module : List.of("javafx.base", "javafx.graphics", "javafx.controls")) {
            assertThat(pom).contains("<argument>" + module + ".jmod</argument>");
        }
        assertThat(pom).contains("<argument>--libs</argument>");
        // JavaFX is never on the class path as well: the copy into jpackage's input leaves it out.
        assertThat(pom).contains("<excludeGroupIds>org.openjfx</excludeGroupIds>");
    }

    @Test
    void jlinkOptionsKeepJpackagesOwnDefaults() throws Exception {
        for (OptionFile file : allFiles()) {
            for (String value : values(file, "--jlink-options")) {
                assertThat(value.split("\\s+")).as("--jlink-options in %s replaces jpackage's own", file.path())
                        .containsAll(JPACKAGE_JLINK_DEFAULTS);
            }
        }
    }

    @Test
    void theRuntimeKeepsTheJavaCommandTheLinuxLauncherStarts() throws Exception {
        List<String> jlink = values(OptionFile.read(SHARED, null), "--jlink-options");
        assertThat(jlink).as("jpackage.cfg sets --jlink-options (jpackage's default strips bin/java)").hasSize(1);
        assertThat(jlink.get(0).split("\\s+")).doesNotContain("--strip-native-commands");
        assertThat(Files.readString(Path.of("installer/linux/launcher.sh"), StandardCharsets.UTF_8))
                .contains("java=$image/lib/runtime/bin/connect-tray");
        assertThat(Files.readString(Path.of("installer/linux/install-launcher.sh"), StandardCharsets.UTF_8))
                .contains("ln -sfn java \"$runtime_bin/connect-tray\"");
    }

    @Test
    void theLauncherMapsTheArchiveTheBuildAndThePackageMake() throws Exception {
        assertThat(values(OptionFile.read(SHARED, null), "--java-options"))
                .contains("-XX:SharedArchiveFile=$APPDIR/connect-tray.jsa");
        assertThat(Files.readString(Path.of("installer/linux/cds-archive.sh"), StandardCharsets.UTF_8))
                .contains("archive=$image/lib/app/connect-tray.jsa", "\"$image/lib/app/connect-tray.classlist\"");
        String postinst = Files.readString(Path.of("installer/linux/resources/postinst"), StandardCharsets.UTF_8);
        assertThat(postinst).contains("app=/opt/connect-tray/lib/app", "-Xshare:dump",
                "-XX:SharedClassListFile=$app/connect-tray.classlist", "-XX:SharedArchiveFile=$app/connect-tray.jsa");
        assertThat(Files.readString(Path.of("installer/linux/resources/prerm"), StandardCharsets.UTF_8))
                .contains("rm -f /opt/connect-tray/lib/app/connect-tray.jsa");
    }

    private static List<String> values(OptionFile file, String name) {
        return file.options().stream().filter(o -> o.name().equals(name)).map(Option::value).toList();
    }

    // ================================================================================ helpers

    private static void assertThatFails(ThrowingRunnable check) {
        try {
            check.run();
        } catch (AssertionError | Exception expected) {
            return;
        }
        fail("the check accepted a broken input");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<Path> osFolders() throws IOException {
        try (Stream<Path> folders = Files.list(INSTALLER)) {
            return folders.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** jpackage.cfg first, then every installer/<os>/*.cfg. */
    private static List<OptionFile> allFiles() throws IOException {
        List<OptionFile> files = new ArrayList<>();
        files.add(OptionFile.read(SHARED, null));
        for (Path folder : osFolders()) {
            try (Stream<Path> cfgs = Files.list(folder)) {
                for (Path cfg : cfgs.filter(p -> p.toString().endsWith(".cfg")).sorted().toList()) {
                    files.add(OptionFile.read(cfg, folder.getFileName().toString()));
                }
            }
        }
        return files;
    }

    /** Every set of option files that one jpackage command line can combine (see the class comment). */
    private static List<List<OptionFile>> commandLines() throws IOException {
        List<OptionFile> files = allFiles();
        OptionFile shared = files.get(0);
        Map<String, List<OptionFile>> byOs = files.stream().skip(1)
                .collect(Collectors.groupingBy(OptionFile::os, TreeMap::new, Collectors.toList()));
        List<List<OptionFile>> lines = new ArrayList<>();
        byOs.forEach((os, osFiles) -> {
            List<OptionFile> common = osFiles.stream()
                    .filter(f -> f.path().getFileName().toString().equals(os + ".cfg")).toList();
            List<OptionFile> alternatives = osFiles.stream().filter(f -> !common.contains(f)).toList();
            if (alternatives.isEmpty()) {
                lines.add(concat(List.of(shared), common));
            }
            for (OptionFile alternative : alternatives) {
                lines.add(concat(concat(List.of(shared), common), List.of(alternative)));
            }
        });
        return lines;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Options set twice on one command line: any option but a repeatable one, and a repeatable one with the same value. */
    private static List<String> duplicates(List<OptionFile> files) {
        Map<String, List<Path>> where = new LinkedHashMap<>();
        for (OptionFile file : files) {
            for (Option option : file.options()) {
                String key = jpackage.repeatable.contains(option.name())
                        ? option.name() + " " + option.value() : option.name();
                where.computeIfAbsent(key, k -> new ArrayList<>()).add(file.path());
            }
        }
        List<String> problems = new ArrayList<>();
        where.forEach((key, paths) -> {
            if (paths.size() > 1) {
                String files1 = paths.stream().map(p -> p.toString().replace('\\', '/'))
                        .collect(Collectors.joining(", "));
                problems.add(key + (key.contains(" ") ? " is given twice: " : " is set twice: ") + files1);
            }
        });
        return problems;
    }

    private static String option(String file, String name) throws IOException {
        Path path = Path.of(file);
        List<String> values = OptionFile.read(path, path.getParent().getFileName().toString()).options().stream()
                .filter(o -> o.name().equals(name)).map(Option::value).toList();
        assertThat(values).as("%s in %s", name, file).hasSize(1);
        return values.get(0);
    }

    record Option(String name, String value) {
    }

    /** One jpackage @-file, read with jpackage's own rules. */
    record OptionFile(Path path, String os, List<Option> options) {
        static OptionFile read(Path path, String os) throws IOException {
            assertThat(path).isRegularFile();
            return parse(path, os, Files.readString(path, StandardCharsets.UTF_8));
        }

        static OptionFile parse(Path path, String os, String text) {
            List<String> tokens = tokens(text);
            List<Option> options = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (!token.startsWith("-")) {
                    fail("%s: %s is no option (a value without its option, or a stray word)", path, token);
                }
                String name = jpackage.aliases.getOrDefault(token, token);
                String next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                // jpackage knows which options take a value; its help shows most (--name <name>), but
                // not all (--linux-package-deps) nor those of other systems: then a following word
                // that is no --option is the value.
                boolean value = next != null
                        && (jpackage.takesValue.contains(name) || !next.startsWith("--"));
                options.add(new Option(name, value ? next : null));
                if (value) {
                    i++;
                }
            }
            return new OptionFile(path, os, options);
        }

        /**
         * Splits an @-file as jpackage 17 does (jdk.jpackage.main.CommandLine): words are separated by
         * blanks; '...' and "..." quote blanks (and, inside quotes, a backslash escapes the next
         * character, \n \r \t \f being control characters); a line break ends a word even inside
         * quotes; '#' where a word would start comments out the rest of the line.
         */
        static List<String> tokens(String text) {
            List<String> tokens = new ArrayList<>();
            int i = 0;
            int n = text.length();
            while (true) {
                // Blanks and comments between words.
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '#') {
                        while (i < n && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                            i++;
                        }
                    } else if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                        i++;
                    } else {
                        break;
                    }
                }
                if (i >= n) {
                    return tokens;
                }
                StringBuilder word = new StringBuilder();
                char quote = 0;
                word:
                while (i < n) {
                    char c = text.charAt(i);
                    switch (c) {
                        case ' ', '\t', '\f' -> {
                            if (quote == 0) {
                                break word;
                            }
                            word.append(c);
                        }
                        case '\n', '\r' -> {
                            break word;
                        }
                        case '\'', '"' -> {
                            if (quote == 0) {
                                quote = c;
                            } else if (quote == c) {
                                quote = 0;
                            } else {
                                word.append(c);
                            }
                        }
                        case '\\' -> {
                            if (quote != 0 && i + 1 < n) {
                                char e = text.charAt(++i);
                                if (e == '\n' || e == '\r') {
                                    while (i < n && " \t\f\n\r".indexOf(text.charAt(i)) >= 0) {
                                        i++;
                                    }
                                    continue word;
                                }
                                word.append(switch (e) {
                                    case 'n' -> '\n';
                                    case 'r' -> '\r';
                                    case 't' -> '\t';
                                    case 'f' -> '\f';
                                    default -> e;
                                });
                            } else {
                                word.append(c);
                            }
                        }
                        default -> word.append(c);
                    }
                    i++;
                }
                tokens.add(word.toString());
            }
        }
    }

    @Test
    void theTokenizerFollowsJpackage() {
        assertThat(OptionFile.tokens("# a comment --name x\n--vendor \"Connect Tray\" # more\n"
                + "  --description 'it''s \"quoted\"'\t--java-options -Dx=\"a\\tb\"\n"))
                .containsExactly("--vendor", "Connect Tray", "--description", "its \"quoted\"",
                        "--java-options", "-Dx=a\tb");
        assertThat(OptionFile.tokens("--name \"a\nb\"")).containsExactly("--name", "a", "b");
        assertThat(OptionFile.tokens("--name a#b")).containsExactly("--name", "a#b");
    }

    /** This JDK's jpackage: its options (from --help) and whether it knows an option of another system. */
    static final class Jpackage {
        private static final Pattern OPTION_LINE =
                Pattern.compile("^  (--[a-z0-9][a-z0-9-]*)(?: (-[a-zA-Z0-9]))?( <[^>]*>.*)?\\s*$");

        final Path executable;
        final String version;
        final Set<String> helpOptions = new LinkedHashSet<>();
        final Map<String, String> aliases = new HashMap<>();
        final Set<String> takesValue = new LinkedHashSet<>();
        final Set<String> repeatable = new LinkedHashSet<>();
        private final Map<String, Boolean> probed = new HashMap<>();

        private Jpackage(Path executable, String version, String help) {
            this.executable = executable;
            this.version = version;
            String current = null;
            for (String line : help.split("\\R")) {
                Matcher m = OPTION_LINE.matcher(line);
                if (m.matches()) {
                    current = m.group(1);
                    helpOptions.add(current);
                    if (m.group(2) != null) {
                        aliases.put(m.group(2), current);
                    }
                    if (m.group(3) != null) {
                        takesValue.add(current);
                    }
                } else if (current != null && line.contains("can be used multiple times")) {
                    repeatable.add(current);
                } else if (!line.startsWith("   ")) {
                    current = null; // a heading: the next block is not this option's description
                }
            }
        }

        static Jpackage ofThisJdk() throws Exception {
            boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
            Path executable = Path.of(System.getProperty("java.home"), "bin", windows ? "jpackage.exe" : "jpackage");
            assertThat(executable).as("jpackage of the JDK running the tests").isExecutable();
            Result version = run(executable, "--version");
            Result help = run(executable, "--help");
            assertThat(help.exit).as(help.output).isZero();
            return new Jpackage(executable, version.output.strip(), help.output);
        }

        /** Whether this jpackage knows the option, for this system (its help) or for another. */
        boolean knows(String option) throws Exception {
            if (helpOptions.contains(option)) {
                return true;
            }
            Boolean known = probed.get(option);
            if (known == null) {
                // jpackage tells an option of another system ("Option [--win-menu] is not valid on this
                // platform") from one it does not know at all ("Invalid Option: [--win-mneu]").
                Result result = run(executable, option);
                if (result.output.contains("is not valid on this platform")) {
                    known = true;
                } else if (result.output.contains("Invalid Option")) {
                    known = false;
                } else {
                    throw new AssertionError("jpackage " + option + " said neither: " + result.output);
                }
                probed.put(option, known);
            }
            return known;
        }

        record Result(int exit, String output) {
        }

        private static Result run(Path executable, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(executable.toString(),
                    "-J-Duser.language=en", "-J-Duser.country=US"));
            command.addAll(Arrays.asList(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jpackage " + String.join(" ", args) + " did not finish");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------------------ ICO

    /** The image sizes of an ICO, in directory order, each checked against its image. */
    static List<Integer> icoSizes(byte[] ico) {
        ByteBuffer b = ByteBuffer.wrap(ico).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(0)).as("ICO reserved").isZero();
        assertThat(b.getShort(2)).as("ICO type (1: icon)").isEqualTo((short) 1);
        int count = Short.toUnsignedInt(b.getShort(4));
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int entry = 6 + 16 * i;
            int width = Byte.toUnsignedInt(ico[entry]) == 0 ? 256 : Byte.toUnsignedInt(ico[entry]);
            int height = Byte.toUnsignedInt(ico[entry + 1]) == 0 ? 256 : Byte.toUnsignedInt(ico[entry + 1]);
            int bits = Short.toUnsignedInt(b.getShort(entry + 6));
            int length = b.getInt(entry + 8);
            int offset = b.getInt(entry + 12);
            assertThat(width).as("ICO entry %d is square", i).isEqualTo(height);
            assertThat(offset).as("ICO entry %d offset", i).isGreaterThanOrEqualTo(6 + 16 * count);
            assertThat((long) offset + length).as("ICO entry %d end", i).isLessThanOrEqualTo(ico.length);
            byte[] image = Arrays.copyOfRange(ico, offset, offset + length);
            if (isPng(image)) {
                assertThat(pngSize(image)).as("ICO entry %d PNG size", i).containsExactly(width, height);
            } else {
                ByteBuffer bmp = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
                assertThat(bmp.getInt(0)).as("ICO entry %d BITMAPINFOHEADER size", i).isEqualTo(40);
                assertThat(bmp.getInt(4)).as("ICO entry %d bitmap width", i).isEqualTo(width);
                assertThat(bmp.getInt(8)).as("ICO entry %d bitmap height (image and mask)", i).isEqualTo(2 * height);
                assertThat(Short.toUnsignedInt(bmp.getShort(14))).as("ICO entry %d bits", i).isEqualTo(32);
                assertThat(bits).as("ICO entry %d directory bits", i).isEqualTo(32);
            }
            sizes.add(width);
        }
        return sizes;
    }

    // ----------------------------------------------------------------------------- ICNS

    /** The 32-bit image types of ICNS and their pixel size (2x types: their pixels). */
    private static final Map<String, Integer> ICNS_IMAGE_TYPES = Map.ofEntries(
            Map.entry("is32", 16), Map.entry("il32", 32), Map.entry("ih32", 48), Map.entry("it32", 128),
            Map.entry("icp4", 16), Map.entry("icp5", 32), Map.entry("icp6", 64), Map.entry("ic07", 128),
            Map.entry("ic08", 256), Map.entry("ic09", 512), Map.entry("ic10", 1024), Map.entry("ic11", 32),
            Map.entry("ic12", 64), Map.entry("ic13", 256), Map.entry("ic14", 512));
    /** The RLE RGB types and their 8-bit alpha masks. */
    private static final Map<String, String> ICNS_MASKS =
            Map.of("is32", "s8mk", "il32", "l8mk", "ih32", "h8mk", "it32", "t8mk");
    /** Elements that carry no image of their own. */
    private static final Set<String> ICNS_OTHER = Set.of("TOC ", "icnV", "name", "info");

    /** The elements of an ICNS: type to pixel size (masks: the size they mask), each checked against its data. */
    static Map<String, Integer> icnsElements(byte[] icns) {
        ByteBuffer b = ByteBuffer.wrap(icns).order(ByteOrder.BIG_ENDIAN);
        assertThat(new String(icns, 0, 4, StandardCharsets.US_ASCII)).as("ICNS magic").isEqualTo("icns");
        assertThat(b.getInt(4)).as("ICNS length").isEqualTo(icns.length);
        Map<String, byte[]> data = new LinkedHashMap<>();
        int at = 8;
        while (at < icns.length) {
            assertThat(at + 8).as("ICNS element header").isLessThanOrEqualTo(icns.length);
            String type = new String(icns, at, 4, StandardCharsets.US_ASCII);
            int length = b.getInt(at + 4);
            assertThat(length).as("ICNS %s length", type).isGreaterThan(8);
            assertThat((long) at + length).as("ICNS %s end", type).isLessThanOrEqualTo(icns.length);
            data.put(type, Arrays.copyOfRange(icns, at + 8, at + length));
            at += length;
        }
        Map<String, Integer> elements = new LinkedHashMap<>();
        Map<String, String> maskOf = ICNS_MASKS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        data.forEach((type, bytes) -> {
            if (ICNS_OTHER.contains(type)) {
                return;
            }
            if (maskOf.containsKey(type)) {
                int size = ICNS_IMAGE_TYPES.get(maskOf.get(type));
                assertThat(bytes.length).as("ICNS %s mask length", type).isEqualTo(size * size);
                assertThat(data).as("ICNS %s without its image", type).containsKey(maskOf.get(type));
                elements.put(type, size);
                return;
            }
            Integer size = ICNS_IMAGE_TYPES.get(type);
            assertThat(size).as("ICNS element type %s", type).isNotNull();
            if (ICNS_MASKS.containsKey(type)) {
                assertThat(data).as("ICNS %s without its mask", type).containsKey(ICNS_MASKS.get(type));
                byte[] rle = type.equals("it32") ? Arrays.copyOfRange(bytes, 4, bytes.length) : bytes;
                assertThat(unpackedLength(rle)).as("ICNS %s unpacked", type).isEqualTo(3 * size * size);
            } else if (isPng(bytes)) {
                assertThat(pngSize(bytes)).as("ICNS %s PNG size", type).containsExactly(size, size);
            } else {
                assertThat(jpeg2000Size(bytes)).as("ICNS %s JPEG 2000 size", type).containsExactly(size, size);
            }
            elements.put(type, size);
        });
        return elements;
    }

    /** Length of ICNS RLE data once unpacked: below 0x80, n + 1 literal bytes follow; else one byte, n - 125 times. */
    private static int unpackedLength(byte[] rle) {
        int length = 0;
        int i = 0;
        while (i < rle.length) {
            int n = Byte.toUnsignedInt(rle[i]);
            if (n < 0x80) {
                length += n + 1;
                i += n + 2;
            } else {
                length += n - 125;
                i += 2;
            }
        }
        assertThat(i).as("RLE ends with its data").isEqualTo(rle.length);
        return length;
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JP2_SIGNATURE = {0, 0, 0, 12, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'};

    private static boolean isPng(byte[] data) {
        return data.length > 24 && Arrays.equals(data, 0, 8, PNG_SIGNATURE, 0, 8);
    }

    private static List<Integer> pngSize(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        assertThat(new String(png, 12, 4, StandardCharsets.US_ASCII)).as("PNG IHDR").isEqualTo("IHDR");
        return List.of(b.getInt(16), b.getInt(20));
    }

    /** Width and height from a JP2 file's image header box ('ihdr': height, then width). */
    private static List<Integer> jpeg2000Size(byte[] jp2) {
        assertThat(jp2.length > 12 && Arrays.equals(jp2, 0, 12, JP2_SIGNATURE, 0, 12))
                .as("PNG or JPEG 2000 data").isTrue();
        int ihdr = indexOf(jp2, "ihdr".getBytes(StandardCharsets.US_ASCII));
        assertThat(ihdr).as("JPEG 2000 ihdr box").isPositive();
        ByteBuffer b = ByteBuffer.wrap(jp2);
        return List.of(b.getInt(ihdr + 8), b.getInt(ihdr + 4));
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---------------------------------------------------------------------------- plist

    /** The top-level dict of a plist: key to value element. Never loads the DTD from apple.com. */
    static Map<String, Element> plistDict(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        Document document = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element plist = document.getDocumentElement();
        assertThat(plist.getTagName()).isEqualTo("plist");
        List<Element> top = children(plist);
        assertThat(top).singleElement().extracting(Element::getTagName).isEqualTo("dict");
        List<Element> entries = children(top.get(0));
        assertThat(entries.size() % 2).as("dict entries come in key-value pairs").isZero();
        Map<String, Element> dict = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i += 2) {
            Element key = entries.get(i);
            assertThat(key.getTagName()).as("entry %d of the dict", i).isEqualTo("key");
            assertThat(dict.put(key.getTextContent(), entries.get(i + 1))).as("key %s twice", key.getTextContent())
                    .isNull();
        }
        return dict;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }

    private static String string(Map<String, Element> dict, String key) {
        Element value = dict.get(key);
        assertThat(value).as(key).isNotNull();
        assertThat(value.getTagName()).as(key).isEqualTo("string");
        return value.getTextContent();
    }

    // ------------------------------------------------------------------------- workflow

    /** A jpackage call with @-files in the workflow: its @-files, its other options, the job's runner. */
    record WorkflowCommand(String line, String optionFiles, Map<String, String> options, String runner) {
    }

    private static final Pattern RUNS_ON = Pattern.compile("^\\s*runs-on:\\s*(\\S+)");
    private static final Pattern JPACKAGE_CALL = Pattern.compile("(?:^|[\\s;&|])jpackage((?:\\s+@\\S+)+)(.*)$");

    static List<WorkflowCommand> jpackageCommands(String workflow) {
        // Shell line continuations join a command back into one line.
        String joined = workflow.replaceAll("\\\\\\r?\\n\\s*", " ");
        List<WorkflowCommand> commands = new ArrayList<>();
        String runner = null;
        for (String line : joined.split("\\R")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher runsOn = RUNS_ON.matcher(line);
            if (runsOn.find()) {
                runner = runsOn.group(1);
            }
            Matcher call = JPACKAGE_CALL.matcher(line);
            if (!call.find()) {
                continue;
            }
            String files = call.group(1).strip().replaceAll("\\s+", " ");
            List<String> words = shellWords(call.group(2));
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                assertThat(word).as("in %s", line.strip()).startsWith("--");
                String value = i + 1 < words.size() && !words.get(i + 1).startsWith("--") ? words.get(++i) : null;
                assertThat(options.put(word, value)).as("%s twice in %s", word, line.strip()).isNull();
            }
            commands.add(new WorkflowCommand(line.strip(), files, options, runner));
        }
        return commands;
    }

    private static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(text);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return words;
    }
}
