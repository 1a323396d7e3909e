package dev.replyclock.ingest.imap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.config.SourceConfig.Imap;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.Batches;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.gmail.FakeGmail;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gmail IMAP over XOAUTH2 with {@code oauth2: {google: ...}}: the token comes from the service account's JWT-bearer
 * grant at the fake Google token endpoint (signature, {@code sub} and the scope {@code https://mail.google.com/}
 * checked), and GreenMail accepts it as the user's XOAUTH2 token.
 */
class GoogleImapTokenTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP);

    private static final String USER = "sales@acme.example";
    private static final String TOKEN = "ya29.google-imap-token";

    static {
        ImapSourceTest.quietGreenMail();
    }

    private Imap config(FakeGmail google) {
        Imap.OAuth2 oauth2 = new Imap.OAuth2(null, null, null, new Imap.Google(USER, google.serviceAccountJson(), null));
        return new Imap("127.0.0.1", greenMail.getImap().getPort(), Imap.Tls.NONE, USER, null, List.of("INBOX"), false,
                null, oauth2, Imap.DEFAULT_BATCH_SIZE);
    }

    @Test
    void aServiceAccountTokenForMailGoogleComLogsInWithXoauth2() throws Exception {
        greenMail.setUser(USER, USER, TOKEN);
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, TOKEN)) {
            ImapFixtures.append(ImapFixtures.folder(c, "INBOX"), ImapFixtures.message("lead-1@buyer.example",
                    "buyer@buyer.example", USER, "Quote", "Fri, 01 Mar 2024 09:00:00 +0000", null),
                    Instant.parse("2024-03-01T09:00:00Z"));
        }
        try (FakeGmail google = new FakeGmail(USER)) {
            google.grantedScope(SourceConfig.Imap.Google.SCOPE);
            google.issueToken(TOKEN);
            Imap config = config(google);
            try (ImapSource source = new ImapSource("sales", config, new HeaderParser(null), null,
                    new GoogleImapTokenProvider("sales", config.oauth2().google()))) {
                List<MailMessage> read = Batches.poll(source, new HashMap<>()).stream()
                        .flatMap(b -> b.messages().stream()).toList();
                assertEquals(List.of("lead-1@buyer.example"), read.stream().map(MailMessage::id).toList());
            }
            assertEquals(List.of("/token"), google.requests, "one token, asked of the key's token_uri");

            // Without the delegation for https://mail.google.com/ the login never starts: the token is refused.
            google.grantedScope(FakeGmail.READONLY);
            try (ImapSource source = new ImapSource("sales", config, new HeaderParser(null), null,
                    new GoogleImapTokenProvider("sales", config.oauth2().google()))) {
                IOException e = assertThrows(IOException.class, () -> Batches.poll(source, new HashMap<>()));
                String all = e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage());
                assertTrue(all.contains("needs the OAuth scope https://mail.google.com/"), all);
                assertTrue(all.contains(FakeGmail.CLIENT_ID), all);
            }
        }
    }
}
