package dev.replyclock.ingest.imap;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.config.SourceConfig.Imap;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.ingest.HeaderParser;
import jakarta.mail.Flags;
import java.io.ByteArrayInputStream;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rough timings against GreenMail (the real benchmark is against Dovecot): a first read of N messages in
 * INBOX and the poll with nothing new. Run with the test class path:
 * {@code mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt} then
 * {@code java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.replyclock.ingest.imap.ImapBenchmark 5000}.
 *
 * <p>GreenMail is no yardstick: its UID FETCH looks up each message's number with a linear scan, so a first
 * read is quadratic (5,000 messages: ~6 s; 20,000: ~290 s), and each of its multi-line replies (STATUS)
 * costs ~40 ms on loopback, likely Nagle against delayed ACKs, so a poll with nothing new is ~43 ms there
 * whatever the folder size.
 */
public final class ImapBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ImapSourceTest.quietGreenMail();
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            GreenMailUser user = greenMail.setUser("sales@acme.example", "sales@acme.example", "pw");
            MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] raw = ImapFixtures.message("m" + i + "@buyer.example", "b" + i + "@buyer.example",
                        "sales@acme.example", "Question " + i, "Mon, 1 Jan 2024 08:00:00 +0000", null);
                inbox.appendMessage(GreenMailUtil.newMimeMessage(new ByteArrayInputStream(raw)), new Flags(),
                        new Date(1_700_000_000_000L + i * 1000L));
            }
            System.out.printf("filled %d messages in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);

            Imap config = new Imap("127.0.0.1", greenMail.getImap().getPort(), Imap.Tls.NONE, "sales@acme.example",
                    "pw", List.of("INBOX"), false, null);
            Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
            long[] count = {0};
            try (ImapSource source = new ImapSource("sales", config, new HeaderParser("X-Replyclock-Rep"), null)) {
                long t1 = System.nanoTime();
                source.poll(f -> Optional.ofNullable(checkpoints.get(f)), b -> {
                    count[0] += b.messages().size();
                    checkpoints.put(b.checkpoint().folder(), b.checkpoint());
                });
                long first = (System.nanoTime() - t1) / 1_000_000;
                System.out.printf("first poll: %d messages in %d ms (%.0f msg/s)%n", count[0], first,
                        count[0] * 1000.0 / Math.max(1, first));
                for (int i = 0; i < 5; i++) {
                    long t2 = System.nanoTime();
                    source.poll(f -> Optional.ofNullable(checkpoints.get(f)), b -> count[0] += b.messages().size());
                    System.out.printf("poll with nothing new: %.1f ms%n", (System.nanoTime() - t2) / 1e6);
                }
            }
        } finally {
            greenMail.stop();
        }
    }
}
