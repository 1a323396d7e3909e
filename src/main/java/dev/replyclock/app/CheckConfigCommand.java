package dev.replyclock.app;

import dev.replyclock.config.ConfigException;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code replyclock check-config FILE}: prints every problem at once, exits 1 when there is any. */
@Command(name = "check-config", description = "Validate a configuration file and print every problem in it.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the YAML configuration file")
    Path file;

    @Override
    public Integer call() {
        try {
            Config config = ConfigLoader.load(file);
            System.out.println(file + ": OK");
            if (!config.access().enabled()) {
                System.err.println(file + ": warning: " + Config.OPEN_ACCESS_WARNING);
            }
            return 0;
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            return 1;
        }
    }
}
