package dev.replyclock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates {@code ../shared} (SPEC, scenarios, corpus notes) from the project root. */
public final class SharedFiles {

    private SharedFiles() {
    }

    public static Path root() {
        String configured = System.getProperty("replyclock.shared");
        Path path = configured != null ? Path.of(configured) : Path.of("..", "shared");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("shared folder not found at " + path.toAbsolutePath()
                    + " (set -Dreplyclock.shared=...)");
        }
        return path.toAbsolutePath().normalize();
    }

    /**
     * The folders of the SpamAssassin corpus ({@code target/corpus/spam-assassin/data/*}), which the build
     * prepares with {@code .ci/prepare-corpus.sh}. Fails, never skips, when it is missing.
     */
    public static List<Path> spamAssassinFolders() throws IOException {
        Path data = Path.of(System.getProperty("replyclock.corpus", "target/corpus"), "spam-assassin", "data");
        if (!Files.isDirectory(data)) {
            throw new AssertionError("SpamAssassin corpus missing at " + data.toAbsolutePath() + ": run .ci/prepare-corpus.sh");
        }
        try (Stream<Path> s = Files.list(data)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    public static Path scenarios() {
        return root().resolve("scenarios");
    }
}
