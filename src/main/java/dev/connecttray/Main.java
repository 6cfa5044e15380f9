package dev.connecttray;

import dev.connecttray.core.StateChange;
import com.spotify.connectstate.Connect;
import dev.connecttray.config.AppPaths;
import dev.connecttray.config.ConfigException;
import dev.connecttray.config.ConfigExample;
import dev.connecttray.config.FileProblems;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.LoadedSettings;
import dev.connecttray.config.Settings;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ExecutorScheduler;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.engine.golibrespot.GoLibrespotConfig;
import dev.connecttray.engine.golibrespot.GoLibrespotEngine;
import dev.connecttray.engine.soloist.ApiKeyFile;
import dev.connecttray.engine.soloist.SoloistBinaries;
import dev.connecttray.engine.soloist.SoloistConsent;
import dev.connecttray.config.EngineKind;
import dev.connecttray.config.SoloistTerms;
import dev.connecttray.os.Platform;
import dev.connecttray.ui.SoloistSetup;
import dev.connecttray.engine.soloist.SoloistEngine;
import dev.connecttray.receiver.DeviceIdFile;
import dev.connecttray.receiver.LibrespotReceiver;
import dev.connecttray.receiver.zeroconf.Advertiser;
import dev.connecttray.receiver.zeroconf.Advertisers;
import dev.connecttray.receiver.ReceiverService;
import dev.connecttray.supervisor.ChildLauncher;
import dev.connecttray.supervisor.ControlChannel;
import dev.connecttray.supervisor.InstanceLock;
import dev.connecttray.supervisor.ProcessChildLauncher;
import dev.connecttray.ipc.RetryBudget;
import dev.connecttray.supervisor.EmbeddedEngine;
import dev.connecttray.supervisor.Engine;
import dev.connecttray.supervisor.SdNotify;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.supervisor.StatusNote;
import dev.connecttray.supervisor.SupervisorService;
import dev.connecttray.tray.DesktopNotifier;
import dev.connecttray.view.StatusReport;
import dev.connecttray.tray.FolderOpener;
import dev.connecttray.ui.StartupErrorWindow;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The command line and the composition root: parses arguments, loads the configuration, wires the
 * parts for the chosen mode, and turns the outcome into the process exit status.
 */
