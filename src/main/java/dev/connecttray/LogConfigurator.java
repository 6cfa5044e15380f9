package dev.connecttray;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

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
        context.getLogger(TRAY_LIBRARY).setLevel(Level.ERROR);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
    }
}
