package dev.replyclock.ingest.imap;

import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.GoogleServiceAccount;

import java.io.IOException;

/**
 * IMAP XOAUTH2 for Gmail ({@code imap.gmail.com}): a token for {@code https://mail.google.com/} of a service account
 * impersonating the mailbox's user through domain-wide delegation; cached and refreshed before it expires.
 */
public final class GoogleImapTokenProvider implements AccessTokenProvider {

    private final String mailboxId;
    private final SourceConfig.Imap.Google google;
    private GoogleServiceAccount account;

    public GoogleImapTokenProvider(String mailboxId, SourceConfig.Imap.Google google) {
        this.mailboxId = mailboxId;
        this.google = google;
    }

    @Override
    public synchronized String accessToken() throws IOException {
        if (account == null) {
            account = new GoogleServiceAccount(mailboxId, google.serviceAccountJson(), google.user(),
                    SourceConfig.Imap.Google.SCOPE);
        }
        return account.accessToken();
    }
}
