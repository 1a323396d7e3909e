package dev.replyclock.ingest.imap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.faults.FaultyTcpProxy;
import dev.replyclock.faults.HamMail;
import dev.replyclock.faults.HamMail.Mail;
import jakarta.mail.Flags;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live poll path over IMAP while the network and the server misbehave: GreenMail behind a
 * {@link FaultyTcpProxy}, real SpamAssassin ham (300 messages in INBOX, 40 in Sent, batches of 50). After
 * each fault clears, every message is stored once and the leads and waits equal {@code analyze} over the
 * same files.
 */
class ImapFaultTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String USER = "sales@acme.example";
    private static final String PASSWORD = "fault-test-Pa55word";
    private static final int BATCH = 50;

    static {
        ImapSourceTest.quietGreenMail();
    }

    @TempDir
    Path dir;
    private GreenMailUser user;
    private List<Mail> inbox;
    private List<Mail> sent;
    private FaultyTcpProxy proxy;
    private LivePoll live;

    @BeforeEach
    void deliverHamBehindAProxy() throws Exception {
        user = greenMail.setUser(USER, USER, PASSWORD);
        List<Mail> ham = HamMail.first(340);
        inbox = new ArrayList<>(ham.subList(0, 300));
        sent = new ArrayList<>(ham.subList(300, 340));
        deliver("INBOX", inbox);
        deliver("Sent", sent);
        proxy = FaultyTcpProxy.to(greenMail.getImap().getPort());
        live = livePoll(2_000);
    }

    @AfterEach
    void close() throws Exception {
        live.close();
        proxy.close();
    }

    private LivePoll livePoll(int readTimeoutMillis) throws Exception {
        return new LivePoll(dir, "{type: imap, host: 127.0.0.1, port: " + proxy.port() + ", tls: none, username: "
                + USER + ", password: " + PASSWORD + ", folders: [INBOX, Sent]}", BATCH, readTimeoutMillis);
    }

    @Test
    void aConnectionCutMidFetchLosesOnlyTheBatchInFlightAndTheNextPollCompletes() throws Exception {
        proxy.cutInAnswerTo("UID FETCH", 3, 3_000); // 3 KB into the third batch's headers
        String error = live.pollFails(PASSWORD);
        assertEquals(1, proxy.cuts());
        assertTrue(error.startsWith("IMAP 127.0.0.1:" + proxy.port() + " folder INBOX (mailbox sales): "), error);
        // the batches before the cut are committed with their checkpoint, nothing of the one cut: the source sends
        // each UID FETCH before reading the answer to the one before, so the cut lands in the second batch's answer
        // or in the third's
        long committed = live.store.checkpoint("sales", "INBOX").orElseThrow().lastUid();
        assertTrue(committed == BATCH || committed == 2L * BATCH, "committed up to uid " + committed);
        live.assertEachMessageOnce(committed);

        String refused = live.pollFails(PASSWORD);
        assertTrue(refused.contains("not retrying before"), refused);
        assertEquals(1, proxy.connections(), "no connection during the back-off");

        live.passBackoff();
        assertEquals(inbox.size() + sent.size() - committed, live.pollOk().newMessages());
        live.assertEachMessageOnce(inbox.size() + sent.size());
        live.assertSameAsAnalyze(files());
    }

    @Test
    void aSlowServerIsReadCompletelyAndOneSlowerThanTheReadTimeoutFailsClearly() throws Exception {
        live.close();
        live = livePoll(300);
        // after the second batch the server stalls longer than the read timeout
        live.cycle.addBatchListener((mailbox, batch) -> {
            if (batch.checkpoint().lastUid() == 2L * BATCH) {
                proxy.latency(Duration.ofMillis(1_000));
            }
        });
        String error = live.pollFails(PASSWORD);
        assertTrue(error.matches("IMAP 127\\.0\\.0\\.1:\\d+ folder (INBOX|Sent) \\(mailbox sales\\): .*")
                && error.toLowerCase().contains("timed out"), error);
        // windows read ahead before the stall are stored too; the one that timed out is not
        long stored = live.store.counts().messages();
        assertTrue(stored >= 2L * BATCH && stored < inbox.size() + sent.size(), "stored before the stall: " + stored);
        live.assertEachMessageOnce(stored);

        proxy.latency(Duration.ofMillis(2)); // slow, within the timeout: every 1 KB waits 2 ms
        live.passBackoff();
        live.pollOk();
        live.assertEachMessageOnce(inbox.size() + sent.size());
        live.assertSameAsAnalyze(files());
    }

    @Test
    void refusedAndDroppedConnectionsAreRetriedAndNothingIsReadTwice() throws Exception {
        proxy.refuseConnections(true);
        String error = live.pollFails(PASSWORD);
        // connections are made when the first folder needs one
        assertTrue(error.startsWith("IMAP 127.0.0.1:" + proxy.port() + " folder INBOX (mailbox sales): "), error);
        live.assertEachMessageOnce(0);

        proxy.refuseConnections(false);
        live.passBackoff();
        live.pollOk();
        List<Mail> more = HamMail.first(345).subList(340, 345);
        deliverLater("INBOX", more);
        // the kept-open connection breaks between polls: the next poll reconnects by itself
        proxy.dropAll();
        assertEquals(more.size(), live.pollOk().newMessages());
        // refused; the first read; after the drop the STATUS connection, then the kept fetching one fails and
        // both are made anew
        assertEquals(5, proxy.connections());
        assertEquals(0, live.pollOk().newMessages());
        live.assertEachMessageOnce(inbox.size() + sent.size());
        live.assertSameAsAnalyze(files());
    }

    @Test
    void aFailingLoginIsAClearErrorAndTheFixedPasswordReadsEverythingOnce() throws Exception {
        greenMail.setUser(USER, USER, "rotated-by-the-admin");
        String error = live.pollFails(PASSWORD);
        assertTrue(error.contains("login failed for user '" + USER + "'"), error);
        live.pollFails(PASSWORD); // within the back-off: refused without a connection
        assertEquals(1, proxy.connections());

        greenMail.setUser(USER, USER, PASSWORD);
        live.passBackoff();
        assertEquals(inbox.size() + sent.size(), live.pollOk().newMessages());
        live.assertEachMessageOnce(inbox.size() + sent.size());
        live.assertSameAsAnalyze(files());
    }

    @Test
    void aFolderDeletedAndRecreatedIsReadAgainWithoutCountingAnythingTwice() throws Exception {
        live.pollOk();
        long validity = live.store.checkpoint("sales", "Sent").orElseThrow().uidValidity();
        try (IMAPStore c = ImapFixtures.client(greenMail.getImap().getPort(), USER, PASSWORD)) {
            c.getFolder("Sent").delete(true);
        }
        List<Mail> more = HamMail.first(342).subList(340, 342);
        deliverLater("INBOX", more.subList(0, 1));
        String error = live.pollFails(PASSWORD);
        assertTrue(error.contains("folder Sent (mailbox sales)"), error);
        assertEquals(inbox.size(), live.store.checkpoint("sales", "INBOX").orElseThrow().lastUid(),
                "INBOX, read before Sent, still got its new message");

        while (Instant.now().getEpochSecond() <= validity) {
            Thread.sleep(50); // GreenMail's UIDVALIDITY is the folder's creation second
        }
        try (IMAPStore c = ImapFixtures.client(greenMail.getImap().getPort(), USER, PASSWORD)) {
            ImapFixtures.folder(c, "Sent");
        }
        deliver("Sent", sent);
        deliverLater("Sent", more.subList(1, 2));
        live.passBackoff();
        assertEquals(sent.size(), live.pollOk().newMessages(), "the recreated folder is read from its start");
        assertTrue(live.store.checkpoint("sales", "Sent").orElseThrow().uidValidity() != validity);

        var counts = live.store.counts();
        assertEquals(inbox.size() + sent.size(), counts.messages(), counts.toString());
        assertEquals(sent.size() - 1, counts.duplicates(), "only the re-read copies merge: " + counts);
        assertEquals(counts.messages() + counts.duplicates(), counts.copies(), counts.toString());
        live.assertSameAsAnalyze(files());
    }

    /** The delivered ham as files, a folder each for INBOX and Sent. */
    private List<Path> files() throws Exception {
        return List.of(HamMail.writeFiles(dir.resolve("files/inbox"), inbox), HamMail.writeFiles(dir.resolve("files/sent"), sent));
    }

    /** Delivers mail after the first poll; it is part of the folder's expected mail from now on. */
    private void deliverLater(String folder, List<Mail> mail) throws Exception {
        deliver(folder, mail);
        (folder.equals("INBOX") ? inbox : sent).addAll(mail);
    }

    /** Into a GreenMail folder (created when missing) with each message's INTERNALDATE, the way a server delivers. */
    private void deliver(String folder, List<Mail> mail) throws Exception {
        var host = greenMail.getManagers().getImapHostManager();
        MailFolder target = folder.equals("INBOX") ? host.getInbox(user)
                : host.getFolder(user, folder) != null ? host.getFolder(user, folder) : host.createMailbox(user, folder);
        for (Mail m : mail) {
            target.appendMessage(GreenMailUtil.newMimeMessage(new ByteArrayInputStream(m.raw())), new Flags(),
                    Date.from(m.internalDate()));
        }
    }
}
