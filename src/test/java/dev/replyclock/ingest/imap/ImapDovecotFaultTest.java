package dev.replyclock.ingest.imap;

import dev.replyclock.faults.HamMail;
import dev.replyclock.faults.HamMail.Mail;
import dev.replyclock.it.DovecotServer;
import dev.replyclock.store.StoredCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live poll path against a real Dovecot that restarts mid-sync or loses its UID database (a new
 * UIDVALIDITY): 300 ham messages in INBOX and 40 in Sent, batches of 50; afterwards every message is stored
 * once (or merged, for a re-read folder) and the leads and waits equal {@code analyze} over the same files.
 */
class ImapDovecotFaultTest {

    private static final int BATCH = 50;

    private Path dir;
    private DovecotServer dovecot;
    private final List<Mail> inbox = new ArrayList<>();
    private final List<Mail> sent = new ArrayList<>();
    private LivePoll live;

    @BeforeEach
    void startDovecotWithHam() throws Exception {
        dir = DovecotServer.workDirectory("imap-fault");
        dovecot = DovecotServer.in(dir.resolve("dovecot"));
        List<Mail> ham = HamMail.first(340);
        deliver("INBOX", ham.subList(0, 300));
        deliver("Sent", ham.subList(300, 340));
        dovecot.start();
        live = new LivePoll(dir, dovecot.sourceYaml("folders: [INBOX, Sent]"), BATCH, 5_000);
    }

    @AfterEach
    void stop() throws Exception {
        live.close();
        dovecot.close();
    }

    @Test
    void aServerRestartMidSyncIsRetriedAndTheSyncCompletesWithoutReadingAnythingTwice() throws Exception {
        live.cycle.addBatchListener((mailbox, batch) -> {
            if (batch.checkpoint().lastUid() == 2L * BATCH) {
                stopDovecot();
            }
        });
        String error = live.pollFails(DovecotServer.PASSWORD);
        assertTrue(error.matches("IMAP 127\\.0\\.0\\.1:\\d+ folder (INBOX|Sent) \\(mailbox sales\\): .*"), error);
        // the windows read ahead before the server stopped are stored too; the one in flight is not
        long stored = live.store.counts().messages();
        assertTrue(stored >= 2L * BATCH && stored < inbox.size() + sent.size(), "stored before the failure: " + stored);
        live.assertEachMessageOnce(stored);

        live.passBackoff();
        String down = live.pollFails(DovecotServer.PASSWORD);
        assertTrue(down.startsWith("IMAP 127.0.0.1:" + dovecot.port() + " folder INBOX (mailbox sales): ") && down.contains("refused"), down);

        dovecot.start();
        live.passBackoff();
        assertEquals(inbox.size() + sent.size() - stored, live.pollOk().newMessages());
        List<Mail> later = HamMail.first(341).subList(340, 341);
        deliver("INBOX", later);
        assertEquals(1, live.pollOk().newMessages());
        assertEquals(0, live.pollOk().newMessages());
        live.assertEachMessageOnce(inbox.size() + sent.size());
        live.assertSameAsAnalyze(files());
    }

    @Test
    void aNewUidValidityReadsTheFolderAgainAndMergesEveryCopy() throws Exception {
        live.pollOk();
        long validity = live.store.checkpoint("sales", "INBOX").orElseThrow().uidValidity();
        dovecot.close();
        forgetUids(dovecot.folder("INBOX"));
        while (Instant.now().getEpochSecond() <= validity) {
            Thread.sleep(50); // Dovecot's new UIDVALIDITY is the current second
        }
        deliver("INBOX", HamMail.first(341).subList(340, 341));
        dovecot.start();

        assertEquals(inbox.size(), live.pollOk().newMessages(), "INBOX is read again from its first message");
        assertNotEquals(validity, live.store.checkpoint("sales", "INBOX").orElseThrow().uidValidity());
        StoredCounts counts = live.store.counts();
        assertEquals(inbox.size() + sent.size(), counts.messages(), counts.toString());
        assertEquals(inbox.size() - 1, counts.duplicates(), "every copy read again merged: " + counts);
        assertEquals(counts.messages() + counts.duplicates(), counts.copies(), counts.toString());
        assertEquals(0, live.pollOk().newMessages());
        live.assertSameAsAnalyze(files());
    }

    /** Removes Dovecot's UID list and indexes of a Maildir (and the mailbox list index), as a rebuilt server would. */
    private void forgetUids(Path maildir) throws IOException {
        try (Stream<Path> s = Stream.concat(Files.list(maildir), Files.list(dovecot.home()))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("dovecot")).toList()) {
                Files.delete(p);
            }
        }
    }

    private void stopDovecot() {
        try {
            dovecot.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Path> files() throws IOException {
        return List.of(HamMail.writeFiles(dir.resolve("files/inbox"), inbox), HamMail.writeFiles(dir.resolve("files/sent"), sent));
    }

    private void deliver(String folder, List<Mail> mail) throws IOException {
        for (Mail m : mail) {
            dovecot.deliver(folder, m.name(), m.raw(), m.internalDate());
        }
        (folder.equals("INBOX") ? inbox : sent).addAll(mail);
    }
}
