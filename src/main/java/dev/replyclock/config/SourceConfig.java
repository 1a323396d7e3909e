package dev.replyclock.config;

import java.nio.file.Path;
import java.util.List;

/** Where a mailbox's mail is read from. One record per source {@code type}. */
public sealed interface SourceConfig {

    /** {@code type: files}: maildirs, folders of one-message files or mbox files, resolved against the config file's folder. */
    record Files(List<Path> paths) implements SourceConfig {
    }

    /** {@code type: imap}. {@code tls} is implicit, starttls or none; password or oauth2 supplies the login. */
    record Imap(String host, int port, Tls tls, String username, String password, List<String> folders,
                boolean idle, Path trustStore) implements SourceConfig {
        public enum Tls { IMPLICIT, STARTTLS, NONE }
    }

    /** {@code type: graph}: one Microsoft 365 mailbox read with delta queries. */
    record Graph(String tenant, String clientId, String clientSecret, String user, List<String> folders,
                 String cloud, String baseUrl, String authorityHost) implements SourceConfig {
    }
}
