package dev.replyclock.app;

import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds Graph sources. In the launcher's layout (target/lib, the image's /opt/replyclock/lib) the Graph SDK is not on
 * the class path: its 50,000 entries made every class-path search of every command slow (the zone rules' provider
 * search of a {@code check-config}: 60-70 ms). It lies in {@code lib/graph} with Replyclock's Graph classes, loaded by
 * a class loader of their own the first time a Graph mailbox is built. Where the Graph classes are already visible
 * (the shaded jar, the tests' class path) they are used directly.
 */
final class GraphSources {

    static final String SOURCE = "dev.replyclock.ingest.graph.GraphSource";
    static final String APP_JAR = "replyclock-app.jar";
    /** Beside {@link #APP_JAR}. */
    static final String DIRECTORY = "graph";

    private static Class<?> sourceClass;

    private GraphSources() {
    }

    /** The Graph source of one mailbox. */
    static IncrementalSource create(String mailboxId, SourceConfig.Graph config, HeaderParser parser) {
        try {
            return (IncrementalSource) sourceClass()
                    .getConstructor(String.class, SourceConfig.Graph.class, HeaderParser.class)
                    .newInstance(mailboxId, config, parser);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("mailbox " + mailboxId + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the Graph source cannot be built: " + e, e);
        }
    }

    /** Looked up once, on the first Graph mailbox (not in a class initialiser: a failure is an error to report). */
    private static synchronized Class<?> sourceClass() {
        if (sourceClass == null) {
            sourceClass = lookUp();
        }
        return sourceClass;
    }

    private static Class<?> lookUp() {
        ClassLoader app = GraphSources.class.getClassLoader();
        try {
            return Class.forName(SOURCE, false, app);
        } catch (ClassNotFoundException notOnTheClassPath) {
            Path directory = besideThisJar().resolve(DIRECTORY);
            try {
                return Class.forName(SOURCE, false, new URLClassLoader("graph", jars(directory), app));
            } catch (ClassNotFoundException | IOException e) {
                throw new IllegalStateException("the Graph source is not installed: " + directory
                        + " (replyclock-graph.jar and the Microsoft Graph SDK beside " + APP_JAR + ") is missing or incomplete", e);
            }
        }
    }

    /** The directory of the jar (or class directory) this class was loaded from. */
    private static Path besideThisJar() {
        try {
            return Path.of(GraphSources.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL[] jars(Path directory) throws IOException {
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                urls.add(toUrl(jar));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
