package dev.replyclock.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code store: {path: ./replyclock.db}} (SQLite, the default) or
 * {@code store: {url: "jdbc:postgresql://db:5432/replyclock", username: ..., password: "${PGPASSWORD}"}}
 * (PostgreSQL, shared by several instances); {@code password_file} instead of {@code password} reads the
 * password from a file (trimmed). Exactly one of {@code path} and {@code url}.
 *
 * @param path     the SQLite file; null when {@code url} is set
 * @param url      the PostgreSQL JDBC url (never holding credentials); null for SQLite
 * @param username the PostgreSQL role, or null (the driver's default)
 * @param password the PostgreSQL password, or null; never printed ({@link #toString()}, {@link #name()})
 */
public record StoreConfig(Path path, String url, String username, String password) {

    public static final String DEFAULT_PATH = "./replyclock.db";
    static final String POSTGRES_PREFIX = "jdbc:postgresql://";

    /** A SQLite store in this file. */
    public StoreConfig(Path path) {
        this(path, null, null, null);
    }

    /** A PostgreSQL store. */
    public static StoreConfig postgres(String url, String username, String password) {
        return new StoreConfig(null, url, username, password);
    }

    public boolean isPostgres() {
        return url != null;
    }

    /** The store as messages name it: the SQLite file, or the url without its parameters (never the password). */
    public String name() {
        return isPostgres() ? withoutParameters(url) : path.toString();
    }

    static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "StoreConfig[" + name() + (username == null ? "" : ", username=" + username) + "]";
    }

    /** Reads {@code store} (null when absent); the path is resolved against the config file's folder. */
    static StoreConfig from(YamlNode node, Path baseDir) {
        Path fallback = baseDir.resolve(DEFAULT_PATH).normalize();
        if (node == null) {
            return new StoreConfig(fallback);
        }
        YamlMap map = node.asMap();
        Path path = map.path("path", null);
        String url = map.string("url", null);
        String username = map.string("username", null);
        String password = map.string("password", null);
        Path passwordFile = map.path("password_file", null);
        map.finish();
        if (map.get("url") == null) {
            for (String key : new String[] {"username", "password", "password_file"}) {
                if (map.get(key) != null) {
                    map.get(key).error("only with url (a PostgreSQL store)");
                }
            }
            return new StoreConfig(path == null ? fallback : path);
        }
        if (map.get("path") != null) {
            map.get("url").error("use path (SQLite) or url (PostgreSQL), not both");
        }
        if (url != null && !url.startsWith(POSTGRES_PREFIX)) {
            map.get("url").error("must start with " + POSTGRES_PREFIX);
        } else if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            map.get("url").error("must not hold the password: use password or password_file");
        }
        if (map.get("password") != null && map.get("password_file") != null) {
            map.get("password_file").error("use password or password_file, not both");
        } else if (passwordFile != null) {
            password = readPassword(map, passwordFile);
        }
        return postgres(url, username, password);
    }

    private static String readPassword(YamlMap map, Path file) {
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                map.get("password_file").error("is empty");
            }
            return password;
        } catch (IOException e) {
            map.get("password_file").error("cannot be read (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }
}
