package dev.replyclock.app;

import dev.replyclock.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.Arrays;

/** The {@code replyclock} command line. */
@Command(name = "replyclock", mixinStandardHelpOptions = true, version = "replyclock 0.1.0",
        description = "Measures how fast sales and marketing answer the people who write to them.",
        footerHeading = "%nExample:%n", footer = "  replyclock demo",
        subcommands = {AnalyzeCommand.class, CheckConfigCommand.class, SyncCommand.class, RunCommand.class,
                AlertTestCommand.class, DemoCommand.class, CompletionCommand.class})
public final class Main implements Runnable {

    /** Accepted by every command; read from the arguments before picocli runs, so logging is set up in time. */
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "log at debug level and print the stack trace of an error (also REPLYCLOCK_LOG_LEVEL=debug)")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        boolean debug = Arrays.asList(args).contains("--debug")
                || "debug".equalsIgnoreCase(System.getenv("REPLYCLOCK_LOG_LEVEL"));
        if (Arrays.asList(args).contains("--debug")) {
            // logback.xml reads ${REPLYCLOCK_LOG_LEVEL}; no logger exists before a command runs, so this is in time
            System.setProperty("REPLYCLOCK_LOG_LEVEL", "DEBUG");
        }
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine, debug)).execute(args);
    }

    /**
     * A bad configuration stops every command with all its problems (file, line, key path) and exit code 2; any
     * other failure prints one line the user can act on (the stack trace only with {@code --debug}).
     */
    private static int failed(Exception e, CommandLine commandLine, boolean debug) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof ConfigException problems) {
            problems.problems().forEach(err::println);
            return 2;
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.println("replyclock " + commandLine.getCommandName() + ": " + Failures.message(e));
        if (!debug) {
            err.println("(run with --debug for the stack trace)");
        }
        err.flush();
        return Failures.exitCode(e);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
