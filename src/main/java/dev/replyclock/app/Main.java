package dev.replyclock.app;

import dev.replyclock.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code replyclock} command line. */
@Command(name = "replyclock", mixinStandardHelpOptions = true, version = "replyclock 0.1.0",
        description = "Measures how fast sales and marketing answer the people who write to them.",
        subcommands = {AnalyzeCommand.class, CheckConfigCommand.class, SyncCommand.class, RunCommand.class,
                AlertTestCommand.class, DemoCommand.class, WallLinkCommand.class, TestSourceCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::configProblems).execute(args);
    }

    /** A bad configuration stops every command with all its problems (file, line, key path) and exit code 2. */
    private static int configProblems(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof ConfigException problems) {
            problems.problems().forEach(commandLine.getErr()::println);
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
