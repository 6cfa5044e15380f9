package dev.connecttray;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import ch.qos.logback.core.status.Status;
import dev.connecttray.config.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets the log level and adds the rotated log file once the log folder is known. */
final class LogSetup {
    private LogSetup() {
    }

    /** Applies {@code level} to our own loggers; librespot's stay at warn, since it logs tokens at debug. */
    static void level(String level) {
        Level l = Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
        context().getLogger(Logger.ROOT_LOGGER_NAME).setLevel(l);
        context().getLogger("dev.connecttray").setLevel(l);
        context().getLogger(LogConfigurator.TRAY_LIBRARY).setLevel(l.toInt() <= Level.DEBUG_INT ? l : Level.ERROR);
    }

    /**
     * Marks every line with {@code tag} before the thread name: a supervised receiver writes to
     * the same stderr as its parent, and its lines must be told apart.
     */
    static void tag(String tag) {
        LoggerContext ctx = context();
        if (ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")
                instanceof ch.qos.logback.core.ConsoleAppender<ILoggingEvent> console
                && console.getEncoder() instanceof PatternLayoutEncoder old) {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(ctx);
            encoder.setPattern(old.getPattern().replace("[%thread]", "[" + tag + " %thread]"));
            encoder.start();
            console.stop();
            console.setEncoder(encoder);
            console.start();
        }
    }

    /**
     * Also writes the log to {@code file} (rotated at 5 MB, three old files kept). The log names the
     * Spotify user and says when the machine was in use: its folder is created owner-only and each
     * log file is created 0600 before logback opens it (logback would create it with the umask).
     *
     * @throws IOException the folder cannot be created, the file is a symbolic link, or it cannot
     *                     be opened (the message says why)
     */
    static void file(Path file) throws IOException {
        AtomicFiles.createPrivateDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.refuseSymbolicLink(file);
        LoggerContext ctx = context();
        ch.qos.logback.core.Appender<ILoggingEvent> stderr =
                ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        String pattern = stderr instanceof ch.qos.logback.core.ConsoleAppender<ILoggingEvent> c
                && c.getEncoder() instanceof PatternLayoutEncoder p ? p.getPattern() : "%d %-5level %logger: %msg%n";

        RollingFileAppender<ILoggingEvent> appender = new PrivateRollingFileAppender();
        appender.setContext(ctx);
        appender.setName("FILE");
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(3);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("5MB"));
        trigger.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(pattern);
        encoder.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            String why = ctx.getStatusManager().getCopyOfStatusList().stream()
                    .filter(s -> s.getOrigin() == appender && s.getLevel() == Status.ERROR)
                    .reduce((a, b) -> b)
                    .map(s -> s.getThrowable() != null ? s.getThrowable().getMessage() : s.getMessage())
                    .orElse("logback did not open it");
            throw new IOException("cannot open " + file + ": " + why);
        }
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    /**
     * Creates each log file (the first one, and the new one after a rotation) owner-only before
     * logback opens it, and never writes through a symbolic link.
     */
    static final class PrivateRollingFileAppender extends RollingFileAppender<ILoggingEvent> {
        @Override
        public void openFile(String fileName) throws IOException {
            Path p = Path.of(fileName);
            AtomicFiles.refuseSymbolicLink(p);
            try {
                Files.createFile(p, AtomicFiles.ownerOnlyFile(p));
            } catch (FileAlreadyExistsException e) {
                // appended to; AppPaths.makePrivate tightens an old one at start
            }
            super.openFile(fileName);
        }
    }

    private static LoggerContext context() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext c) return c;
        throw new IllegalStateException("logback is not the SLF4J backend: " + LoggerFactory.getILoggerFactory());
    }
}
