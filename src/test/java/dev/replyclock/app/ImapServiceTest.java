package dev.replyclock.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.SalesConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.imap.ImapFixtures;
import dev.replyclock.ingest.imap.ImapSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import jakarta.mail.Folder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The poll cycle, the store and the analysis over GreenMail IMAP as mail keeps arriving. */
class ImapServiceTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String USER = "sales@acme.example";
    private static final String PASSWORD = "service-test-password";

    @TempDir
    Path dir;
    private Config config;
    private Store store;
    private LiveAnalysis live;
    private PollCycle cycle;
    private ImapSource source;

    @BeforeEach
    void start() throws Exception {
        greenMail.setUser(USER, USER, PASSWORD);
        try (IMAPStore c = client()) {
            ImapFixtures.folder(c, "Sent");
        }
        config = SalesConfig.write(dir, "{type: imap, host: 127.0.0.1, port: " + greenMail.getImap().getPort()
                + ", tls: none, username: sales@acme.example, password: " + PASSWORD + ", folders: [INBOX, Sent], batch_size: 1}");
        store = Store.open(dir.resolve("replyclock.db"));
        live = new LiveAnalysis(config);
        cycle = new PollCycle(store, live, Clock.systemUTC());
        source = new ImapSource("sales", (SourceConfig.Imap) config.mailboxes().get(0).source(),
                new HeaderParser(config.attributionHeader()), config.attributionHeader(), null);
    }

    @AfterEach
    void stop() {
        source.close();
        store.close();
    }

    @Test
    void aReplyReadBeforeItsLeadStillBecomesTheFirstResponse() throws Exception {
        append("Sent", message("reply-1@acme.example", "alice@acme.example", "buyer@x.example", "Re: Quote", "lead-1@x.example"),
                "2024-02-27T09:40:00Z");
        poll();
        assertEquals(List.of(), live.leads(), "an outbound message alone is no lead");

        append("INBOX", message("lead-1@x.example", "buyer@x.example", USER, "Quote", null), "2024-02-27T08:15:00Z");
        poll();
        Lead lead = live.leads().get(0);
        assertEquals("lead-1@x.example", lead.leadMessageId());
        assertEquals("reply-1@acme.example", lead.firstResponse().messageId());
        assertEquals(5100, lead.firstResponse().businessSeconds());
        assertEquals(live.leads(), store.leads(), "the store holds what the analysis computed");
        assertEquals(live.waits(), store.waits());
    }

    @Test
    void newMailBetweenPollsIsReadOnceAndRecomputesItsConversation() throws Exception {
        append("INBOX", message("lead-1@x.example", "buyer@x.example", USER, "Quote", null), "2024-02-27T08:15:00Z");
        poll();
        assertNull(live.leads().get(0).firstResponse());
        append("Sent", message("reply-1@acme.example", "alice@acme.example", "buyer@x.example", "Re: Quote", "lead-1@x.example"),
                "2024-02-27T09:40:00Z");
        append("INBOX", message("lead-2@y.example", "other@y.example", USER, "Demo", null), "2024-02-27T10:00:00Z");
        assertEquals(2, poll().newMessages());
        assertEquals(0, poll().newMessages(), "nothing new: nothing read");
        assertEquals(2, live.leads().size());
        assertEquals("reply-1@acme.example", live.leads().get(0).firstResponse().messageId());
        assertEquals(3, store.counts().copies(), "every message fetched once");
        assertEquals(live.leads(), store.leads());
    }

    @Test
    void aRecreatedFolderIsReadAgainWithoutCountingAnythingTwice() throws Exception {
        append("INBOX", message("lead-1@x.example", "buyer@x.example", USER, "Quote", null), "2024-02-27T08:15:00Z");
        append("Sent", message("reply-1@acme.example", "alice@acme.example", "buyer@x.example", "Re: Quote", "lead-1@x.example"),
                "2024-02-27T09:40:00Z");
        poll();
        List<Lead> before = live.leads();
        long validity = store.checkpoint("sales", "Sent").orElseThrow().uidValidity();
        while (Instant.now().getEpochSecond() <= validity) {
            Thread.sleep(50); // GreenMail's UIDVALIDITY is the folder's creation second
        }
        try (IMAPStore c = client()) {
            Folder sent = c.getFolder("Sent");
            sent.delete(true);
            ImapFixtures.folder(c, "Sent");
        }
        append("Sent", message("reply-1@acme.example", "alice@acme.example", "buyer@x.example", "Re: Quote", "lead-1@x.example"),
                "2024-02-27T09:40:00Z");
        assertEquals(1, poll().newMessages(), "the re-created folder is read again");
        assertEquals(before, live.leads(), "the copy read again merges: no metric changes");
        assertEquals(2, store.counts().messages());
        assertEquals(2, live.counts().messages());
    }

    private PollCycle.Outcome poll() {
        PollCycle.Outcome outcome = cycle.poll("sales", source);
        assertFalse(outcome.failed(), outcome.error());
        return outcome;
    }

    private IMAPStore client() throws Exception {
        return ImapFixtures.client(greenMail.getImap().getPort(), USER, PASSWORD);
    }

    private void append(String folder, byte[] raw, String internalDate) throws Exception {
        try (IMAPStore c = client()) {
            ImapFixtures.append(ImapFixtures.folder(c, folder), raw, Instant.parse(internalDate));
        }
    }

    static byte[] message(String id, String from, String to, String subject, String inReplyTo) {
        return ("Message-ID: <" + id + ">\r\n" + (inReplyTo == null ? "" : "In-Reply-To: <" + inReplyTo + ">\r\n")
                + "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Tue, 27 Feb 2024 00:00:00 +0000\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
