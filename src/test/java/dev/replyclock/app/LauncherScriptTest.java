package dev.replyclock.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/replyclock} as a user starts it: from another directory and through a symlink (the image links it as
 * /usr/local/bin/replyclock), on the launcher's layout (target/lib, made at process-classes).
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("bin/replyclock").toAbsolutePath();
    private static final Path EXAMPLE = Path.of("examples/config.yaml").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theLauncherRunsThroughASymlinkFromAnotherDirectory() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("replyclock"), SCRIPT);
        String out = run(link.toString(), "check-config", EXAMPLE.toString());
        assertTrue(out.startsWith(EXAMPLE + ": OK"), out);
        assertEquals(Main.VERSION + "\n", run(link.toString(), "--version"));
    }

    @Test
    void theLauncherStartsFromTheLayoutNotTheShadedJar() throws Exception {
        String log = classesLoaded("-Xshare:off", "check-config", EXAMPLE.toString());
        assertTrue(log.lines().anyMatch(l -> l.contains("dev.replyclock.app.Main source: ")
                && l.contains("target/lib/replyclock-app.jar")), "Main from target/lib/replyclock-app.jar");
        assertTrue(log.lines().anyMatch(l -> l.contains("org.yaml.snakeyaml.") && l.contains("target/lib/replyclock-libs.jar")),
                "the libraries from target/lib/replyclock-libs.jar");
        assertTrue(log.lines().noneMatch(l -> l.contains("com.microsoft.graph.")), "no Graph SDK class for a files config");
    }

    /**
     * The class-data archive made beside the jar (bin/make-class-data-archive, at process-classes) is the one the
     * launcher maps, and it holds what an analyze loads: Replyclock's classes, the libraries' and picocli's, whose Java 5
     * class files only a static archive holds on Java 17. A JVM that cannot map an archive starts without it, silently:
     * only the sources of the loaded classes tell.
     */
    @Test
    void theLauncherLoadsAnAnalyzeFromItsClassDataArchivePicocliIncluded() throws Exception {
        assertTrue(Files.isRegularFile(Path.of("target/lib/replyclock-app.jsa")), "the archive is made at process-classes");
        String log = classesLoaded("", "analyze", "--config", EXAMPLE.toString(), "--format", "json");
        for (String name : new String[]{"dev.replyclock.app.Main", "dev.replyclock.app.AnalyzeCommand",
                "picocli.CommandLine", "picocli.CommandLine$Model$CommandSpec", "org.yaml.snakeyaml.scanner.ScannerImpl",
                "java.lang.Object"}) {
            assertTrue(log.lines().anyMatch(l -> l.contains(" " + name + " source: shared objects file")),
                    name + " from the class-data archive");
        }
        long fromJars = log.lines().filter(l -> l.contains("source: file:") || l.contains("source: jrt:")).count();
        assertTrue(fromJars < 50, fromJars + " classes read from the jars or the JDK's modules, not from the archive");
    }

    /** A layout copied without lib/graph: a Graph mailbox fails with what is missing, no stack trace. */
    @Test
    void aLayoutWithoutItsGraphDirectoryNamesWhatIsMissing() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String jar : new String[]{"replyclock-app.jar", "replyclock-libs.jar"}) {
            Files.copy(Path.of("target/lib", jar), lib.resolve(jar)); // not a link: the class path is canonical
        }
        Path config = Files.writeString(dir.resolve("graph.yaml"), Files.readString(EXAMPLE)
                .replace("source: {type: files, paths: [mail/inbox, mail/sent]}", "source: {type: graph, tenant: contoso, "
                        + "client_id: app-id, client_secret: s3cret, user: sales@acme.example, base_url: \"http://127.0.0.1:9\"}"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                lib.resolve("replyclock-app.jar").toString(), "analyze", "--config", config.toString())
                .directory(dir.toFile()).redirectError(dir.resolve("stderr.log").toFile()).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "analyze ended");
        String err = Files.readString(dir.resolve("stderr.log"));
        assertTrue(p.exitValue() != 0, err);
        assertTrue(err.contains("the Graph source is not installed: " + lib.resolve("graph")), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(err.contains("s3cret"), err);
    }

    /** The class-load log of the launcher running {@code args}, with {@code javaOpts} besides the logging. */
    private String classesLoaded(String javaOpts, String... args) throws IOException, InterruptedException {
        Path classes = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_OPTS", (javaOpts + " -Xlog:class+load=info:file=" + classes).strip());
        run(builder);
        return Files.readString(classes);
    }

    private String run(String... command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command));
    }

    private String run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = builder.directory(dir.toFile()).redirectError(dir.resolve("stderr.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
        assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("stderr.log")));
        return out;
    }
}
