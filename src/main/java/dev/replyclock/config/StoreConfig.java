package dev.replyclock.config;

import java.nio.file.Path;

/** {@code store: {path: ./replyclock.db}}. */
public record StoreConfig(Path path) {
}
