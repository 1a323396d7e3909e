package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigException;
import dev.replyclock.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The {@code replyclock} command line. */
@Command(name = "replyclock", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Measures how fast sales and marketing answer the people who write to them.",
        footerHeading = "%nExample:%n", footer = "  replyclock demo")
public final class Main implements Runnable {

    /**
     * The commands in the order {@code --help} lists them. Picocli builds a command's model by reflection, which is
     * most of a short command's start-up: only the command named on the line is built (all for usage and errors).
     */
    private static final class Commands {
        static final Map<String, Supplier<Object>> ALL = commands();
    }

    /** What {@code --version} prints; also answered before anything else is loaded (start-up of the short commands). */
    static final String VERSION = "replyclock 0.1.0";

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("analyze", AnalyzeCommand::new);
        commands.put("check-config", CheckConfigCommand::new);
        commands.put("sync", SyncCommand::new);
        commands.put("run", RunCommand::new);
        commands.put("alert-test", AlertTestCommand::new);
        commands.put("demo", DemoCommand::new);
        commands.put("wall-link", WallLinkCommand::new);
        commands.put("test-source", TestSourceCommand::new);
        commands.put("migrate-store", MigrateStoreCommand::new);
        commands.put("completion", CompletionCommand::new);
        return commands;
    }

    /** Accepted by every command; read from the arguments before picocli runs, so logging is set up in time. */
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "log at debug level and print the stack trace of an error (also REPLYCLOCK_LOG_LEVEL=debug)")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(VERSION); // no picocli model, no lambda bootstrap: the whole answer of a JVM start
            return 0;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            return TopLevelHelp.print(System.out) ? 0 : runParsed(args);
        }
        ZoneRulesWarmUp.startFor(args);
        Path configToCheck = plainCheckConfig(args);
        if (configToCheck != null) {
            try {
                return checkConfig(configToCheck);
            } catch (RuntimeException e) {
                return runParsed(args); // an unreadable file, say: reported as every command reports it
            }
        }
        return runParsed(args);
    }

    /**
     * The file of a plain {@code check-config FILE} or {@code check-config --config FILE}, else null: run in CI and
     * deploy hooks many times, it is answered without picocli (whose Java 5 class files the class-data archive cannot
     * hold: half of the command's start-up); every other form goes through picocli.
     */
    private static Path plainCheckConfig(String[] args) {
        if (args.length == 2 && args[0].equals("check-config") && !args[1].startsWith("-")) {
            return Path.of(args[1]);
        }
        if (args.length == 3 && args[0].equals("check-config") && args[1].equals("--config") && !args[2].startsWith("-")) {
            return Path.of(args[2]);
        }
        return null;
    }

    /**
     * {@code check-config FILE}: prints every problem of the file, 0 when it has none, else 1. Here rather than in
     * {@link CheckConfigCommand} so that the fast path links no picocli class and no class outside the class-data
     * archive (which holds Main: finding any other class opens the class path's jars in order).
     */
    static int checkConfig(Path file) {
        try {
            Config config = ConfigLoader.load(file);
            System.out.println(file + ": OK");
            if (!config.access().enabled()) {
                System.err.println(file + ": warning: " + Config.OPEN_ACCESS_WARNING);
            }
            return 0;
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                System.err.println(problem);
            }
            return 1;
        }
    }

    private static int runParsed(String... args) {
        boolean flag = Arrays.asList(args).contains("--debug");
        boolean debug = flag || "debug".equalsIgnoreCase(System.getenv("REPLYCLOCK_LOG_LEVEL"));
        if (flag) {
            // LogSetup (and logback.xml) read REPLYCLOCK_LOG_LEVEL; no logger exists before a command runs: in time
            System.setProperty("REPLYCLOCK_LOG_LEVEL", "DEBUG");
        }
        return commandLine(args).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> failed(e, commandLine, debug)).execute(args);
    }

    /**
     * The command line for {@code args}: with only the command they name, none for {@code --version}, else (usage,
     * an unknown command) with every command.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        boolean version = named == null && Arrays.stream(args).anyMatch(a -> a.equals("--version") || a.equals("-V"));
        Commands.ALL.forEach((name, command) -> {
            if (name.equals(named) || (!version && !Commands.ALL.containsKey(named))) {
                commandLine.addSubcommand(name, command.get());
            }
        });
        return commandLine;
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
