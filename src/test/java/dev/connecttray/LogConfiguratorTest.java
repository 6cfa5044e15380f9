package dev.connecttray;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {

    @Test
    void stderrAtInfoWithTheQuietLoggersAtWarn() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.apply(context);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, a -> {
            assertThat(a.getTarget()).isEqualTo("System.err");
            assertThat(a.isStarted()).isTrue();
            assertThat(((PatternLayoutEncoder) a.getEncoder()).getPattern()).isEqualTo(LogConfigurator.PATTERN);
        });
        for (String name : LogConfigurator.QUIET) {
            assertThat(context.getLogger(name).getLevel()).as(name).isEqualTo(Level.WARN);
        }
        assertThat(context.getLogger("xyz.gianlu.librespot.player.Player").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("dev.connecttray.Main").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("dorkbox.systemTray.SystemTray").getEffectiveLevel())
                .as("the tray library's start-up warnings stay out of the log").isEqualTo(Level.ERROR);
    }

    @Test
    void accessTokensAreRedactedInMessagesAndStackTraces() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.apply(context);
        Logger logger = context.getLogger("okhttp3.OkHttpClient");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) ((ConsoleAppender<?>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).getEncoder();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "GET https://api.example/v1?access_token=secret123&market=DE failed",
                new IllegalStateException("at https://api.example/v1?access_token=secret456"), null);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).contains("WARN ", "access_token=<redacted>&market=DE failed",
                "IllegalStateException: at https://api.example/v1?access_token=<redacted>")
                .doesNotContain("secret123", "secret456");
    }

    @Test
    void aLogbackTestXmlOnTheClassPathGoesFirst() {
        // src/test/resources holds one: tests keep their own configuration.
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    @Test
    void logbackFindsIt() throws IOException {
        try (InputStream in = LogConfigurator.class.getResourceAsStream(
                "/META-INF/services/ch.qos.logback.classic.spi.Configurator")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(LogConfigurator.class.getName());
        }
    }

    @Test
    void librespotsOwnReconnectErrorsGoToDebugWhileItsOtherErrorsStay() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.apply(context);
        ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(seen);
        org.slf4j.Logger session = context.getLogger(LogConfigurator.LIBRESPOT_SESSION);

        session.error("Failed reading packet!", new EOFException());
        session.error("Failed reconnecting, retrying in 10 seconds...", new java.net.UnknownHostException("ap"));
        session.error("Something else went wrong", new IllegalStateException("kept"));
        assertThat(seen.list).extracting(e -> e.getFormattedMessage()).containsExactly("Something else went wrong");

        seen.list.clear();
        context.getLogger("dev.connecttray").setLevel(Level.DEBUG); // what LogSetup does for "level": "debug"
        session.error("Failed reading packet!", new EOFException());
        assertThat(seen.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).contains("Failed reading packet!", "java.io.EOFException",
                    "its own reconnect is not used");
            assertThat(e.getThrowableProxy()).as("one line, no stack trace").isNull();
        });
    }

    @Test
    void theLinesFilteredAreTheOnesLibrespotsSessionLogs() throws IOException {
        // If a librespot upgrade rewords them, the filter would silently stop matching.
        StringBuilder constants = new StringBuilder();
        for (String c : new String[] {"Session.class", "Session$Receiver.class"}) {
            try (InputStream in = LogConfiguratorTest.class.getClassLoader()
                    .getResourceAsStream("xyz/gianlu/librespot/core/" + c)) {
                assertThat(in).as(c).isNotNull();
                constants.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(LogConfigurator.LibrespotReconnectLines.SUPERSEDED).allSatisfy(line ->
                assertThat(constants.toString()).contains(line));
    }
}
