package dev.replyclock.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.Map;

/**
 * Logback's set-up, in code: the same as {@code logback.xml} (which stays, for {@code -Dlogback.configurationFile}),
 * without parsing XML. Reading logback.xml cost about 0.8 s of every command that logs on a 2-core machine (an XML
 * parser and Joran's 350 classes); this costs a few classes. Found by logback through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}; it steps aside when a configuration file is named
 * or a {@code logback-test.xml} is on the class path (the tests').
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** Libraries that are chatty at INFO. */
    private static final Map<String, Level> QUIET = Map.of("org.flywaydb", Level.WARN, "org.quartz", Level.WARN,
            "org.eclipse.jetty", Level.WARN, "io.javalin", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level(), Level.INFO));
        root.addAppender(stderr);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** As logback.xml's {@code ${REPLYCLOCK_LOG_LEVEL:-INFO}}: a system property (set by --debug), else the environment. */
    private static String level() {
        String level = System.getProperty("REPLYCLOCK_LOG_LEVEL");
        return level != null ? level : System.getenv("REPLYCLOCK_LOG_LEVEL");
    }
}
