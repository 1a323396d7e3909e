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
