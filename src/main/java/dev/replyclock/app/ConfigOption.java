package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config FILE}, shared by the commands that run on a configuration. */
final class ConfigOption {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "configuration file")
    Path file;

    /** Loads and validates it; a {@link dev.replyclock.config.ConfigException} reaches {@link Main}, which prints every problem. */
    Config load() {
        return ConfigLoader.load(file);
    }
}
