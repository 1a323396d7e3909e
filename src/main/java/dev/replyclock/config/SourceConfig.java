package dev.replyclock.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where a mailbox's mail is read from. One record per source {@code type}. */
public sealed interface SourceConfig {

    /** The values of {@code type}. */
    List<String> TYPES = List.of("files", "imap", "graph", "gmail");

    /** {@code type: files}: maildirs, folders of one-message files or mbox files, resolved against the config file's folder. */
    record Files(List<Path> paths) implements SourceConfig {

        /** Reads {@code paths} (required, non-empty, order kept). */
        static Files from(YamlMap map) {
            List<Path> paths = new ArrayList<>();
            YamlNode pathsNode = map.required("paths");
            if (pathsNode != null) {
                List<YamlNode> items = pathsNode.asList();
                if (items.isEmpty() && pathsNode.isList()) {
                    pathsNode.error("must not be empty");
                }
                for (YamlNode item : items) {
                    Path p = item.asPath();
                    if (p != null) {
                        paths.add(p);
                    }
                }
            }
            return new Files(List.copyOf(paths));
        }
    }

    /**
     * {@code type: imap}. {@code tls} is implicit, starttls or none; exactly one of {@code password} and
     * {@code oauth2} supplies the login. An empty {@code folders} list means the default: INBOX and the
     * folder marked {@code \Sent} (RFC 6154), else the folder named {@code Sent}.
     */
    record Imap(String host, int port, Tls tls, String username, String password, List<String> folders,
                boolean idle, Path trustStore, OAuth2 oauth2, int batchSize) implements SourceConfig {
        public enum Tls { IMPLICIT, STARTTLS, NONE }

        /** UIDs fetched in one {@code UID FETCH}; each batch is stored with its checkpoint in one transaction. */
        public static final int DEFAULT_BATCH_SIZE = 500;

        /** No {@code folders} key: INBOX plus the special-use Sent folder, found when connecting. */
        public static final List<String> DEFAULT_FOLDERS = List.of();

        /**
         * Password-less login with SASL XOAUTH2: a fixed {@code token}, a {@code token_file} read at each connect, or
         * {@code azure} app credentials (Exchange Online) whose tokens are fetched and refreshed.
         */
        public record OAuth2(String token, Path tokenFile, Azure azure, Google google) {
            /** A token or token file. */
            public OAuth2(String token, Path tokenFile) {
                this(token, tokenFile, null, null);
            }
        }

        /**
         * {@code oauth2: {google: {service_account_file | service_account, user}}}: tokens for Gmail IMAP
         * ({@code https://mail.google.com/}) of a service account impersonating {@code user} (domain-wide delegation).
         */
        public record Google(String user, String serviceAccountJson, Path serviceAccountFile) {
            /** The only scope Gmail's IMAP accepts. */
            public static final String SCOPE = "https://mail.google.com/";

            /** Never the key. */
            @Override
            public String toString() {
                return "Google[user=" + user + ", serviceAccountFile=" + serviceAccountFile + "]";
            }

            static Google from(YamlNode node) {
                YamlMap map = node.asMap();
                String user = map.requiredString("user");
                GoogleKey key = GoogleKey.from(map);
                map.finish();
                return new Google(user, key.json(), key.file());
            }
        }

        /**
         * {@code oauth2: {azure: {...}}}: app-only Entra ID credentials (client_secret or client_certificate) for
         * {@code scope} (default {@code https://outlook.office365.com/.default}), against {@code authority_host}
         * (default the global login host).
         */
        public record Azure(String tenant, String clientId, String clientSecret, Path clientCertificate,
                            String clientCertificatePassword, String authorityHost, String scope) {
            public static final String DEFAULT_SCOPE = "https://outlook.office365.com/.default";
            public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

            /** Never the secret or certificate password. */
            @Override
            public String toString() {
                return "Azure[tenant=" + tenant + ", clientId=" + clientId + ", clientCertificate=" + clientCertificate
                        + ", authorityHost=" + authorityHost + ", scope=" + scope + "]";
            }

            static Azure from(YamlNode node) {
                YamlMap map = node.asMap();
                String tenant = map.requiredString("tenant");
                String clientId = map.requiredString("client_id");
                String[] credential = clientCredential(map);
                Path certificate = map.path("client_certificate", null);
                String authorityHost = url(map, "authority_host");
                String scope = map.string("scope", DEFAULT_SCOPE);
                map.finish();
                return new Azure(tenant, clientId, credential[0], certificate, credential[1], authorityHost, scope);
            }
        }

        /** The login without OAuth2 (tests, old callers). */
        public Imap(String host, int port, Tls tls, String username, String password, List<String> folders,
                    boolean idle, Path trustStore) {
            this(host, port, tls, username, password, folders, idle, trustStore, null, DEFAULT_BATCH_SIZE);
        }

        /** Reads the IMAP keys; port defaults to 993 with implicit TLS, else 143. */
        static Imap from(YamlMap map) {
            String host = map.requiredString("host");
            Tls tls = tls(map.get("tls"));
            Integer port = map.integerInRange("port", tls == Tls.IMPLICIT ? 993 : 143, 1, 65535);
            String username = map.requiredString("username");
            String password = map.string("password", null);
            YamlNode oauth2Node = map.get("oauth2");
            OAuth2 oauth2 = oauth2Node == null ? null : oauth2(oauth2Node);
            if (oauth2Node != null && map.get("password") != null) {
                oauth2Node.error("use password or oauth2, not both");
            } else if (oauth2Node == null && map.get("password") == null) {
                map.node().error("password or oauth2 is required");
            }
            List<String> folders = readFolders(map, DEFAULT_FOLDERS);
            boolean idle = map.bool("idle", false);
            Path trustStore = map.path("trust_store", null);
            Integer batchSize = map.integerInRange("batch_size", DEFAULT_BATCH_SIZE, 1, 100_000);
            return new Imap(host, port == null ? 0 : port, tls, username, password, folders, idle, trustStore, oauth2,
                    batchSize == null ? DEFAULT_BATCH_SIZE : batchSize);
        }

        /** {@code oauth2: {token: ...}} or {@code oauth2: {token_file: path}}, exactly one of them. */
        private static OAuth2 oauth2(YamlNode node) {
            YamlMap map = node.asMap();
            String token = map.string("token", null);
            Path tokenFile = map.path("token_file", null);
            YamlNode azureNode = map.get("azure");
            Azure azure = azureNode == null ? null : Azure.from(azureNode);
            YamlNode googleNode = map.get("google");
            Google google = googleNode == null ? null : Google.from(googleNode);
            boolean tokenGiven = map.get("token") != null || map.get("token_file") != null;
            if (map.get("token") != null && map.get("token_file") != null) {
                node.error("use token or token_file, not both");
            } else if (azureNode != null && tokenGiven) {
                azureNode.error("use azure or a token, not both");
            } else if (googleNode != null && (tokenGiven || azureNode != null)) {
                googleNode.error("use one of google, azure and a token");
            } else if (!tokenGiven && azureNode == null && googleNode == null) {
                node.error("token, token_file, azure or google is required");
            }
            map.finish();
            return new OAuth2(token, tokenFile, azure, google);
        }

        private static Tls tls(YamlNode node) {
            if (node == null) {
                return Tls.IMPLICIT;
            }
            String text = node.asString();
            if (text == null) {
                return Tls.IMPLICIT;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "implicit" -> Tls.IMPLICIT;
                case "starttls" -> Tls.STARTTLS;
                case "none" -> Tls.NONE;
                default -> {
                    node.error("unknown tls mode '" + text + "' (use implicit, starttls or none)");
                    yield Tls.IMPLICIT;
                }
            };
        }
    }

