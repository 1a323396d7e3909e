package dev.replyclock.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code deploy/prometheus}: the rules and the config pass promtool, and the rule unit tests pass. */
class PromtoolTest {

    static final Path DEPLOY = Path.of("deploy", "prometheus");

    /** Runs promtool with the arguments; fails with its output unless it exits 0. */
    static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 120 s:\n" + output);
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** Finds a program on the PATH (or /usr/bin); fails, never skips, when it is missing. */
    static String executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new AssertionError(name + " not found on the PATH: install Debian's prometheus package "
                + "(apt-get install -y prometheus; .ci/run does it)");
    }

    @Test
    void rulesAreValid() throws Exception {
        promtool("check", "rules", DEPLOY.resolve("rules/replyclock.rules.yml").toString());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        try (Stream<Path> tests = Files.list(DEPLOY.resolve("tests"))) {
            tests.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> args.add(p.toString()));
        }
        if (args.size() == 2) {
            fail("no promtool tests in " + DEPLOY.resolve("tests"));
        }
        promtool(args.toArray(String[]::new));
    }

    @Test
    void configIsValid() throws Exception {
        promtool("check", "config", DEPLOY.resolve("prometheus.yml").toString());
    }
}
