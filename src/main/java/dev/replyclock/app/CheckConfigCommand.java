package dev.replyclock.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code replyclock check-config FILE}: prints every problem at once, exits 1 when there is any. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file and print every problem in it.",
        footerHeading = "%nExamples:%n", footer = {"  replyclock check-config config.yaml",
                "  replyclock check-config --config config.yaml"})
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "the YAML configuration file")
    Path positional;

    /** The same file, as every other command takes it. */
    @Option(names = "--config", paramLabel = "FILE", description = "the YAML configuration file (instead of FILE)")
    Path option;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Main.checkConfig(file());
    }

    private Path file() {
        if (positional != null && option != null && !positional.equals(option)) {
            throw new ParameterException(spec.commandLine(), "two files given (" + positional + " and --config "
                    + option + "): check one at a time");
        }
        if (positional == null && option == null) {
            throw new ParameterException(spec.commandLine(), "Missing configuration file: check-config FILE or check-config --config FILE");
        }
        return positional != null ? positional : option;
    }
}
