package dev.replyclock.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: start-up figures, each beside the baseline it is judged against, measured in the same run.
 * <ul>
 *   <li>{@code --version}, {@code --help} and {@code check-config} against a hello-world JVM (target: within 2.5×);</li>
 *   <li>{@code analyze} of the SpamAssassin corpus (target/corpus) against {@link HeaderScan}, a bare read of every
 *   file up to its blank line, in its own JVM (target: within 3×).</li>
 * </ul>
 * Each command as {@code java -jar target/replyclock.jar} and, when it exists, through the launcher
 * {@code bin/replyclock} (the class-data archive made at package time). Wall milliseconds, median and minimum of
 * {@code runs} runs after one warm-up run:
 * <pre>java -cp target/test-classes dev.replyclock.bench.StartupBenchmark [runs]</pre>
 */
public final class StartupBenchmark {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path corpus = Path.of("target/corpus/spam-assassin/data");
        List<String> folders;
        try (var list = Files.list(corpus)) {
            folders = list.filter(Files::isDirectory).map(Path::toString).sorted().toList();
        }
        Path config = corpusConfig(folders);
        String testClasses = Path.of("target/test-classes").toString();

        String load = loadAverage();
        List<String> hello = List.of(JAVA, "-cp", testClasses, HelloWorld.class.getName());
        List<String> scan = new ArrayList<>(List.of(JAVA, "-cp", testClasses, HeaderScan.class.getName()));
        scan.addAll(folders);
        System.out.printf(Locale.ROOT, "start-up, wall ms (median / min of %d runs); jar %.1f MB; %s%n", runs,
                Files.size(Path.of("target/replyclock.jar")) / 1e6, System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %8s%n", "command", "median", "min", "ratio");
        double helloMs = row("hello-world JVM (baseline)", hello, runs, 0);
        double scanMs = row("header scan of the corpus (baseline)", scan, runs, 0);
        List<List<String>> launchers = new ArrayList<>();
        launchers.add(List.of(JAVA, "-jar", "target/replyclock.jar"));
        if (Files.isExecutable(Path.of("bin/replyclock")) && Files.exists(Path.of("target/replyclock.jsa"))) {
            launchers.add(List.of("bin/replyclock"));
        }
        for (List<String> launcher : launchers) {
            String how = launcher.size() == 1 ? "bin/replyclock" : "java -jar";
            row(how + " --version", with(launcher, "--version"), runs, helloMs);
            row(how + " --help", with(launcher, "--help"), runs, helloMs);
            row(how + " check-config", with(launcher, "check-config", "examples/config.yaml"), runs, helloMs);
            row(how + " analyze (corpus)", with(launcher, "analyze", "--config", config.toString(), "--now",
                    "2025-01-01T00:00:00Z"), runs, scanMs);
        }
        System.out.println("load average before/after: " + load + " / " + loadAverage());
        System.out.println("ratio: to the hello-world JVM (--version, --help, check-config; target 2.5) "
                + "or to the header scan (analyze; target 3)");
    }

    /** The machine is shared: the 1-minute load average says how much the figures may be inflated. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static List<String> with(List<String> launcher, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Prints one row; returns the median. */
    private static double row(String name, List<String> command, int runs, double baselineMs) throws Exception {
        run(command);
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ms[i] = run(command);
        }
        Arrays.sort(ms);
        double median = ms[runs / 2];
        System.out.printf(Locale.ROOT, "%-34s %10.0f %10.0f %8s%n", name, median, ms[0],
                baselineMs > 0 ? String.format(Locale.ROOT, "%.2f", median / baselineMs) : "");
        return median;
    }

    private static double run(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + command);
        }
        return ms;
    }

    /** One files mailbox over every folder of the corpus. */
    private static Path corpusConfig(List<String> folders) throws IOException {
        Path file = Files.createTempFile("replyclock-startup", ".yaml");
        file.toFile().deleteOnExit();
        Files.writeString(file, """
                calendars:
                  utc: {zone: UTC, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  default: {first_response: 4h}
                teams:
                  everyone: {members: [{id: rep, name: Rep, addresses: [rep@example.com]}]}
                mailboxes:
                  - {id: corpus, address: corpus@example.com, team: everyone, sla: default, calendar: utc,
                     source: {type: files, paths: [%s]}}
                """.formatted(String.join(", ", folders.stream().map(f -> new File(f).getAbsolutePath()).toList())));
        return file;
    }
}
