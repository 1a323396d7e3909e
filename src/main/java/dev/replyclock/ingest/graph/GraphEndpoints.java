package dev.replyclock.ingest.graph;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.AzureCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * The Graph and login hosts of a source and its token scope: {@code cloud} picks them (global, usgov, china);
 * {@code base_url} and {@code authority_host} override the hosts, {@code scope} the scope (SPEC section 11).
 */
public final class GraphEndpoints {

    private static final Map<String, String[]> CLOUDS = Map.of(
            "global", new String[] {"https://graph.microsoft.com", "https://login.microsoftonline.com"},
            "usgov", new String[] {"https://graph.microsoft.us", "https://login.microsoftonline.us"},
            "china", new String[] {"https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn"});

    private GraphEndpoints() {
    }

    private static String[] cloud(SourceConfig.Graph config) {
        String[] hosts = CLOUDS.get(config.cloud() == null ? SourceConfig.Graph.DEFAULT_CLOUD : config.cloud());
        return hosts == null ? CLOUDS.get("global") : hosts;
    }

    /** The Graph root without version, no trailing slash, e.g. {@code https://graph.microsoft.com}. */
    static String graphRoot(SourceConfig.Graph config) {
        String root = config.baseUrl() != null ? config.baseUrl() : cloud(config)[0];
        root = strip(root);
        if (root.endsWith("/v1.0")) {
            root = root.substring(0, root.length() - "/v1.0".length());
        }
        return root;
    }

    /** The URL requests are built on: the root plus {@code /v1.0}. */
    public static String graphBaseUrl(SourceConfig.Graph config) {
        return graphRoot(config) + "/v1.0";
    }

    /** The Entra ID login host. */
    public static String authorityHost(SourceConfig.Graph config) {
        return strip(config.authorityHost() != null ? config.authorityHost() : cloud(config)[1]);
    }

    /**
     * The app-only scope: {@code scope} when configured, else the cloud's Graph resource plus {@code /.default}.
     * A {@code base_url} (a proxy, a test server) does not change it: the token is still for Microsoft Graph.
     */
    public static String scope(SourceConfig.Graph config) {
        if (config.scope() != null) {
            return config.scope();
        }
        return cloud(config)[0] + "/.default";
    }

    private static String strip(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The source's credential: client secret or certificate, against the authority host. */
    public static TokenCredential credential(SourceConfig.Graph config) {
        return credential(config, null);
    }

    /** As {@link #credential(SourceConfig.Graph)} on a given HTTP client (tests), or the default one when null. */
    static TokenCredential credential(SourceConfig.Graph config, HttpClient httpClient) {
        boolean custom = config.authorityHost() != null;
        return AzureCredentials.clientCredential(config.tenant(), config.clientId(), config.clientSecret(),
                config.clientCertificate(), config.clientCertificatePassword(), authorityHost(config) + "/", custom,
                httpClient);
    }

    /** Bearer tokens for the Graph host of {@code config}, from its app credentials. */
    static AccessTokenProvider tokenProvider(String mailboxId, SourceConfig.Graph config) {
        return tokenProvider(mailboxId, config, credential(config));
    }

    static AccessTokenProvider tokenProvider(String mailboxId, SourceConfig.Graph config, TokenCredential credential) {
        return new CredentialTokenProvider(credential, scope(config), URI.create(graphRoot(config)).getHost(),
                "mailbox " + mailboxId);
    }

    /**
     * A Kiota token provider on an azure-identity credential, for the Graph host only (the SDK's own
     * {@code AzureIdentityAccessTokenProvider} refuses {@code http://} hosts, so loopback fakes would get no token).
     */
    public static final class CredentialTokenProvider implements AccessTokenProvider {
        private final TokenCredential credential;
        private final String scope;
        private final AllowedHostsValidator hosts;
        private final String who;

        public CredentialTokenProvider(TokenCredential credential, String scope, String host, String who) {
            this.credential = credential;
            this.scope = scope;
            this.hosts = new AllowedHostsValidator(host);
            this.who = who;
        }

        @Override
        public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
            if (!hosts.isUrlHostValid(uri)) {
                return "";
            }
            try {
                return AzureCredentials.token(credential, scope, who);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }

        @Override
        public AllowedHostsValidator getAllowedHostsValidator() {
            return hosts;
        }
    }
}
