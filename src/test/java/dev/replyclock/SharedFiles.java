package dev.replyclock;

import java.nio.file.Files;
import java.nio.file.Path;

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

    public static Path scenarios() {
        return root().resolve("scenarios");
    }
}
