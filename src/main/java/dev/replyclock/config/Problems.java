package dev.replyclock.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects configuration problems with their file line and key path; see {@link ConfigException}. */
final class Problems {

    private record Problem(int line, String path, String message) {
    }

    /** A generated config with thousands of broken entries stays readable: the first ones, then a count. */
    static final int MAX_SHOWN = 100;

    private final String fileName;
    private final List<Problem> problems = new ArrayList<>();

    Problems(String fileName) {
        this.fileName = fileName;
    }

    /** @param line 1-based file line; @param path key path, empty for the document itself */
    void add(int line, String path, String message) {
        problems.add(new Problem(line, path, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Formatted problems, sorted by line (stable, so one line keeps the order of discovery). */
    List<String> formatted() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(Problem::line));
        List<String> out = new ArrayList<>();
        for (Problem p : sorted.subList(0, Math.min(sorted.size(), MAX_SHOWN))) {
            String where = p.path().isEmpty() ? "" : p.path() + ": ";
            out.add(fileName + ":" + p.line() + ": " + where + p.message());
        }
        if (sorted.size() > MAX_SHOWN) {
            out.add(fileName + ": ... and " + (sorted.size() - MAX_SHOWN) + " more problems");
        }
        return out;
    }

    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(formatted());
        }
    }
}
