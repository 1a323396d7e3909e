package dev.replyclock.ingest;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * App-only Microsoft Entra ID credentials (client credentials flow) shared by the Graph source and IMAP XOAUTH2
 * on Exchange Online. Secrets are never part of a message or log line.
 */
public final class AzureCredentials {

    private AzureCredentials() {
    }

    /**
     * A client-secret or client-certificate credential (exactly one of {@code secret} and {@code certificate}).
     * With a custom {@code authorityHost} instance discovery is disabled, else MSAL would first ask the public
     * login host whether the authority is known.
     */
    public static TokenCredential clientCredential(String tenant, String clientId, String secret, Path certificate,
                                                   String certificatePassword, String authorityHost,
                                                   boolean customAuthority) {
        return clientCredential(tenant, clientId, secret, certificate, certificatePassword, authorityHost,
                customAuthority, null);
    }

    /** As above, on a given HTTP client (tests: one that trusts a local authority's certificate); null: the default. */
    public static TokenCredential clientCredential(String tenant, String clientId, String secret, Path certificate,
                                                   String certificatePassword, String authorityHost,
                                                   boolean customAuthority, HttpClient httpClient) {
        if (certificate != null) {
            ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder().tenantId(tenant)
                    .clientId(clientId).authorityHost(authorityHost);
            String file = certificate.toString();
            if (file.toLowerCase(Locale.ROOT).endsWith(".pem")) {
                b.pemCertificate(file);
            } else {
                b.pfxCertificate(file, certificatePassword);
            }
            if (customAuthority) {
                b.disableInstanceDiscovery();
            }
            if (httpClient != null) {
                b.httpClient(httpClient);
            }
            return b.build();
        }
        ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder().tenantId(tenant).clientId(clientId)
                .clientSecret(secret).authorityHost(authorityHost);
        if (customAuthority) {
            b.disableInstanceDiscovery();
        }
        if (httpClient != null) {
            b.httpClient(httpClient);
        }
        return b.build();
    }

    /** A token for {@code scope} (e.g. {@code https://graph.microsoft.com/.default}); the cause's text is not kept. */
    public static String token(TokenCredential credential, String scope, String who) throws IOException {
        try {
            var token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
            if (token == null || token.getToken() == null) {
                throw new IOException(who + ": no access token for " + scope);
            }
            return token.getToken();
        } catch (RuntimeException e) {
            // Entra ID error texts name the client and the failure (AADSTS codes), never the secret itself.
            throw new IOException(who + ": cannot get an access token for " + scope + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
