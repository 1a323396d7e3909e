package dev.replyclock.ingest.imap;

import com.azure.core.credential.TokenCredential;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.AzureCredentials;

import java.io.IOException;

/**
 * IMAP XOAUTH2 for Exchange Online: an app-only token for {@code https://outlook.office365.com/.default} from an
 * azure-identity credential (which caches and refreshes it). The app needs the {@code IMAP.AccessAsApp}
 * permission and an Exchange service principal with access to the mailbox.
 */
public final class AzureImapTokenProvider implements AccessTokenProvider {

    public static final String SCOPE = "https://outlook.office365.com/.default";

    private final TokenCredential credential;
    private final String scope;
    private final String mailboxId;

    public AzureImapTokenProvider(TokenCredential credential, String mailboxId) {
        this(credential, SCOPE, mailboxId);
    }

    /** @param scope another resource's scope (national clouds: e.g. {@code https://outlook.office365.us/.default}) */
    public AzureImapTokenProvider(TokenCredential credential, String scope, String mailboxId) {
        this.credential = credential;
        this.scope = scope;
        this.mailboxId = mailboxId;
    }

    /** The provider of an IMAP source's {@code oauth2: {azure: ...}} entry. */
    public static AzureImapTokenProvider of(String mailboxId, SourceConfig.Imap.Azure azure) {
        String authority = azure.authorityHost() != null ? azure.authorityHost() : SourceConfig.Imap.Azure.DEFAULT_AUTHORITY_HOST;
        TokenCredential credential = AzureCredentials.clientCredential(azure.tenant(), azure.clientId(),
                azure.clientSecret(), azure.clientCertificate(), azure.clientCertificatePassword(),
                authority.replaceAll("/+$", "") + "/", azure.authorityHost() != null);
        return new AzureImapTokenProvider(credential, azure.scope(), mailboxId);
    }

    @Override
    public String accessToken() throws IOException {
        return AzureCredentials.token(credential, scope, "mailbox " + mailboxId);
    }
}