    /**
     * {@code type: graph}: one Microsoft 365 mailbox read with delta queries, app-only credentials: exactly one of
     * {@code client_secret} and {@code client_certificate} (a PEM or PFX file; {@code client_certificate_password}
     * for a PFX). {@code cloud} picks the Graph and login hosts; {@code base_url} and {@code authority_host}
     * override them.
     */
    record Graph(String tenant, String clientId, String clientSecret, String user, List<String> folders,
                 String cloud, String baseUrl, String authorityHost, Path clientCertificate,
                 String clientCertificatePassword, String scope) implements SourceConfig {

        /** Without an explicit {@code scope}: the cloud's Graph scope. */
        public Graph(String tenant, String clientId, String clientSecret, String user, List<String> folders,
                     String cloud, String baseUrl, String authorityHost, Path clientCertificate,
                     String clientCertificatePassword) {
            this(tenant, clientId, clientSecret, user, folders, cloud, baseUrl, authorityHost, clientCertificate,
                    clientCertificatePassword, null);
        }

        public static final List<String> DEFAULT_FOLDERS = List.of("inbox", "sentitems");
        public static final String DEFAULT_CLOUD = "global";
        /** The values of {@code cloud}. */
        public static final List<String> CLOUDS = List.of("global", "usgov", "china");

        /** A Graph source with a client secret. */
        public Graph(String tenant, String clientId, String clientSecret, String user, List<String> folders,
                     String cloud, String baseUrl, String authorityHost) {
            this(tenant, clientId, clientSecret, user, folders, cloud, baseUrl, authorityHost, null, null);
        }

        /** Never the secret or certificate password. */
        @Override
        public String toString() {
            return "Graph[tenant=" + tenant + ", clientId=" + clientId + ", user=" + user + ", folders=" + folders
                    + ", cloud=" + cloud + ", baseUrl=" + baseUrl + ", authorityHost=" + authorityHost
                    + ", clientCertificate=" + clientCertificate + ", scope=" + scope + "]";
        }

        /** Reads the Graph keys; tenant, client_id, user and one of client_secret, client_certificate are required. */
        static Graph from(YamlMap map) {
            String tenant = map.requiredString("tenant");
            String clientId = map.requiredString("client_id");
            String[] credential = clientCredential(map);
            String clientSecret = credential[0];
            String certificatePassword = credential[1];
            Path certificate = map.path("client_certificate", null);
            String user = map.requiredString("user");
            List<String> folders = readFolders(map, DEFAULT_FOLDERS);
            String cloud = map.string("cloud", DEFAULT_CLOUD);
            if (cloud != null && !CLOUDS.contains(cloud)) {
                map.get("cloud").error("unknown cloud '" + cloud + "' (use " + String.join(", ", CLOUDS) + ")");
            }
            String baseUrl = url(map, "base_url");
            String authorityHost = url(map, "authority_host");
            String scope = map.string("scope", null);
            if (scope != null && !scope.matches("\\S+")) {
                map.get("scope").error("must be one scope without spaces, e.g. https://graph.microsoft.com/.default");
            }
            return new Graph(tenant, clientId, clientSecret, user, folders, cloud, baseUrl, authorityHost, certificate,
                    certificatePassword, scope);
        }

    }

