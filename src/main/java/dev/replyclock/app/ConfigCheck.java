package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigException;
import dev.replyclock.config.ConfigLoader;

import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * What {@code check-config} does, apart from picocli: Main's fast path runs it without linking a picocli class (picocli's
 * classes are not in the class-data archive, and finding the first one opens the jars of the class path in order).
 */
final class ConfigCheck {

    private ConfigCheck() {
    }

    /**
     * {@code check-config} of one file without picocli; a failure other than the configuration's own problems (an
     * unreadable file, say) is left to {@code viaPicocli}, which reports it as every command does.
     */
    static int check(Path file, IntSupplier viaPicocli) {
        try {
            return check(file);
        } catch (RuntimeException e) {
            return viaPicocli.getAsInt();
        }
    }

    /** Prints every problem of {@code file}; 0 when it has none, else 1. */
    static int check(Path file) {
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
