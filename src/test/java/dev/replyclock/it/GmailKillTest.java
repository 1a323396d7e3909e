package dev.replyclock.it;

import dev.replyclock.SalesConfig;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.ingest.gmail.FakeGmail;
import dev.replyclock.ingest.gmail.GmailFixture;
import dev.replyclock.poll.Restarted;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sync --once} of a Gmail mailbox (the fake, 2,000 leads and 1,000 replies, batches of 40) killed with SIGKILL
 * at random points and restarted: after each kill the file is sound and nothing stored was fetched twice; the last
 * run completes with every message once; mail arriving afterwards is read from the history once.
 */
class GmailKillTest {

    private static final int LEADS = 2_000;
    private static final int REPLIES = 1_000;
    private static final int BATCH = 40;
    private static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void killedMidSyncThenRestartedLosesAndDoublesNothing() throws Exception {
        long seed = Long.getLong("replyclock.killSeed", System.nanoTime());
        System.out.println("gmail kill loop: seed " + seed + " (repeat with -Dreplyclock.killSeed=" + seed + ")");
        Random random = new Random(seed);
        try (FakeGmail gmail = new FakeGmail(GmailFixture.USER)) {
            for (int n = 1; n <= LEADS; n++) {
                add(gmail, n);
            }
            gmail.latency(5);
            Files.writeString(dir.resolve("sa.json"), gmail.serviceAccountJson());
            Path store = dir.resolve("replyclock.db");
            SalesConfig.write(dir, "{type: gmail, user: " + GmailFixture.USER + ", service_account_file: sa.json,"
                    + " base_url: " + gmail.baseUrl() + ", batch_size: " + BATCH + "}");
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, Files.readString(config) + "store: {path: " + store.toAbsolutePath() + "}\n");

            long stored = 0;
            int kills = 0;
            for (int round = 0; kills < KILLS; round++) {
                assertTrue(round < 3 * KILLS, "only " + kills + " of " + round + " kills landed on a running sync");
                Path log = dir.resolve("round-" + round + ".log");
                long before = stored;
                Process sync = KilledSync.start(config, log);
                KilledSync.waitForStoredMessages(store, sync, before + 1 + random.nextInt(6 * BATCH), 60_000);
                if (!sync.isAlive()) {
                    continue; // finished before the kill point: not a kill
                }
                sync.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                kills++;
                stored = KilledSync.countMessages(store);
                System.out.printf("round %d: kill, %d -> %d of %d stored%n", round, before, stored, LEADS + REPLIES);
                assertTrue(stored >= before, "round " + round + ": stored messages went from " + before + " to " + stored);
                assertEquals("ok", KilledSync.integrityCheck(store), "round " + round);
                assertEquals(stored, KilledSync.storedCopies(store), "round " + round + ": every stored copy was fetched once");
            }
            assertTrue(stored < LEADS + REPLIES, "the kills landed mid-sync: " + stored);

            Process last = KilledSync.start(config, dir.resolve("last.log"));
            assertEquals(0, last.waitFor(), Files.readString(dir.resolve("last.log")));
            assertCounts(config, store, LEADS + REPLIES, LEADS, REPLIES);

            // Mail after the first sync is read from the history, once.
            for (int n = LEADS + 1; n <= LEADS + 3; n++) {
                add(gmail, n);
            }
            Process again = KilledSync.start(config, dir.resolve("again.log"));
            assertEquals(0, again.waitFor(), Files.readString(dir.resolve("again.log")));
            assertCounts(config, store, LEADS + REPLIES + 3, LEADS + 3, REPLIES);
        }
    }

    /** Lead {@code n} in INBOX, and for the first {@link #REPLIES} leads alice's answer in SENT. */
    private static void add(FakeGmail gmail, int n) {
        Instant at = Instant.parse("2024-02-27T08:00:00Z").plusSeconds(60L * n);
        gmail.add("INBOX", at, "Message-ID", "<lead-" + n + "@x.example>", "From", "buyer" + n + "@x.example",
                "To", GmailFixture.USER, "Subject", "Quote " + n);
        if (n <= REPLIES) {
            gmail.add("SENT", at.plusSeconds(1800), "Message-ID", "<reply-" + n + "@acme.example>",
                    "From", "alice@acme.example", "To", "buyer" + n + "@x.example", "Subject", "Re: Quote " + n,
                    "In-Reply-To", "<lead-" + n + "@x.example>");
        }
    }

    private static void assertCounts(Path config, Path storeFile, int messages, int leads, int answered) throws Exception {
        try (Store s = Store.open(storeFile)) {
            StoredCounts counts = s.counts();
            assertEquals(messages, counts.messages(), "every message stored: " + counts);
            assertEquals(counts.messages(), counts.copies(), "no message fetched twice: " + counts);
            assertEquals("ok", KilledSync.integrityCheck(storeFile));
            var served = Restarted.results(ConfigLoader.load(config), s, Clock.systemUTC());
            assertEquals(leads, served.leads().size());
            assertEquals(answered, served.leads().stream().filter(l -> l.firstResponse() != null).count());
        }
    }
}