    /**
     * {@code type: gmail}: one Google Workspace mailbox ({@code user}, impersonated through domain-wide delegation)
     * read over the Gmail API with a service account key: {@code service_account_file} or {@code service_account}
     * (the key's JSON, e.g. from {@code ${ENV}}), exactly one. {@code scope} is {@code gmail.readonly} (default) or
     * {@code gmail.metadata}; {@code base_url} replaces {@code https://gmail.googleapis.com} (tests, proxies);
     * {@code batch_size} (1-500) messages are listed, fetched and stored together.
     *
     * @param serviceAccountJson the key's JSON, read at load; never printed
     */
    record Gmail(String user, String serviceAccountJson, Path serviceAccountFile, List<String> labels, String baseUrl,
                 String scope, int batchSize) implements SourceConfig {

        public static final List<String> DEFAULT_LABELS = List.of("INBOX", "SENT");
        /** Ids per messages.list / history.list page and messages per stored batch (the API's page maximum). */
        public static final int DEFAULT_BATCH_SIZE = 500;

        /** With the default batch size. */
        public Gmail(String user, String serviceAccountJson, Path serviceAccountFile, List<String> labels, String baseUrl,
                     String scope) {
            this(user, serviceAccountJson, serviceAccountFile, labels, baseUrl, scope, DEFAULT_BATCH_SIZE);
        }
        public static final String DEFAULT_BASE_URL = "https://gmail.googleapis.com";
        /** The values of {@code scope}. */
        public static final List<String> SCOPES = List.of("gmail.readonly", "gmail.metadata");

        /** The full OAuth scope URL asked for. */
        public String scopeUrl() {
            return "https://www.googleapis.com/auth/" + scope;
        }

        /** Never the key. */
        @Override
        public String toString() {
            return "Gmail[user=" + user + ", serviceAccountFile=" + serviceAccountFile + ", labels=" + labels
                    + ", baseUrl=" + baseUrl + ", scope=" + scope + ", batchSize=" + batchSize + "]";
        }

        static Gmail from(YamlMap map) {
            String user = map.requiredString("user");
            GoogleKey key = GoogleKey.from(map);
            YamlNode labelsNode = map.get("labels");
            List<String> labels = DEFAULT_LABELS;
            if (labelsNode != null) {
                labels = List.copyOf(labelsNode.asStrings(false));
                if (labels.isEmpty() && labelsNode.isList()) {
                    labelsNode.error("must not be empty");
                }
            }
            String baseUrl = url(map, "base_url");
            String scope = map.string("scope", SCOPES.get(0));
            if (scope != null && !SCOPES.contains(scope)) {
                map.get("scope").error("unknown scope '" + scope + "' (use " + String.join(" or ", SCOPES) + ")");
            }
            Integer batchSize = map.integerInRange("batch_size", DEFAULT_BATCH_SIZE, 1, DEFAULT_BATCH_SIZE);
            return new Gmail(user, key.json(), key.file(), labels, baseUrl == null ? DEFAULT_BASE_URL : baseUrl, scope,
                    batchSize == null ? DEFAULT_BATCH_SIZE : batchSize);
        }
    }

