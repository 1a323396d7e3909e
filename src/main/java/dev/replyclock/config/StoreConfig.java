package dev.replyclock.config;

import java.nio.file.Path;

/** {@code store: {path: ./replyclock.db}}. */
public record StoreConfig(Path path) {

    public static final String DEFAULT_PATH = "./replyclock.db";

    /** Reads {@code store} (null when absent); the path is resolved against the config file's folder. */
    static StoreConfig from(YamlNode node, Path baseDir) {
        Path fallback = baseDir.resolve(DEFAULT_PATH).normalize();
        if (node == null) {
            return new StoreConfig(fallback);
        }
        YamlMap map = node.asMap();
        Path path = map.path("path", fallback);
        map.finish();
        return new StoreConfig(path);
    }
}
