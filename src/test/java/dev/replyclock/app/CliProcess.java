package dev.replyclock.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code replyclock} as a child JVM, as a person runs it: exit code, stdout and stderr apart. */
final class CliProcess {

    record Result(int exit, String out, String err) {
        /** A Java stack frame line: what a user must not be shown without --debug. */
        boolean hasStackTrace() {
            return err.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:"))
                    || out.lines().anyMatch(l -> l.startsWith("\tat "));
        }

        String both() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private CliProcess() {
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, List.of(), Map.of(), args);
    }

    /** The test class path without the test classes: the service's own logging set-up, not logback-test.xml. */
    private static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * @param wrapper a command that runs the JVM command appended to it (e.g. {@code unshare -m sh -c ...}), or empty
     */
    static Result run(Path dir, List<String> wrapper, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", mainClassPath(), "dev.replyclock.app.Main"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("REPLYCLOCK_LOG_LEVEL");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("replyclock " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
