package dev.replyclock.config;

import java.util.List;

/**
 * The configuration could not be loaded. Holds every problem found, each formatted as
 * {@code <file name>:<line>: <key path>: <message>}; the message joins them with newlines.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order (by line; problems on one line in the order they were found). */
    public List<String> problems() {
        return problems;
    }
}