    /**
     * A Google service account key given as {@code service_account_file} or {@code service_account} (exactly one),
     * checked at load to be a service account key; problems name the key, never its content.
     */
    record GoogleKey(String json, Path file) {

        /** Never the key. */
        @Override
        public String toString() {
            return "GoogleKey[file=" + file + "]";
        }

        static GoogleKey from(YamlMap map) {
            Path file = map.path("service_account_file", null);
            String inline = map.string("service_account", null);
            if (map.get("service_account_file") != null && map.get("service_account") != null) {
                map.get("service_account").error("use service_account_file or service_account, not both");
                return new GoogleKey(null, file);
            }
            if (map.get("service_account_file") == null && map.get("service_account") == null) {
                map.node().error("service_account_file or service_account is required");
                return new GoogleKey(null, null);
            }
            String key = map.get("service_account_file") != null ? "service_account_file" : "service_account";
            String json = inline;
            if (file != null) {
                try {
                    json = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException | RuntimeException e) {
                    map.get(key).error("cannot be read (" + e.getClass().getSimpleName() + ")");
                    return new GoogleKey(null, file);
                }
            }
            if (json == null) {
                return new GoogleKey(null, file); // its ${VAR} is not set: reported where it was read
            }
            String problem = serviceAccountProblem(json);
            if (problem != null) {
                map.get(key).error(problem);
            }
            return new GoogleKey(json, file);
        }

