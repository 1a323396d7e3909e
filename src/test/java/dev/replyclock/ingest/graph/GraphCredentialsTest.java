package dev.replyclock.ingest.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.ingest.AzureCredentials;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.imap.AzureImapTokenProvider;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production token path against local fakes: azure-identity asks a local HTTPS authority
 * ({@code authority_host}, instance discovery off) for a client-credentials token, which goes to the loopback
 * Graph as bearer token; the IMAP provider asks the same authority with the Exchange Online scope.
 */
class GraphCredentialsTest {

    private static final String PASSWORD = "changeit";
    private static final String SECRET = "s3cret-client-value";

    @TempDir
    Path dir;
    private HttpsServer authority;
    private FakeGraph graph;
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> authorityPaths = new CopyOnWriteArrayList<>();
    private com.azure.core.http.HttpClient trusting;

    @BeforeEach
    void start() throws Exception {
        graph = new FakeGraph("sales@acme.example"); // first: it sets the JDK server's no-delay option for this JVM
        Path keystore = dir.resolve("authority.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "authority", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        authority = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        authority.setHttpsConfigurator(new HttpsConfigurator(ssl));
        authority.createContext("/", ex -> {
            try (ex) {
                authorityPaths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
                String body;
                int status = 200;
                if (ex.getRequestURI().getPath().endsWith("/oauth2/v2.0/token")) {
                    Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    tokenRequests.add(form);
                    boolean assertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(
                            form.get("client_assertion_type")) && form.getOrDefault("client_assertion", "").split("\\.").length == 3;
                    if (SECRET.equals(form.get("client_secret")) || assertion) {
                        String token = form.getOrDefault("scope", "").contains("outlook.office365.com")
                                ? "imap-token" : FakeGraph.TOKEN;
                        body = "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,\"access_token\":\""
                                + token + "\"}";
                    } else {
                        status = 401;
                        body = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\","
                                + "\"error_codes\":[7000215]}";
                    }
                } else if (ex.getRequestURI().getPath().endsWith("openid-configuration")) {
                    String base = "https://127.0.0.1:" + authority.getAddress().getPort() + "/contoso";
                    body = "{\"token_endpoint\":\"" + base + "/oauth2/v2.0/token\",\"authorization_endpoint\":\"" + base
                            + "/oauth2/v2.0/authorize\",\"issuer\":\"" + base + "/v2.0\"}";
                } else {
                    status = 404;
                    body = "{}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(bytes);
                }
            }
        });
        authority.start();
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        OkHttpClient ok = new OkHttpClient.Builder().sslSocketFactory(ssl.getSocketFactory(), tm).build();
        trusting = new OkHttpAsyncHttpClientBuilder(ok).build();
    }

    @AfterEach
    void stop() {
        authority.stop(0);
        graph.close();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String part : body.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private String authorityUrl() {
        return "https://127.0.0.1:" + authority.getAddress().getPort();
    }

    private SourceConfig.Graph config(String secret) {
        return new SourceConfig.Graph("contoso", "app-id", secret, "sales@acme.example", List.of("inbox"), "global",
                graph.baseUrl(), authorityUrl());
    }

    @Test
    void aWholeSyncRunsOnATokenFromTheConfiguredAuthority() throws Exception {
        graph.add("inbox", FakeGraph.message("lead-1@x.example", "buyer@x.example", "sales@acme.example", "Quote",
                "2024-02-27T08:15:00Z"), List.of());
        SourceConfig.Graph config = config(SECRET);
        TokenCredential credential = GraphEndpoints.credential(config, trusting);
        List<IncrementalSource.Batch> batches = new ArrayList<>();
        try (GraphSource source = new GraphSource("sales", config, new HeaderParser(null),
                GraphEndpoints.tokenProvider("sales", config, credential), 10)) {
            source.poll(f -> Optional.<FolderCheckpoint>empty(), batches::add);
        }
        assertEquals(1, batches.get(0).messages().size());
        assertEquals("lead-1@x.example", batches.get(0).messages().get(0).id());
        assertFalse(tokenRequests.isEmpty(), "the token came from the configured authority: " + authorityPaths);
        Map<String, String> form = tokenRequests.get(0);
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals("app-id", form.get("client_id"));
        assertTrue(List.of(form.get("scope").split(" ")).contains("https://graph.microsoft.com/.default"),
                "the global cloud's Graph scope, whatever base_url says: " + form.get("scope"));
        assertTrue(authorityPaths.stream().allMatch(p -> p.contains("/contoso/")), authorityPaths.toString());
    }

    /**
     * {@code replyclock test-source} on a Graph mailbox as a real process, with the production token path: the folder
     * count, the newest five messages explained, exit 0; a rejected secret exits 1 without the secret.
     */
    @Test
    void testSourceReadsTheNewestMessagesOfAGraphMailbox() throws Exception {
        for (int i = 0; i < 7; i++) {
            graph.add("inbox", FakeGraph.message("lead-" + i + "@x.example", "buyer" + i + "@x.example", "sales@acme.example",
                    "Request " + i, "2024-02-27T0" + i + ":15:00Z"), List.of());
        }
        Process ok = testSource(SECRET);
        String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ok.waitFor(), out);
        assertTrue(out.startsWith("mailbox sales (sales@acme.example, graph)\n  inbox: 7 messages\n"), out);
        assertTrue(out.contains("newest 5:\n  2024-02-27T06:15:00Z  from buyer6@x.example  \"Request 6\"\n"
                + "    -> lead: buyer6@x.example wrote to sales@acme.example"), out);
        assertTrue(out.contains("Request 2") && !out.contains("Request 1\""), "only the newest five: " + out);
        assertTrue(out.endsWith("OK: mailbox sales can be read\n"), out);

        Process refused = testSource("wrong-" + SECRET);
        assertEquals(1, refused.waitFor());
        String err = java.nio.file.Files.readString(dir.resolve("stderr.log"));
        assertTrue(err.contains("mailbox sales cannot be read: "), err);
        assertFalse(err.contains(SECRET), err);
    }

    /**
     * The launcher's layout (target/lib, made at process-classes) keeps the Graph SDK off the class path, in lib/graph,
     * loaded by a class loader of its own: {@code test-source} and {@code analyze} started from it as
     * {@code bin/replyclock} starts them read the mailbox through the production token path, with the Graph classes
     * loaded from lib/graph.
     */
    @Test
    void theLauncherLayoutReadsAGraphMailboxFromItsOwnClassLoader() throws Exception {
        Path app = Path.of("target/lib/replyclock-app.jar");
        assertTrue(java.nio.file.Files.isRegularFile(app), "the launcher layout is made at process-classes: " + app);
        for (int i = 0; i < 3; i++) {
            graph.add("inbox", FakeGraph.message("lead-" + i + "@x.example", "buyer" + i + "@x.example", "sales@acme.example",
                    "Request " + i, "2024-02-27T0" + i + ":15:00Z"), List.of());
        }
        List<String> launcher = List.of("-Xlog:class+load=info:file=" + dir.resolve("classes.log"), "-jar", app.toString());
        Process source = start(launcher, config(SECRET.length(), SECRET), "test-source", "--mailbox", "sales");
        String out = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, source.waitFor(), out + java.nio.file.Files.readString(dir.resolve("stderr.log")));
        assertTrue(out.startsWith("mailbox sales (sales@acme.example, graph)\n  inbox: 3 messages\n"), out);
        assertTrue(out.endsWith("OK: mailbox sales can be read\n"), out);
        String classes = java.nio.file.Files.readString(dir.resolve("classes.log"));
        assertTrue(classes.contains("dev.replyclock.ingest.graph.GraphSource source: file:")
                && classes.contains("lib/graph/replyclock-graph.jar"), "GraphSource from lib/graph");
        assertTrue(classes.lines().anyMatch(l -> l.contains("com.microsoft.graph.serviceclient.GraphServiceClient ")
                && l.contains("lib/graph/microsoft-graph-")), "the Graph SDK from lib/graph");

        Process analyze = start(List.of("-jar", app.toString()), config(SECRET.length(), SECRET), "analyze",
                "--format", "json", "--now", "2024-02-28T00:00:00Z");
        String report = new String(analyze.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, analyze.waitFor(), report + java.nio.file.Files.readString(dir.resolve("stderr.log")));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report);
        assertEquals(3, json.get("counts").get("messages").asInt(), report);
        assertEquals(3, json.get("leads").size(), report);
    }

    /** test-source in a child JVM trusting the local authority's certificate (as a deployment trusts a real one). */
    private Process testSource(String secret) throws IOException {
        return start(List.of("-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main"),
                config(secret.length(), secret), "test-source", "--mailbox", "sales");
    }

    /** {@code java LAUNCHER COMMAND --config CONFIG ARGS}, trusting the local authority; stderr to stderr.log. */
    private Process start(List<String> launcher, Path config, String command, String... args) throws IOException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.ssl.trustStore=" + dir.resolve("authority.p12"), "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12"));
        line.addAll(launcher);
        line.addAll(List.of(command, "--config", config.toString()));
        line.addAll(List.of(args));
        return new ProcessBuilder(line).redirectError(dir.resolve("stderr.log").toFile()).start();
    }

    private Path config(int name, String secret) throws IOException {
        Path config = dir.resolve("config-" + name + ".yaml");
        java.nio.file.Files.writeString(config, """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 4h}}
                teams: {sales: {members: [{id: alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - id: sales
                    address: sales@acme.example
                    team: sales
                    sla: sales
                    calendar: utc
                    source: {type: graph, tenant: contoso, client_id: app-id, client_secret: "SECRET",
                             user: sales@acme.example, folders: [inbox], base_url: "GRAPH", authority_host: "AUTHORITY"}
                """.replace("SECRET", secret).replace("GRAPH", graph.baseUrl()).replace("AUTHORITY", authorityUrl()));
        return config;
    }

    @Test
    void aClientCertificateSignsTheTokenRequest() throws Exception {
        graph.add("inbox", FakeGraph.message("lead-1@x.example", "buyer@x.example", "sales@acme.example", "Quote",
                "2024-02-27T08:15:00Z"), List.of());
        SourceConfig.Graph config = new SourceConfig.Graph("contoso", "app-id", null, "sales@acme.example",
                List.of("inbox"), "global", graph.baseUrl(), authorityUrl(), dir.resolve("authority.p12"), PASSWORD);
        TokenCredential credential = GraphEndpoints.credential(config, trusting);
        List<IncrementalSource.Batch> batches = new ArrayList<>();
        try (GraphSource source = new GraphSource("sales", config, new HeaderParser(null),
                GraphEndpoints.tokenProvider("sales", config, credential), 10)) {
            source.poll(f -> Optional.<FolderCheckpoint>empty(), batches::add);
        }
        assertEquals(1, batches.get(0).messages().size());
        assertEquals(null, tokenRequests.get(0).get("client_secret"));
        assertTrue(tokenRequests.get(0).containsKey("client_assertion"), tokenRequests.get(0).keySet().toString());
    }

    @Test
    void aRejectedSecretIsAnErrorWithoutTheSecret() {
        SourceConfig.Graph config = config("wrong-" + SECRET);
        TokenCredential credential = GraphEndpoints.credential(config, trusting);
        try (GraphSource source = new GraphSource("sales", config, new HeaderParser(null),
                GraphEndpoints.tokenProvider("sales", config, credential), 10)) {
            Exception e = assertThrows(Exception.class, () -> source.poll(f -> Optional.empty(), b -> { }));
            String text = e.toString() + " " + (e.getCause() == null ? "" : e.getCause().toString());
            assertTrue(text.contains("mailbox sales"), text);
            assertFalse(text.contains(SECRET), text);
        }
    }

    @Test
    void theScopeFollowsTheCloudNotTheBaseUrlAndAnExplicitScopeWins() {
        for (String[] c : List.of(new String[] {"global", "https://graph.microsoft.com/.default"},
                new String[] {"usgov", "https://graph.microsoft.us/.default"},
                new String[] {"china", "https://microsoftgraph.chinacloudapi.cn/.default"})) {
            SourceConfig.Graph viaProxy = new SourceConfig.Graph("contoso", "app-id", SECRET, "sales@acme.example",
                    List.of("inbox"), c[0], "https://graph-proxy.acme.example", null);
            assertEquals(c[1], GraphEndpoints.scope(viaProxy), c[0]);
            assertEquals("https://graph-proxy.acme.example/v1.0", GraphEndpoints.graphBaseUrl(viaProxy));
        }
        SourceConfig.Graph explicit = new SourceConfig.Graph("contoso", "app-id", SECRET, "sales@acme.example",
                List.of("inbox"), "global", null, null, null, null, "https://dod-graph.microsoft.us/.default");
        assertEquals("https://dod-graph.microsoft.us/.default", GraphEndpoints.scope(explicit));
    }

    @Test
    void imapXoauth2TokensUseTheExchangeOnlineScope() throws IOException {
        TokenCredential credential = AzureCredentials.clientCredential("contoso", "app-id", SECRET, null, null,
                authorityUrl() + "/", true, trusting);
        assertEquals("imap-token", new AzureImapTokenProvider(credential, "sales").accessToken());
        assertTrue(List.of(tokenRequests.get(0).get("scope").split(" ")).contains("https://outlook.office365.com/.default"),
                tokenRequests.get(0).get("scope"));
    }
}
