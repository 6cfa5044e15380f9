package dev.connecttray;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Set;
import org.slf4j.Marker;

/**
 * logback's start-up configuration, in code: a logback.xml costs its XML parser and Joran's model
 * (about 0.1 s of CPU at every start, on the way to the tray icon). logback finds this class through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}. {@link LogSetup} adds the log
 * file and the level later, once the configuration is read.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** Every line; tokens in URLs never reach a log, whatever a library prints. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20}: "
            + "%replace(%msg){'(access_token=)[^&\\s\"]+', '$1<redacted>'}%n"
            + "%replace(%ex){'(access_token=)[^&\\s\"]+', '$1<redacted>'}%nopex";
    /** librespot is chatty, and logs access tokens at debug: never below warn. */
    static final List<String> QUIET = List.of("xyz.gianlu.librespot", "xyz.gianlu.librespot.core.TokenProvider",
            "okhttp3", "javax.jmdns", "xyz.gianlu.zeroconf");

    /**
     * The tray library warns at every start about what it cannot change (tooltips "not consistent
     * across platforms", the tray's image size guessed): only its errors, unless debug logs are asked for.
     */
    static final String TRAY_LIBRARY = "dorkbox";

    /** The librespot logger whose drop and reconnect errors {@link LibrespotReconnectLines} handles. */
    static final String LIBRESPOT_SESSION = "xyz.gianlu.librespot.core.Session";
    /** Where those lines go instead, at debug. */
    static final String LIBRESPOT_SUPERSEDED = "dev.connecttray.receiver.librespot";

    public LogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        // A file someone names (-Dlogback.configurationFile) or a test's logback-test.xml goes first.
        boolean fileGiven = System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null;
        if (fileGiven) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Root at info to stderr (the appender LogSetup looks for: STDERR), the quiet loggers at warn. */
    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        for (String name : QUIET) context.getLogger(name).setLevel(Level.WARN);
        LibrespotReconnectLines reconnectLines = new LibrespotReconnectLines(context);
        reconnectLines.start();
        context.addTurboFilter(reconnectLines);
        context.getLogger(TRAY_LIBRARY).setLevel(Level.ERROR);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
    }

    /**
     * When the connection to Spotify drops, librespot-java's {@code Session} logs "Failed reading
     * packet!" and, if its own immediate reconnect fails, "Failed reconnecting, retrying in 10
     * seconds..." (both errors with a stack trace). The receiver never lets that reconnect loop run:
     * it reports the drop (its own warning) and the supervisor closes the session and reconnects on
     * its own schedule, so the 10 s retry never happens and the stack traces only mislead. Those two
     * lines go to our own logger at debug, one line each with the exception's message.
     */
    static final class LibrespotReconnectLines extends TurboFilter {
        static final Set<String> SUPERSEDED = Set.of("Failed reading packet!",
                "Failed reconnecting, retrying in 10 seconds...");
        private final LoggerContext context;

        LibrespotReconnectLines(LoggerContext context) {
            this.context = context;
            setName("librespot-reconnect-lines");
        }

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                                  Throwable t) {
            if (level != Level.ERROR || format == null || !LIBRESPOT_SESSION.equals(logger.getName())
                    || !SUPERSEDED.contains(format)) {
                return FilterReply.NEUTRAL;
            }
            Logger ours = context.getLogger(LIBRESPOT_SUPERSEDED);
            if (ours.isDebugEnabled()) {
                ours.debug("librespot (its own reconnect is not used): {}{}", format, t == null ? "" : " " + t);
            }
            return FilterReply.DENY;
        }
    }
}