        /** Why {@code json} is no service account key, or null when it is one. */
        private static String serviceAccountProblem(String json) {
            com.fasterxml.jackson.databind.JsonNode tree;
            try {
                tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            } catch (java.io.IOException | RuntimeException e) {
                return "is not JSON (a service account key downloaded from the Google Cloud console is)";
            }
            if (tree == null || !tree.isObject()) {
                return "is not a JSON object (a service account key is)";
            }
            if (!"service_account".equals(tree.path("type").asText())) {
                return "is not a service account key (its \"type\" is not \"service_account\")";
            }
            for (String field : List.of("client_email", "client_id", "private_key", "token_uri")) {
                if (tree.path(field).asText("").isBlank()) {
                    return "is a service account key without \"" + field + "\"";
                }
            }
            return null;
        }
    }

    /** An optional {@code http(s)://} URL without query. */
    private static String url(YamlMap map, String key) {
        String value = map.string(key, null);
        if (value != null && !value.matches("https?://[^/\\s?#]+(/[^\\s?#]*)?")) {
            map.get(key).error("must be an http:// or https:// URL without query");
        }
        return value;
    }

    /**
     * Exactly one of {@code client_secret}, {@code client_secret_file} (read here, trimmed) and
     * {@code client_certificate}; {@code client_certificate_password} only with a certificate. Returns
     * {secret, certificate password}.
     */
    private static String[] clientCredential(YamlMap map) {
        String clientSecret = map.string("client_secret", null);
        Path secretFile = map.path("client_secret_file", null);
        String certificatePassword = map.string("client_certificate_password", null);
        List<String> given = new ArrayList<>();
        for (String key : List.of("client_secret", "client_secret_file", "client_certificate")) {
            if (map.get(key) != null) {
                given.add(key);
            }
        }
        if (given.size() > 1) {
            map.get(given.get(1)).error("use one of client_secret, client_secret_file and client_certificate");
        } else if (given.isEmpty()) {
            map.node().error("client_secret, client_secret_file or client_certificate is required");
        }
        if (secretFile != null && clientSecret == null) {
            try {
                clientSecret = java.nio.file.Files.readString(secretFile, java.nio.charset.StandardCharsets.UTF_8).strip();
                if (clientSecret.isEmpty()) {
                    map.get("client_secret_file").error("is empty");
                }
            } catch (java.io.IOException | RuntimeException e) {
                map.get("client_secret_file").error("cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (map.get("client_certificate_password") != null && map.get("client_certificate") == null) {
            map.get("client_certificate_password").error("needs client_certificate");
        }
        return new String[] {clientSecret, certificatePassword};
    }

    /**
     * Reads {@code source}: {@code type} picks the record, which reads its own keys. Returns null (with the
     * problem reported) when the type is missing or unknown; the other keys are then not judged.
     */
    static SourceConfig from(YamlNode node) {
        YamlMap map = node.asMap();
        YamlNode typeNode = map.required("type");
        String type = typeNode == null ? null : typeNode.asString();
        if (type == null) {
            return null;
        }
        SourceConfig source = switch (type) {
            case "files" -> Files.from(map);
            case "imap" -> Imap.from(map);
            case "graph" -> Graph.from(map);
            case "gmail" -> Gmail.from(map);
            default -> null;
        };
        if (source == null) {
            typeNode.error("unknown source type '" + type + "' (use " + String.join(", ", TYPES) + ")");
            return null;
        }
        map.finish();
        return source;
    }

    private static List<String> readFolders(YamlMap map, List<String> fallback) {
        YamlNode n = map.get("folders");
        if (n == null) {
            return fallback;
        }
        List<String> folders = n.asStrings(false);
        if (folders.isEmpty() && n.isList() && n.asList().isEmpty()) {
            n.error("must not be empty");
        }
        return List.copyOf(folders);
    }
}
