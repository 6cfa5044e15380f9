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
import dev.connecttray.receiver.ReceiverMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        footer = {"  0   stopped by the user or by SIGTERM/SIGINT",
                "  64  bad command line",
                "  69  Spotify stayed unreachable through the whole retry budget",
                "  70  internal error",
                "  75  receiver wedged or connection lost (the supervisor restarts it)",
                "  77  Spotify rejected the login or the account",
                "  78  invalid configuration"},
        subcommands = {Main.ReceiverCommand.class})
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
        Signals.install();
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

    /** Tray mode, or headless. */
    @Override
    public Integer call() {
        if (!headless) {
            // The tray comes with its own issue; until then tray mode says so once and runs headless.
            logger().info("No tray in this build; running headless");
        }
        return runReceiver(AfterGiveUp.EXIT, false).code();
    }

    @Command(name = "receiver", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Run one Spotify Connect device in this process: the child of a Connect Tray "
                    + "supervisor, also usable alone.",
                    "Events go to stdout as JSON lines; commands ({\"command\":\"reconnect\"}, "
                            + "{\"command\":\"stop\"}) are read from stdin; logs go to stderr."})
    static final class ReceiverCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            return parent.runReceiver(AfterGiveUp.EXIT, true).code();
        }
    }

    private ExitStatus runReceiver(AfterGiveUp defaultAfterGiveUp, boolean asChild) {
        AppPaths paths = AppPaths.current();
        Logger log = logger();
        if (logLevel != null) LogSetup.level(logLevel.name());
        try {
            LogSetup.file(paths.logDir().resolve(asChild ? "receiver.log" : "connect-tray.log"));
        } catch (IOException e) {
            log.warn("Cannot write the log file in {}: {}; logging to stderr only", paths.logDir(), e.getMessage());
        }

        LoadedSettings loaded;
        try {
            boolean explicit = config != null;
            loaded = SettingsLoader.load(explicit ? config : paths.configFile(), explicit, defaultAfterGiveUp);
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            return ExitStatus.CONFIG;
        }
        Settings settings = loaded.settings();
        if (logLevel == null) LogSetup.level(settings.logLevel().name());
        log.info("Connect Tray {} starting: config {}{}, state {}, logs {}", Version.number(), loaded.source(),
                loaded.fileExisted() ? "" : " (not found: defaults)", paths.stateDir(), paths.logDir());
        for (String warning : loaded.warnings()) log.warn("{}", warning);

        Path credentialsFile = settings.auth().credentialsFile() != null
                ? settings.auth().credentialsFile() : paths.stateDir().resolve("credentials.json");
        String deviceId;
        try {
            deviceId = DeviceIdFile.loadOrCreate(paths.stateDir().resolve("device-id"));
        } catch (IOException e) {
            log.error("Cannot keep the device id in {}: {}", paths.stateDir(), e.getMessage());
            return ExitStatus.CONFIG;
        }
        LibrespotReceiver.Options options = new LibrespotReceiver.Options(settings.deviceName(),
                Connect.DeviceType.valueOf(settings.deviceType().name()), deviceId,
                settings.auth().mode() == dev.connecttray.config.AuthMode.ZEROCONF, credentialsFile,
                settings.audio().output() == dev.connecttray.config.AudioOutput.PIPE ? settings.audio().pipe() : null,
                ReceiverMain.DEALER_GRACE);
        LibrespotReceiver receiver = new LibrespotReceiver(options, new CredentialsStore(credentialsFile));

        PrintStream events = null;
        if (asChild) {
            // stdout carries events only: anything a library prints goes to stderr instead.
            events = streams.out();
            System.setOut(streams.err());
        }
        try {
            return new ReceiverMain(settings.retry(), receiver, settings.deviceName(), events,
                    asChild ? streams.in() : null).run();
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