@Command(name = "connect-tray", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Turns this computer into a Spotify Connect receiver and keeps it connected.",
        footerHeading = "%nDefault configuration file:%n",
        footer = {"  ${sys:connecttray.defaultConfigFile}", "",
                "Exit status:",
                "  0   stopped by the user, a stop command, or SIGTERM/SIGINT/SIGHUP",
                "  64  bad command line",
                "  69  Spotify stayed unreachable through the whole retry budget",
                "  70  internal error, or the engine crashed 3 times within 10 minutes",
                "  75  try again later: the receiver is wedged or out of file descriptors,",
                "      another instance runs with the same state folder, or the state",
                "      folder cannot be written",
                "  77  Spotify rejected the login or the account",
                "  78  invalid configuration, or an unusable credentials file"},
        subcommands = {Main.ReceiverCommand.class, Main.StatusCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = "--headless", description = "Run without any UI: logs to stderr and the log file.")
    boolean headless;

    @Option(names = "--allow-soloist-download", description = "Record your consent that Connect Tray downloads, "
            + "keeps and refreshes Spotify Soloist from Spotify's build host, for the Soloist engine without a "
            + "binary of your own; the tray asks instead. Spotify's terms apply (see README, \"The managed Soloist copy\").")
    boolean allowSoloistDownload;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: see below).")
    Path config;

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
            description = "trace, debug, info, warn or error (default: the config file's logLevel, else info).")
    LogLevelOption logLevel;

    /** picocli's enum matching is case-sensitive by default; the names users type are lower case. */
    enum LogLevelOption { trace, debug, info, warn, error }

    public static void main(String[] args) {
        // First of all: from here on SIGTERM, SIGINT and SIGHUP stop cleanly with 0 instead of 128 + n.
        Signals.install();
        ProcessExit.installUncaughtHandler();
        // Next, so that loading the library overlaps the JVM's and logging's start-up.
        if (args.length > 0 && args[0].equals("receiver")) dev.connecttray.receiver.LibraryWarmUp.startInBackground();
        // A launch from the desktop: the tray (JavaFX, GTK, the tray library) starts now, while the
        // command line, the logging and the configuration are read; it shows once they were.
        boolean trayLaunch = desktopLaunch(args, System.getenv(), Platform.current());
        String cliLevel = trayLaunch ? logLevelArgument(args) : null;
        if (cliLevel != null) LogSetup.level(cliLevel);   // so that the tray's start logs at that level too
        if (trayLaunch) EARLY_TRAY.set(TrayMode.PendingTray.begin());
        LoggerFactory.getILoggerFactory();
        Outcome outcome = execute(args, System.out, System.err, System.in);
        TrayMode.PendingTray unused = EARLY_TRAY.getAndSet(null);
        if (unused != null) unused.discard();
        // A command that answers a question (--help, --version, status, a bad flag) prints its answer
        // and nothing else; the supervisor and the receiver log how they end, for the log and the service.
        if (outcome.ranService()) {
            ProcessExit.exit(outcome.status());
        } else {
            ProcessExit.exitSilently(outcome.status());
        }
    }

    /** The tray begun by {@link #main} before the command line was parsed; taken by the supervisor in tray mode. */
    private static final java.util.concurrent.atomic.AtomicReference<TrayMode.PendingTray> EARLY_TRAY =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Whether {@code args} start tray mode on a display, as a desktop's launcher does: nothing but
     * {@code --config} and {@code --log-level} (each with its value), and a display named in the
     * environment (always on Windows and macOS). Only a guess made before parsing, to start the
     * tray early: the parsed command line decides, and a tray not used is discarded unseen.
     */
    static boolean desktopLaunch(String[] args, java.util.Map<String, String> env, Platform platform) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--config=") || a.startsWith("--log-level=")) continue;
            if ((a.equals("--config") || a.equals("--log-level")) && i + 1 < args.length) {
                i++;
                continue;
            }
            return false;
        }
        if (platform.isWindows() || platform.isMac()) return true;
        return !env.getOrDefault("DISPLAY", "").isEmpty() || !env.getOrDefault("WAYLAND_DISPLAY", "").isEmpty();
    }

    /** The value of {@code --log-level} in {@code args} (the last one given), else null. */
    static String logLevelArgument(String[] args) {
        String level = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--log-level=")) level = args[i].substring("--log-level=".length());
            else if (args[i].equals("--log-level") && i + 1 < args.length) level = args[++i];
        }
        return level;
    }

    /**
     * How a run ended.
     *
     * @param ranService whether it ran the supervisor or the receiver (which log their exit), rather
     *                   than answering a question
     */
    record Outcome(ExitStatus status, boolean ranService) {
    }

    /** Parses and runs; every outcome, including bad input, is an {@link ExitStatus}. */
    static ExitStatus run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        return execute(args, out, err, in).status();
    }

    /** As {@link #run}, and says whether a service ran. */
    static Outcome execute(String[] args, PrintStream out, PrintStream err, InputStream in) {
        System.setProperty("connecttray.defaultConfigFile", AppPaths.current().configFile().toString());
        Main main = new Main();
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        main.streams = new Streams(out, err, in);
        hideFromStatus(cl, "--config", "--log-level");
        for (CommandLine c : List.of(cl, cl.getSubcommands().get("receiver"))) {
            c.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, Main::footerUnwrapped);
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("connect-tray: " + ex.getMessage());
            err.println("Try 'connect-tray --help' for the options.");
            return ExitStatus.USAGE.code();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            LoggerFactory.getLogger(Main.class).error("Internal error: {}", ex.toString());
            LoggerFactory.getLogger(Main.class).debug("Stack trace", ex);
            return ExitStatus.SOFTWARE.code();
        });
        int code = cl.execute(args);
        return new Outcome(ExitStatus.ofCode(code).orElse(ExitStatus.SOFTWARE), main.ranService);
    }

    /**
     * The program's options that {@code status} inherits but has no use for: kept out of its help
     * (it refuses them with a message, see {@link StatusCommand}).
     */
    private static void hideFromStatus(CommandLine cl, String... names) {
        CommandLine.Model.CommandSpec status = cl.getSubcommands().get("status").getCommandSpec();
        for (String name : names) {
            CommandLine.Model.OptionSpec option = status.findOption(name);
            if (option == null || option.hidden()) continue;
            status.remove(option);
            status.addOption(option.toBuilder().hidden(true).build());
        }
    }

    record Streams(PrintStream out, PrintStream err, InputStream in) {
    }

    /**
     * The charset {@code out} encodes with: for {@code System.out}, the console's (Java 17 uses
     * sun.stdout.encoding on a terminal, else the locale's; later Javas say stdout.encoding), which
     * under a C locale is ASCII; other streams here are the tests', in UTF-8.
     */
    static java.nio.charset.Charset consoleCharset(PrintStream out) {
        if (out != System.out) return java.nio.charset.StandardCharsets.UTF_8;
        for (String property : List.of("stdout.encoding", "sun.stdout.encoding")) {
            String name = System.getProperty(property);
            if (name != null && java.nio.charset.Charset.isSupported(name)) return java.nio.charset.Charset.forName(name);
        }
        return java.nio.charset.Charset.defaultCharset();
    }

    /**
     * The footer as written, never wrapped: it holds the default config file's path, which must stay
     * whole to be copied (picocli would break a path longer than the help's width mid-word), and
     * lines already laid out within 80 columns.
     */
    static String footerUnwrapped(CommandLine.Help help) {
        StringBuilder b = new StringBuilder();
        for (String line : help.commandSpec().usageMessage().footer()) b.append(line).append(System.lineSeparator());
        return b.toString();
    }

    Streams streams;
    /** Set when the supervisor or the receiver runs: their exit is logged. */
    boolean ranService;

    /** Tray mode, or headless: the supervisor process, which runs the receiver as its child. */
    @Override
    public Integer call() {
        if (headless) return runSupervisor(AfterGiveUp.EXIT, false).code();
        var noDisplay = dev.connecttray.tray.TrayHost.noDisplay();
        if (noDisplay.isPresent()) {
            if (noDisplay.get().named()) {
                logger().warn("{}; running headless", noDisplay.get().text());
            } else {
                logger().info("{}; running headless", noDisplay.get().text());
            }
            return runSupervisor(AfterGiveUp.EXIT, false).code();
        }
        return runSupervisor(AfterGiveUp.COOLDOWN, true).code();
    }

    @Command(name = "receiver", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Run one Spotify Connect device in this process: the child of a Connect Tray "
                    + "supervisor, also usable alone.",
                    "Events go to stdout as JSON lines; commands ({\"command\":\"reconnect\"}, "
                            + "{\"command\":\"stop\"}) are read from stdin; logs go to stderr."},
            footerHeading = "%nDefault configuration file:%n", footer = "  ${sys:connecttray.defaultConfigFile}")
    static final class ReceiverCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        // Hidden: how a supervisor starts its child. Not for users, so not in --help.
        @Option(names = "--supervised", hidden = true,
                description = "Run as a supervisor's child: stop when stdin closes; exit 0 only after the stop command.")
        boolean supervised;

        @Option(names = "--retry-budget", hidden = true, paramLabel = "JSON",
                description = "The supervisor's retry settings and how much of the round is spent; "
                        + "they replace the config file's retry section.")
        String retryBudget;

        @Override
        public Integer call() {
            return parent.runReceiver(this).code();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Print the state of the Connect Tray running with this state folder and its last "
                    + "changes, or say that none runs.",
                    "Exit status: 0 when one runs, 69 when none does, 64 for a bad option."})
    static final class StatusCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** The most entries the history keeps, so the most there is to show. */
        static final int MAX_LINES = StateHistory.DEFAULT_MAX_ENTRIES;

        @Option(names = {"-n", "--lines"}, paramLabel = "N",
                description = "How many recent changes to show, 1 to " + MAX_LINES + " (default: ${DEFAULT-VALUE}).")
        int lines = 10;

        @Override
        public Integer call() {
            if (lines < 1 || lines > MAX_LINES) {
                throw new CommandLine.ParameterException(spec.commandLine(), "-n/--lines must be a whole number "
                        + "from 1 to " + MAX_LINES + " (how many recent changes to show), was " + lines);
            }
            // Options of the program that mean nothing here: refused rather than silently ignored.
            // status reads the state folder, which neither the config file nor a log level changes.
            for (String name : List.of("--config", "--log-level", "--headless")) {
                if (given(spec.commandLine(), name) || given(spec.commandLine().getParent(), name)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "status does not take " + name
                            + ": it reads the state folder " + AppPaths.current().stateDir()
                            + ", which no option changes");
                }
            }
            AppPaths paths = AppPaths.current();
            PrintStream out = parent.streams.out();
            java.util.OptionalLong pid = InstanceLock.runningPid(paths.stateDir());
            List<StateChange> recent;
            try {
                recent = StateHistory.read(paths.stateDir(), lines);
            } catch (IOException e) {
                parent.streams.err().println("connect-tray: cannot read the history in " + paths.stateDir() + ": "
                        + e.getMessage());
                recent = List.of();
            }
            Optional<String> engine = pid.isPresent() ? StatusNote.engine(paths.stateDir(), pid.getAsLong())
                    : Optional.empty();
            out.print(StatusReport.forConsole(StatusReport.render(pid, paths.stateDir(), engine, recent,
                    java.time.Instant.now(), java.time.ZoneId.systemDefault()), consoleCharset(out)));
            out.flush();
            return (pid.isPresent() ? ExitStatus.OK : ExitStatus.UNAVAILABLE).code();
        }

        private static boolean given(CommandLine cl, String option) {
            return cl != null && cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(option);
        }
    }

    /** Why {@link #prepare} found the configuration unusable. */
    private ConfigException configProblem;

    /**
     * Sets up logging to stderr and {@code logFile}, then loads the configuration; empty when it is unusable.
     *
     * @param warnedBefore the configuration's warnings were logged already, by the supervisor this
     *                     process is the child of (whose stderr and journal show the child's too):
     *                     they go to debug here
     */
    private java.util.Optional<Settings> prepare(AppPaths paths, String logFile, AfterGiveUp defaultAfterGiveUp,
                                                 boolean warnedBefore) {
        Logger log = logger();
        if (logLevel != null) LogSetup.level(logLevel.name());
        AppPaths.Privacy privacy = null;
        try {
            privacy = paths.makePrivate();
        } catch (IOException e) {
            log.warn("Cannot create the state folder {}: {}", paths.stateDir(), FileProblems.describe(e));
        }
        try {
            LogSetup.file(paths.logDir().resolve(logFile));
        } catch (IOException e) {
            log.warn("Cannot write the log file in {}: {}; logging to stderr only", paths.logDir(),
                    FileProblems.describe(e));
        }
        if (privacy != null) {
            if (privacy.summary() != null) log.warn("{}", privacy.summary());
            for (String problem : privacy.problems()) log.warn("{}", problem);
        }
        LoadedSettings loaded;
        try {
            boolean explicit = config != null;
            loaded = SettingsLoader.load(explicit ? config : paths.configFile(), explicit, defaultAfterGiveUp);
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            configProblem = e;
            return java.util.Optional.empty();
        }
        Settings settings = loaded.settings();
        if (logLevel == null) LogSetup.level(settings.logLevel().name());
        log.info("Connect Tray {} starting{}: config {}{}, state {}, logs {}", Version.number(),
                logFile.startsWith("receiver") ? " the receiver" : "", loaded.source(),
                loaded.fileExisted() ? "" : " (not found: defaults)", paths.stateDir(), paths.logDir());
        for (String warning : loaded.warnings()) {
            if (warnedBefore) {
                log.debug("{} (the supervisor warned)", warning);
            } else {
                log.warn("{}", warning);
            }
        }
        return java.util.Optional.of(settings);
    }

    /**
     * @param desktop show the tray (or the status window where no tray host runs); in Failed it
     *                stays up for the user to reconnect or quit, where headless exits
     */
    private ExitStatus runSupervisor(AfterGiveUp defaultAfterGiveUp, boolean desktop) {
        ranService = true;
        AppPaths paths = AppPaths.current();
        // The tray (with JavaFX, which shares GTK with it) starts while the configuration loads,
        // unless main began it already; it shows only once TrayMode runs.
        TrayMode.PendingTray early = EARLY_TRAY.getAndSet(null);
        TrayMode.PendingTray pendingTray = !desktop ? null : early != null ? early : TrayMode.PendingTray.begin();
        if (!desktop && early != null) early.discard();
        var prepared = prepare(paths, "connect-tray.log", defaultAfterGiveUp, false);
        if (prepared.isEmpty()) {
            if (pendingTray != null) pendingTray.discard();
            if (desktop && configProblem != null) {
                Path file = configProblem.file() != null ? configProblem.file() : paths.configFile();
                StartupErrors.show(new StartupErrorWindow.Message("Connect Tray cannot start: its configuration file has a mistake",
                        file, configProblem.getMessage(), "Fix the file and start Connect Tray again, or move it away to "
                        + "start with the defaults. \"Open config folder\" also puts an example with every key there.",
                        file.toAbsolutePath().getParent()), configFolder -> openConfigFolder(file));
            }
            return ExitStatus.CONFIG;
        }
        Settings settings = prepared.get();
        Refusals refusals = desktop ? new DesktopRefusals(paths.stateDir(), streams.out()) : Refusals.LOG;
        try {
            return superviseHolding(paths, refusals, settings, defaultAfterGiveUp, desktop, pendingTray);
        } finally {
            // Unless TrayMode took it: the state folder was refused, or could not be used.
            if (pendingTray != null) pendingTray.discard();
        }
    }

    private ExitStatus superviseHolding(AppPaths paths, Refusals refusals, Settings settings,
                                        AfterGiveUp defaultAfterGiveUp, boolean desktop, TrayMode.PendingTray pendingTray) {
        return whileHolding(paths, refusals, () -> {
            StateHistory history = StateHistory.open(paths.stateDir(), StateHistory.DEFAULT_MAX_ENTRIES,
                    StateHistory.DEFAULT_MAX_FILE_BYTES);
            if (allowSoloistDownload) {
                try {
                    new SoloistConsent(paths.stateDir()).give(java.time.Instant.now());
                    logger().info("Recorded your consent (--allow-soloist-download) in {}: {}",
                            new SoloistConsent(paths.stateDir()).file(), SoloistTerms.AGREEMENT);
                } catch (IOException e) {
                    logger().error("Could not record the consent of --allow-soloist-download in {}: {}",
                            paths.stateDir(), e.getMessage());
                    return ExitStatus.TEMPFAIL;
                }
            }
            Engine engine = engine(settings, paths);
            ExecutorScheduler supervisorThread = new ExecutorScheduler("supervisor");
            SupervisorService supervisor = new SupervisorService(settings.retry(), engine, history,
                    SdNotify.fromEnvironment(), ReceiverService.heartbeatInterval(), !desktop,
                    Wiring.supervisor(supervisorThread));
            supervisor.keepStatusNote(new StatusNote(paths.stateDir()));
            // Listening from the start: a second launch while the tray comes up is answered once it is up.
            ShowRequests shows = new ShowRequests();
            Optional<ControlChannel> channel = ControlChannel.listen(paths.stateDir(),
                    desktop ? shows::request : request -> ControlChannel.Answer.HEADLESS);
            try (supervisorThread) {
                if (!desktop) return supervisor.run();
                Path configFile = config != null ? config : paths.configFile();
                try (ExecutorScheduler trayThread = new ExecutorScheduler("tray");
                     DesktopNotifier notifier = Wiring.notifier()) {
                    TrayMode mode = new TrayMode(supervisor, settings, paths, configFile, pendingTray.await(),
                            settings.engine().kind() == EngineKind.SOLOIST
                                    ? Optional.of(soloistSetup(settings, paths, supervisor)) : Optional.empty(),
                            Wiring.tray(trayThread, notifier));
                    shows.ready(mode::bringForward);
                    return mode.run();
                }
            } finally {
                channel.ifPresent(ControlChannel::close);
            }
        });
    }

    /** What the tray's Soloist questions do with their answers: record them, then reconnect. */
    private static SoloistSetup soloistSetup(Settings settings, AppPaths paths, SupervisorService supervisor) {
        return new SoloistSetup() {
            @Override
            public void consentAnswered(boolean allowed) throws IOException {
                if (!allowed) return;
                new SoloistConsent(paths.stateDir()).give(java.time.Instant.now());
                logger().info("Download of Spotify Soloist allowed in the tray; reconnecting");
                supervisor.reconnectNow();
            }

            @Override
            public void apiKeyEntered(char[] key) throws IOException {
                Path file = SoloistEngine.Options.inStateFolder(settings.deviceName(), settings.engine().apiKeyFile(),
                        paths.stateDir(), settings.engine().stallLimit(), ReceiverService.heartbeatInterval()).apiKeyFile();
                ApiKeyFile.write(file, key);
                logger().info("Soloist API key saved in {} (owner-only); reconnecting", file);
                supervisor.reconnectNow();
            }
        };
    }

    /** The engine {@code engine.kind} names, as the supervisor's child. */
    private Engine engine(Settings settings, AppPaths paths) {
        return switch (settings.engine().kind()) {
            case EMBEDDED -> {
                List<String> self = ProcessChildLauncher.selfCommand(Main.class.getName());
                yield new EmbeddedEngine(new ProcessChildLauncher(attemptsUsed -> {
                    List<String> cmd = new ArrayList<>(self);
                    cmd.add("receiver");
                    cmd.add("--supervised");
                    if (config != null) cmd.add("--config=" + config.toAbsolutePath());
                    if (logLevel != null) cmd.add("--log-level=" + logLevel.name());
                    cmd.add("--retry-budget=" + new RetryBudget(settings.retry(), attemptsUsed).encode());
                    return cmd;
                }));
            }
            case SOLOIST -> new SoloistEngine(SoloistBinaries.of(settings.engine(), paths),
                    SoloistEngine.Options.inStateFolder(settings.deviceName(), settings.engine().apiKeyFile(),
                            paths.stateDir(), settings.engine().stallLimit(), ReceiverService.heartbeatInterval()),
                    java.time.Clock.systemUTC());
            case GO_LIBRESPOT -> new GoLibrespotEngine(GoLibrespotConfig.of(settings),
                    paths.stateDir().resolve("go-librespot"), settings.engine().binary(),
                    ReceiverService.heartbeatInterval(), settings.retry().maxAttempts());
        };
    }

    /**
     * "Show the window" from another launch: carried out at once when the UI is up, else as soon
     * as it is. Answered {@code shown} either way: the window will be in front.
     */
    private static final class ShowRequests {
        private Runnable show;
        private boolean pending;

        synchronized ControlChannel.Answer request(ControlChannel.Request request) {
            if (show != null) show.run();
            else pending = true;
            return ControlChannel.Answer.SHOWN;
        }

        synchronized void ready(Runnable show) {
            this.show = show;
            if (pending) show.run();
        }
    }

    /** Writes the example config next to {@code configFile} and opens its folder; null when that worked. */
    private static java.util.concurrent.CompletableFuture<String> openConfigFolder(Path configFile) {
        try {
            ConfigExample.writeNextTo(configFile);
        } catch (IOException | RuntimeException e) {
            logger().warn("Could not write the example config next to {}: {}", configFile, e.getMessage());
        }
        return FolderOpener.forCurrentOs().open(configFile.toAbsolutePath().getParent()).thenApply(o -> o.opened() ? null
                : "The folder did not open: " + o.failure() + ". It is " + o.folder());
    }

    /** What a refused start does: the state folder is taken, or cannot be used. */
    private interface Refusals {
        ExitStatus alreadyRunning(InstanceLock.AlreadyRunning e);

        ExitStatus unusable(Path stateDir, IOException e);

        /** Headless, and the receiver: the log says it, the status says the rest. */
        Refusals LOG = new Refusals() {
            @Override
            public ExitStatus alreadyRunning(InstanceLock.AlreadyRunning e) {
                logger().error("{}", e.getMessage());
                return ExitStatus.TEMPFAIL;
            }

            @Override
            public ExitStatus unusable(Path stateDir, IOException e) {
                logger().error("{}", stateFolderMessage(stateDir, e));
                return ExitStatus.TEMPFAIL;
            }
        };
    }

    /**
     * A state folder that cannot be used (a full disk, a read-only or unreachable folder, no
     * permission) is 75: not the configuration, and it may pass; systemd restarts on 75.
     */
    static String stateFolderMessage(Path stateDir, IOException e) {
        return "Cannot use the state folder " + stateDir + ": " + FileProblems.describe(e) + ". "
                + FileProblems.whatToDoWithStateFolder(stateDir, e);
    }

    /**
     * From the desktop: a second launch brings the running instance's window forward and exits 0;
     * every other refusal is shown in a window (and logged), then exits as headless would.
     */
    private record DesktopRefusals(Path stateDir, PrintStream out) implements Refusals {
        static final java.time.Duration ASK_TIMEOUT = java.time.Duration.ofSeconds(3);

        @Override
        public ExitStatus alreadyRunning(InstanceLock.AlreadyRunning e) {
            String pid = e.pid() > 0 ? " (pid " + e.pid() + ")" : "";
            Optional<ControlChannel.Answer> answer = ControlChannel.ask(stateDir, ControlChannel.Request.SHOW, ASK_TIMEOUT);
            if (answer.equals(Optional.of(ControlChannel.Answer.SHOWN))) {
                String line = "Connect Tray is already running" + pid + "; its status window is now in front";
                logger().info("{}", line);
                out.println(line);
                out.flush();
                return ExitStatus.OK;
            }
            boolean service = answer.equals(Optional.of(ControlChannel.Answer.HEADLESS));
            String how = service ? "It runs without a window (as a service, or with --headless)."
                    : "It did not answer a request to show its window.";
            logger().error("{}. {}", e.getMessage(), how);
            StartupErrors.show(new StartupErrorWindow.Message("Connect Tray is already running", stateDir,
                    "Another Connect Tray" + pid + " runs with the state folder " + stateDir + ". " + how,
                    service ? "Stop it first (if it is the service: systemctl --user stop connect-tray), or give this "
                            + "one its own state folder (XDG_STATE_HOME)."
                            : "Stop it first (connect-tray status names its pid), or give this one its own state "
                            + "folder (XDG_STATE_HOME).", null), null);
            return ExitStatus.TEMPFAIL;
        }

        @Override
        public ExitStatus unusable(Path stateDir, IOException e) {
            ExitStatus status = LOG.unusable(stateDir, e);
            StartupErrors.show(new StartupErrorWindow.Message("Connect Tray cannot write its state folder",
                    e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? Path.of(f.getFile()) : stateDir,
                    "Cannot use the state folder " + stateDir + ": " + FileProblems.describe(e) + ".",
                    FileProblems.whatToDoWithStateFolder(stateDir, e), null), null);
            return status;
        }
    }

    /** Shows a start-up error in a window and waits for the user to close it; logs when it cannot. */
    private static final class StartupErrors {
        static void show(StartupErrorWindow.Message message, StartupErrorWindow.FolderAction openFolder) {
            logger().info("Showing the start-up error in a window: {}", message.headline());
            try {
                StartupErrorWindow.showAndWait(message, openFolder != null ? openFolder
                        : folder -> java.util.concurrent.CompletableFuture.completedFuture(null));
                logger().info("The start-up error window was closed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                logger().warn("Cannot show the start-up error in a window: {}", e.toString());
            }
        }
    }

    /** Work that needs the state folder to itself. */
    private interface LockedWork {
        ExitStatus run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} holding the state folder's instance lock: a second instance exits 75 and
     * names the pid of the first; a state folder that cannot be used (a full disk, no permission)
     * is 75 too: it is no configuration error, and systemd restarts on 75. {@code refusals} says
     * and decides what a refused start does.
     */
    private static ExitStatus whileHolding(AppPaths paths, Refusals refusals, LockedWork work) {
        try (InstanceLock lock = InstanceLock.acquire(paths.stateDir())) {
            return work.run();
        } catch (InstanceLock.AlreadyRunning e) {
            return refusals.alreadyRunning(e);
        } catch (IOException e) {
            return refusals.unusable(paths.stateDir(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.SOFTWARE;
        }
    }

    private ExitStatus runReceiver(ReceiverCommand command) {
        ranService = true;
        AppPaths paths = AppPaths.current();
        Logger log = logger();
        if (command.supervised) LogSetup.tag("receiver " + ProcessHandle.current().pid());
        var prepared = prepare(paths, "receiver.log", AfterGiveUp.EXIT, command.supervised);
        if (prepared.isEmpty()) return ExitStatus.CONFIG;
        Settings settings = prepared.get();
        RetryBudget budget;
        try {
            budget = command.retryBudget == null ? new RetryBudget(settings.retry(), 0)
                    : RetryBudget.decode(command.retryBudget);
        } catch (IllegalArgumentException e) {
            log.error("--retry-budget is {}", e.getMessage());
            return ExitStatus.USAGE;
        }
        // Alone, the receiver holds the state folder itself; as a child, its parent holds it.
        if (command.supervised) return runReceiver(paths, settings, budget, command);
        return whileHolding(paths, Refusals.LOG, () -> runReceiver(paths, settings, budget, command));
    }

    private ExitStatus runReceiver(AppPaths paths, Settings settings, RetryBudget budget, ReceiverCommand command) {
        Logger log = logger();

        Path credentialsFile = settings.auth().credentialsFile() != null
                ? settings.auth().credentialsFile() : paths.stateDir().resolve("credentials.json");
        String deviceId;
        try {
            deviceId = DeviceIdFile.loadOrCreate(paths.stateDir().resolve("device-id"));
        } catch (IOException e) {
            log.error("Cannot keep the device id in {}: {}. {}", paths.stateDir(), FileProblems.describe(e),
                    FileProblems.whatToDoWithStateFolder(paths.stateDir(), e));
            return ExitStatus.TEMPFAIL;
        }
        boolean zeroconf = settings.auth().mode() == dev.connecttray.config.AuthMode.ZEROCONF;
        LibrespotReceiver.Options options = new LibrespotReceiver.Options(settings.deviceName(),
                Connect.DeviceType.valueOf(settings.deviceType().name()), deviceId, zeroconf,
                settings.zeroconf().port(), credentialsFile,
                settings.audio().output() == dev.connecttray.config.AudioOutput.PIPE ? settings.audio().pipe() : null,
                ReceiverService.DEALER_GRACE);
        Advertiser advertiser = null;
        if (zeroconf) {
            try {
                advertiser = Advertisers.choose(settings.zeroconf().backend().name().toLowerCase(java.util.Locale.ROOT));
            } catch (IOException e) {
                log.error("zeroconf.backend \"{}\" cannot be used: {}",
                        settings.zeroconf().backend().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
                return ExitStatus.CONFIG;
            }
        }
        LibrespotReceiver receiver = new LibrespotReceiver(options, new CredentialsStore(credentialsFile), advertiser);

        // stdout carries events only: anything a library prints goes to stderr instead.
        PrintStream events = streams.out();
        System.setOut(streams.err());
        try (ExecutorScheduler loopThread = new ExecutorScheduler("connection-loop")) {
            return new ReceiverService(budget.retry(), receiver, settings.deviceName(), events, streams.in(),
                    command.supervised, budget.attemptsUsed(), Wiring.receiver(loopThread)).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.SOFTWARE;
        }
    }

    private static Logger logger() {
        return LoggerFactory.getLogger(Main.class);
    }

    /** The version from the build, for --version and the start-up line. */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() {
            return property("version");
        }

        /** The librespot-java the build bundles ({@code librespot.version} in the pom). */
        static String librespot() {
            return property("librespotVersion");
        }

        private static String property(String name) {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException ignored) {
                // fall through to "unknown"
            }
            return p.getProperty(name, "unknown");
        }

        @Override
        public String[] getVersion() {
            return new String[]{"connect-tray " + number(),
                    "librespot-java " + librespot() + ", Java " + System.getProperty("java.version") + " ("
                            + Platform.current().lowerCase() + ")"};
        }
    }

}
