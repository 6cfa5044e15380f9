package dev.connecttray;

import com.spotify.connectstate.Connect;
import dev.connecttray.config.AppPaths;
import dev.connecttray.config.ConfigException;
import dev.connecttray.config.CredentialsStore;
import dev.connecttray.config.LoadedSettings;
import dev.connecttray.config.Settings;
import dev.connecttray.config.SettingsLoader;
import dev.connecttray.core.AfterGiveUp;
import dev.connecttray.core.ExitStatus;
import dev.connecttray.receiver.DeviceIdFile;
import dev.connecttray.receiver.LibrespotReceiver;
import dev.connecttray.receiver.zeroconf.Advertiser;
import dev.connecttray.receiver.zeroconf.Advertisers;
import dev.connecttray.receiver.ReceiverMain;
import dev.connecttray.supervisor.ChildLauncher;
import dev.connecttray.supervisor.InstanceLock;
import dev.connecttray.supervisor.ProcessChildLauncher;
import dev.connecttray.supervisor.SdNotify;
import dev.connecttray.supervisor.StateHistory;
import dev.connecttray.supervisor.StatusReport;
import dev.connecttray.supervisor.SupervisorMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        footerHeading = "%nExit status:%n",
        footer = {"  0   stopped by the user or by SIGTERM/SIGINT/SIGHUP",
                "  64  bad command line",
                "  69  Spotify stayed unreachable through the whole retry budget",
                "  70  internal error, or the receiver crashed 3 times within 10 minutes",
                "  75  receiver wedged or connection lost (the supervisor restarts it),",
                "      or another instance runs with the same state folder",
                "  77  Spotify rejected the login or the account",
                "  78  invalid configuration"},
        subcommands = {Main.ReceiverCommand.class, Main.StatusCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = "--headless", description = "Run without any UI: logs to stderr and the log file.")
    boolean headless;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: ${sys:connecttray.defaultConfigFile}).")
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
        LoggerFactory.getILoggerFactory();
        ExitStatus status = run(args, System.out, System.err, System.in);
        ProcessExit.exit(status);
    }

    /** Parses and runs; every outcome, including bad input, is an {@link ExitStatus}. */
    static ExitStatus run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        System.setProperty("connecttray.defaultConfigFile", AppPaths.current().configFile().toString());
        Main main = new Main();
        CommandLine cl = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        main.streams = new Streams(out, err, in);
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
        return ExitStatus.ofCode(code).orElse(ExitStatus.SOFTWARE);
    }

    record Streams(PrintStream out, PrintStream err, InputStream in) {
    }

    Streams streams;

    /** Tray mode, or headless: the supervisor process, which runs the receiver as its child. */
    @Override
    public Integer call() {
        if (headless) return runSupervisor(AfterGiveUp.EXIT, false).code();
        if (!dev.connecttray.tray.TrayHost.displayPresent()) {
            logger().info("No display; running headless");
            return runSupervisor(AfterGiveUp.EXIT, false).code();
        }
        return runSupervisor(AfterGiveUp.COOLDOWN, true).code();
    }

    @Command(name = "receiver", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Run one Spotify Connect device in this process: the child of a Connect Tray "
                    + "supervisor, also usable alone.",
                    "Events go to stdout as JSON lines; commands ({\"command\":\"reconnect\"}, "
                            + "{\"command\":\"stop\"}) are read from stdin; logs go to stderr."})
    static final class ReceiverCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        // Hidden: how a supervisor starts its child. Not for users, so not in --help.
        @Option(names = "--supervised", hidden = true,
                description = "Run as a supervisor's child: stop when stdin closes; exit 0 only after the stop command.")
        boolean supervised;

        @Option(names = "--attempts-used", hidden = true, paramLabel = "N",
                description = "How much of the first round's retry budget is already spent.")
        int attemptsUsed;

        @Option(names = "--after-give-up-default", hidden = true, paramLabel = "WHAT",
                description = "afterGiveUp when the config file does not say: exit or cooldown.")
        AfterGiveUpOption afterGiveUpDefault = AfterGiveUpOption.exit;

        @Override
        public Integer call() {
            return parent.runReceiver(this).code();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Print the state of the Connect Tray running with this state folder and its last "
                    + "changes, or say that none runs.",
                    "Exit status: 0 when one runs, 69 when none does."})
    static final class StatusCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many recent changes to show (default: ${DEFAULT-VALUE}).")
        int lines = 10;

        @Override
        public Integer call() {
            AppPaths paths = AppPaths.current();
            PrintStream out = parent.streams.out();
            java.util.OptionalLong pid = InstanceLock.runningPid(paths.stateDir());
            List<StateHistory.Entry> recent;
            try {
                recent = StateHistory.read(paths.stateDir(), Math.max(1, lines));
            } catch (IOException e) {
                parent.streams.err().println("connect-tray: cannot read the history in " + paths.stateDir() + ": "
                        + e.getMessage());
                recent = List.of();
            }
            out.print(StatusReport.render(pid, paths.stateDir(), recent, java.time.Instant.now(),
                    java.time.ZoneId.systemDefault()));
            out.flush();
            return (pid.isPresent() ? ExitStatus.OK : ExitStatus.UNAVAILABLE).code();
        }
    }

    /** The names users (and the supervisor) type. */
    enum AfterGiveUpOption {
        exit(AfterGiveUp.EXIT), cooldown(AfterGiveUp.COOLDOWN);

        final AfterGiveUp value;

        AfterGiveUpOption(AfterGiveUp value) {
            this.value = value;
        }
    }

    /** Sets up logging to stderr and {@code logFile}, then loads the configuration; empty when it is unusable. */
    private java.util.Optional<Settings> prepare(AppPaths paths, String logFile, AfterGiveUp defaultAfterGiveUp) {
        Logger log = logger();
        if (logLevel != null) LogSetup.level(logLevel.name());
        AppPaths.Privacy privacy = null;
        try {
            privacy = paths.makePrivate();
        } catch (IOException e) {
            log.warn("Cannot create the state folder {}: {}", paths.stateDir(), e.getMessage());
        }
        try {
            LogSetup.file(paths.logDir().resolve(logFile));
        } catch (IOException e) {
            log.warn("Cannot write the log file in {}: {}; logging to stderr only", paths.logDir(), e.getMessage());
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
            return java.util.Optional.empty();
        }
        Settings settings = loaded.settings();
        if (logLevel == null) LogSetup.level(settings.logLevel().name());
        log.info("Connect Tray {} starting{}: config {}{}, state {}, logs {}", Version.number(),
                logFile.startsWith("receiver") ? " the receiver" : "", loaded.source(),
                loaded.fileExisted() ? "" : " (not found: defaults)", paths.stateDir(), paths.logDir());
        for (String warning : loaded.warnings()) log.warn("{}", warning);
        return java.util.Optional.of(settings);
    }

    /**
     * @param desktop show the tray (or the status window where no tray host runs); in Failed it
     *                stays up for the user to reconnect or quit, where headless exits
     */
    private ExitStatus runSupervisor(AfterGiveUp defaultAfterGiveUp, boolean desktop) {
        AppPaths paths = AppPaths.current();
        // JavaFX starts before the tray (they share GTK): begin now, while the configuration loads.
        if (desktop) dev.connecttray.ui.FxPlatform.startInBackground();
        var prepared = prepare(paths, "connect-tray.log", defaultAfterGiveUp);
        if (prepared.isEmpty()) return ExitStatus.CONFIG;
        Settings settings = prepared.get();
        return whileHolding(paths, () -> {
            StateHistory history = StateHistory.open(paths.stateDir(), StateHistory.DEFAULT_MAX_ENTRIES,
                    StateHistory.DEFAULT_MAX_FILE_BYTES);
            List<String> self = ProcessChildLauncher.selfCommand(Main.class.getName());
            ChildLauncher launcher = new ProcessChildLauncher(attemptsUsed -> {
                List<String> cmd = new ArrayList<>(self);
                cmd.add("receiver");
                cmd.add("--supervised");
                cmd.add("--after-give-up-default=" + (defaultAfterGiveUp == AfterGiveUp.EXIT ? "exit" : "cooldown"));
                if (config != null) cmd.add("--config=" + config.toAbsolutePath());
                if (logLevel != null) cmd.add("--log-level=" + logLevel.name());
                if (attemptsUsed > 0) cmd.add("--attempts-used=" + attemptsUsed);
                return cmd;
            });
            SupervisorMain supervisor = new SupervisorMain(settings.retry(), launcher, history,
                    SdNotify.fromEnvironment(), ReceiverMain.heartbeatInterval(), !desktop);
            if (!desktop) return supervisor.run();
            Path configFile = config != null ? config : paths.configFile();
            return new TrayMode(supervisor, settings, paths, configFile, TrayMode.startTray()).run();
        });
    }

    /** Work that needs the state folder to itself. */
    private interface LockedWork {
        ExitStatus run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} holding the state folder's instance lock: a second instance exits 75 and
     * names the pid of the first; a state folder that cannot be used (a full disk, no permission)
     * is 75 too: it is no configuration error, and systemd restarts on 75.
     */
    private static ExitStatus whileHolding(AppPaths paths, LockedWork work) {
        Logger log = logger();
        try (InstanceLock lock = InstanceLock.acquire(paths.stateDir())) {
            return work.run();
        } catch (InstanceLock.AlreadyRunning e) {
            log.error("{}", e.getMessage());
            return ExitStatus.TEMPFAIL;
        } catch (IOException e) {
            // A full disk, a read-only or unreachable folder: not the configuration, and it may pass.
            log.error("Cannot use the state folder {}: {}", paths.stateDir(), e.getMessage());
            return ExitStatus.TEMPFAIL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.SOFTWARE;
        }
    }

    private ExitStatus runReceiver(ReceiverCommand command) {
        AppPaths paths = AppPaths.current();
        Logger log = logger();
        if (command.supervised) LogSetup.tag("receiver " + ProcessHandle.current().pid());
        var prepared = prepare(paths, "receiver.log", command.afterGiveUpDefault.value);
        if (prepared.isEmpty()) return ExitStatus.CONFIG;
        Settings settings = prepared.get();
        if (command.attemptsUsed < 0 || command.attemptsUsed >= settings.retry().maxAttempts()) {
            log.error("--attempts-used must be from 0 to {} (retry.maxAttempts - 1), was {}",
                    settings.retry().maxAttempts() - 1, command.attemptsUsed);
            return ExitStatus.USAGE;
        }
        // Alone, the receiver holds the state folder itself; as a child, its parent holds it.
        if (command.supervised) return runReceiver(paths, settings, command);
        return whileHolding(paths, () -> runReceiver(paths, settings, command));
    }

    private ExitStatus runReceiver(AppPaths paths, Settings settings, ReceiverCommand command) {
        Logger log = logger();

        Path credentialsFile = settings.auth().credentialsFile() != null
                ? settings.auth().credentialsFile() : paths.stateDir().resolve("credentials.json");
        String deviceId;
        try {
            deviceId = DeviceIdFile.loadOrCreate(paths.stateDir().resolve("device-id"));
        } catch (IOException e) {
            log.error("Cannot keep the device id in {}: {}", paths.stateDir(), e.getMessage());
            return ExitStatus.TEMPFAIL;
        }
        boolean zeroconf = settings.auth().mode() == dev.connecttray.config.AuthMode.ZEROCONF;
        LibrespotReceiver.Options options = new LibrespotReceiver.Options(settings.deviceName(),
                Connect.DeviceType.valueOf(settings.deviceType().name()), deviceId, zeroconf,
                settings.zeroconf().port(), credentialsFile,
                settings.audio().output() == dev.connecttray.config.AudioOutput.PIPE ? settings.audio().pipe() : null,
                ReceiverMain.DEALER_GRACE);
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
        try {
            return new ReceiverMain(settings.retry(), receiver, settings.deviceName(), events, streams.in(),
                    command.supervised, command.attemptsUsed).run();
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
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException ignored) {
                // fall through to "unknown"
            }
            return p.getProperty("version", "unknown");
        }

        @Override
        public String[] getVersion() {
            return new String[]{"connect-tray " + number(),
                    "librespot-java 1.6.3, Java " + System.getProperty("java.version") + " ("
                            + System.getProperty("os.name").toLowerCase(Locale.ROOT) + ")"};
        }
    }

}
