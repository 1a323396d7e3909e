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
 * And {@code sync --once} on a store of 11,424 generated messages with nothing new (no target; the issue measured
 * 2.7 s outside the poll). Each command as {@code java -jar target/replyclock.jar} and, when it exists, through the launcher
 * {@code bin/replyclock} (the class-data archive made at package time). Wall milliseconds, median and minimum of
 * {@code runs} runs after one warm-up run, each command's baseline run in turn with it (run by run, so that both see the
 * same load):
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
        Path synced = syncedStore();
        String testClasses = Path.of("target/test-classes").toString();

        String load = loadAverage();
        List<String> hello = List.of(JAVA, "-cp", testClasses, HelloWorld.class.getName());
        List<String> scan = new ArrayList<>(List.of(JAVA, "-cp", testClasses, HeaderScan.class.getName()));
        scan.addAll(folders);
        System.out.printf(Locale.ROOT, "start-up, wall ms (median / min of %d runs); jar %.1f MB; %s%n", runs,
                Files.size(Path.of("target/replyclock.jar")) / 1e6, System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-42s %8s %8s %7s%n", "command", "median", "min", "ratio");
        List<List<String>> launchers = new ArrayList<>();
        launchers.add(List.of(JAVA, "-jar", "target/replyclock.jar"));
        if (Files.isExecutable(Path.of("bin/replyclock")) && Files.exists(Path.of("target/lib/replyclock-app.jsa"))) {
            launchers.add(List.of("bin/replyclock"));
        }
        List<String[]> commands = List.of(new String[]{"--version"}, new String[]{"--help"},
                new String[]{"check-config", "examples/config.yaml"},
                new String[]{"analyze", "--config", config.toString(), "--now", "2025-01-01T00:00:00Z"},
                new String[]{"sync", "--once", "--config", synced.toString()});
        for (String[] command : commands) {
            String name = command[0] + (command[0].equals("analyze") ? " (corpus)"
                    : command[0].equals("sync") ? " --once (nothing new)" : "");
            // the baseline takes its turn in the same rounds as the commands: the load of a shared machine changes
            // from minute to minute, and a ratio is only fair between runs that saw the same load
            List<String> baseline = command[0].equals("analyze") ? scan : command[0].equals("sync") ? null : hello;
            List<List<String>> variants = new ArrayList<>();
            if (baseline != null) {
                variants.add(baseline);
            }
            launchers.forEach(l -> variants.add(with(l, command)));
            List<double[]> times = alternating(variants, runs);
            double baselineMs = 0;
            if (baseline != null) {
                baselineMs = print("  " + (baseline == hello ? "hello-world JVM" : "header scan of the corpus")
                        + " (baseline)", times.remove(0), 0);
            }
            for (int i = 0; i < launchers.size(); i++) {
                print((launchers.get(i).size() == 1 ? "bin/replyclock " : "java -jar ") + name, times.get(i), baselineMs);
            }
        }
        System.out.println("load average before/after: " + load + " / " + loadAverage());
        try (var walk = Files.walk(synced.getParent())) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
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

    /**
     * Runs the variants in turn, {@code runs} rounds after a warm-up round, so that each sees the same load of a
     * shared machine; the wall milliseconds of each, sorted.
     */
    private static List<double[]> alternating(List<List<String>> variants, int runs) throws Exception {
        for (List<String> variant : variants) {
            run(variant);
        }
        List<double[]> times = new ArrayList<>();
        variants.forEach(v -> times.add(new double[runs]));
        for (int r = 0; r < runs; r++) {
            for (int v = 0; v < variants.size(); v++) {
                times.get(v)[r] = run(variants.get(v));
            }
        }
        times.forEach(Arrays::sort);
        return times;
    }

    private static double print(String name, double[] ms, double baselineMs) {
        double median = ms[ms.length / 2];
        System.out.printf(Locale.ROOT, "%-42s %8.0f %8.0f %7s%n", name, median, ms[0],
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

    /**
     * A store holding 11,424 generated messages (the size of the example), synced once: a cron job's
     * {@code sync --once} on it finds nothing new, so its time is all start-up, store opening and loading.
     */
    private static Path syncedStore() throws Exception {
        Path dir = Files.createTempDirectory("replyclock-startup-store");
        GenerateMaildir.main(new String[]{dir.toString(), "11424"});
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, Files.readString(config) + "\nstore: {path: " + dir.resolve("store.db") + "}\n");
        run(List.of(JAVA, "-jar", "target/replyclock.jar", "sync", "--once", "--config", config.toString()));
        return config;
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
