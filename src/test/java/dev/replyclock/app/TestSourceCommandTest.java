package dev.replyclock.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.ingest.gmail.FakeGmail;
import dev.replyclock.ingest.imap.ImapFixtures;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replyclock test-source} against the Gmail fake and GreenMail: its output and exit codes; it stores nothing. */
class TestSourceCommandTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP);

    private static final String SALES = "sales@acme.example";
    private static final String ALICE = "alice@acme.example";

    @TempDir
    Path dir;

    private static CommandLineTest.Run run(String... args) {
        return CommandLineTest.run(args);
    }

    /** Team sales with alice; mailbox sales from {@code salesSource}, and alice's own mailbox reply-only. */
    private Path config(String salesSource, String aliceSource) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                internal_domains: [acme.example]
                calendars:
                  berlin: {zone: Europe/Berlin, hours: {mon-fri: ["09:00-17:00"]}}
                sla_policies:
                  sales: {first_response: 4h}
                teams:
                  sales: {members: [{id: alice, addresses: [alice@acme.example]}]}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: berlin, source: SALES}
                  - {id: alice-sent, address: alice@acme.example, replies_only: true, source: ALICE}
                """.replace("SALES", salesSource).replace("ALICE", aliceSource));
        return file;
    }

    private static String gmailSource(FakeGmail gmail, String user, Path key) throws Exception {
        Files.writeString(key, gmail.serviceAccountJson());
        return "{type: gmail, user: " + user + ", service_account_file: " + key.getFileName() + ", base_url: "
                + gmail.baseUrl() + "}";
    }

    private boolean anyStoreFile() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".db"));
        }
    }

    @Test
    void aGmailMailboxIsReadAndItsNewestMessagesExplainedWithoutStoringAnything() throws Exception {
        try (FakeGmail sales = new FakeGmail(SALES); FakeGmail alice = new FakeGmail(ALICE)) {
            Instant t = Instant.parse("2024-02-27T08:00:00Z");
            for (int i = 6; i >= 1; i--) { // older mail, received first: counted, but no header of it is read
                sales.add("INBOX", t.minusSeconds(3600L * i), "Message-ID", "<old-" + i + "@x.example>", "From",
                        "old-" + i + "@x.example", "To", SALES, "Subject", "Old request " + i);
            }
            sales.add("INBOX", t, "Message-ID", "<lead-1@x.example>", "From", "buyer@x.example", "To", SALES,
                    "Subject", "Quote");
            sales.add("INBOX", t.plusSeconds(60), "Message-ID", "<ooo@x.example>", "From", "buyer@x.example", "To", SALES,
                    "Subject", "Out of office", "Auto-Submitted", "auto-replied");
            sales.add("SENT", t.plusSeconds(120), "Message-ID", "<re-1@acme.example>", "From", ALICE,
                    "To", "buyer@x.example", "Subject", "Re: Quote", "In-Reply-To", "<lead-1@x.example>");
            alice.add("INBOX", t.plusSeconds(30), "Message-ID", "<to-alice@x.example>", "From", "buyer@x.example",
                    "To", ALICE, "Subject", "Hello Alice");
            alice.add("SENT", t.plusSeconds(90), "Message-ID", "<alice-re@acme.example>", "From", ALICE,
                    "To", "buyer@x.example", "Subject", "Re: Hello Alice");
            Path config = config(gmailSource(sales, SALES, dir.resolve("sales.json")),
                    gmailSource(alice, ALICE, dir.resolve("alice.json")));

            CommandLineTest.Run r = run("test-source", "--config", config.toString(), "--mailbox", "sales");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().startsWith("mailbox sales (sales@acme.example, gmail)\n  INBOX: 8 messages\n  SENT: 1 messages\n"
                    + "read the headers of the newest 5 messages per folder in "), r.out());
            assertTrue(r.out().contains("newest 5:\n  2024-02-27T08:02:00Z  from alice@acme.example  \"Re: Quote\"\n"
                    + "    -> attempt or response: sent by alice@acme.example"), r.out());
            assertTrue(r.out().contains("\"Out of office\"\n    -> automated (auto_submitted, automated_subject): opens no lead"), r.out());
            assertTrue(r.out().contains("\"Quote\"\n    -> lead: buyer@x.example wrote to sales@acme.example"), r.out());
            assertTrue(r.out().endsWith("OK: mailbox sales can be read\n"), r.out());
            assertTrue(r.out().contains("Old request 2") && !r.out().contains("Old request 3"), "the newest 5 only: " + r.out());

            CommandLineTest.Run replyOnly = run("test-source", "--config", config.toString(), "--mailbox", "alice-sent");
            assertEquals(0, replyOnly.exit(), replyOnly.out() + replyOnly.err());
            assertTrue(replyOnly.out().contains("\"Hello Alice\"\n    -> skipped: inbound mail of a reply-only mailbox"),
                    replyOnly.out());
            assertTrue(replyOnly.out().contains("\"Re: Hello Alice\"\n    -> attempt or response"), replyOnly.out());
            assertFalse(anyStoreFile(), "test-source stores nothing");

            sales.delegated(false);
            CommandLineTest.Run refused = run("test-source", "--config", config.toString(), "--mailbox", "sales");
            assertEquals(1, refused.exit(), refused.out() + refused.err());
            assertTrue(refused.err().contains("mailbox sales cannot be read: mailbox sales: Google refused a token"),
                    refused.err());
            assertTrue(refused.err().contains("Domain-wide delegation) the client id " + FakeGmail.CLIENT_ID
                    + " needs the OAuth scope https://www.googleapis.com/auth/gmail.readonly"), refused.err());
            assertFalse(refused.err().contains("PRIVATE KEY"));

            CommandLineTest.Run unknown = run("test-source", "--config", config.toString(), "--mailbox", "support");
            assertEquals(2, unknown.exit());
            assertEquals("no mailbox 'support' (configured: sales, alice-sent)\n", unknown.err());
        }
    }

    @Test
    void anImapMailboxIsReadOverGreenMailAndAWrongPasswordExitsOneWithTheReason() throws Exception {
        greenMail.setUser(SALES, SALES, "s3cret");
        try (IMAPStore c = ImapFixtures.client(greenMail.getImap().getPort(), SALES, "s3cret")) {
            ImapFixtures.append(ImapFixtures.folder(c, "INBOX"), ImapFixtures.message("lead-1@x.example",
                    "buyer@x.example", SALES, "Quote", "Tue, 27 Feb 2024 08:00:00 +0000", null),
                    Instant.parse("2024-02-27T08:00:00Z"));
        }
        String imap = "{type: imap, host: 127.0.0.1, port: " + greenMail.getImap().getPort()
                + ", tls: none, username: " + SALES + ", password: PASSWORD, folders: [INBOX]}";
        try (FakeGmail alice = new FakeGmail(ALICE)) {
            String aliceSource = gmailSource(alice, ALICE, dir.resolve("alice.json"));
            CommandLineTest.Run r = run("test-source", "--config", config(imap.replace("PASSWORD", "s3cret"), aliceSource).toString(),
                    "--mailbox", "sales");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().startsWith("mailbox sales (sales@acme.example, imap)\n  INBOX: 1 messages\n"), r.out());
            assertTrue(r.out().contains("\"Quote\"\n    -> lead: buyer@x.example wrote to sales@acme.example"), r.out());

            CommandLineTest.Run wrong = run("test-source", "--config", config(imap.replace("PASSWORD", "not-it"), aliceSource).toString(),
                    "--mailbox", "sales");
            assertEquals(1, wrong.exit(), wrong.out() + wrong.err());
            assertTrue(wrong.err().contains("mailbox sales cannot be read: "), wrong.err());
            assertTrue(wrong.err().contains("login failed"), wrong.err());
            assertFalse(wrong.err().contains("not-it"), wrong.err());
            assertFalse(anyStoreFile(), "test-source stores nothing");
        }
    }
}
