package dev.replyclock.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.ingest.imap.ImapFixtures;
import dev.replyclock.metrics.Samples;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;
import dev.replyclock.store.SyncStatus;
import jakarta.mail.Folder;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The running service (scheduler, HTTP, GreenMail IMAP) when its SQLite store cannot write: the store is capped at
 * its current size ({@code PRAGMA max_page_count}, which SQLite enforces exactly like a full disk: SQLITE_FULL), new
 * mail arrives, the poll fails with a clear error counted as a sync error, web and metrics keep serving, nothing of
 * the batch is stored; once the cap is lifted, the next scheduled poll stores everything by itself.
 */
class StoreFullTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String USER = "sales@acme.example";
    private static final String PASSWORD = "store-full-test-password";
    private static final int FIRST = 20;
    private static final int MORE = 300;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFullStoreStopsIngestionWithAClearErrorAndItResumesWhenSpaceReturns(@TempDir Path dir) throws Exception {
        greenMail.setUser(USER, USER, PASSWORD);
        try (IMAPStore c = client()) {
            IMAPFolder inbox = ImapFixtures.folder(c, "INBOX");
            IMAPFolder staging = ImapFixtures.folder(c, "Staging");
            for (int i = 0; i < FIRST; i++) {
                ImapFixtures.append(inbox, lead(i), Instant.parse("2024-02-27T08:00:00Z").plusSeconds(60L * i));
            }
            for (int i = FIRST; i < FIRST + MORE; i++) {
                ImapFixtures.append(staging, lead(i), Instant.parse("2024-02-28T08:00:00Z").plusSeconds(60L * i));
            }
        }
        Path storeFile = dir.resolve("replyclock.db");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars:
                  utc: {zone: UTC, hours: 24x7}
                sla_policies:
                  sales: {first_response: 4h, warn_before: 30m}
                teams:
                  sales: {members: [{id: alice, addresses: [alice@acme.example]}]}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: imap, host: 127.0.0.1, port: PORT, tls: none, username: sales@acme.example,
                              password: PASSWORD, folders: [INBOX], batch_size: 500}}
                store: {path: STORE}
                http: {port: HTTP}
                poll_interval: 1s
                """.replace("PORT", Integer.toString(greenMail.getImap().getPort())).replace("PASSWORD", PASSWORD)
                .replace("STORE", storeFile.toString()).replace("HTTP", Integer.toString(port)));
        Config config = ConfigLoader.load(dir.resolve("config.yaml"));

        try (RunCommand.Running running = RunCommand.start(config, Clock.systemUTC(), "127.0.0.1")) {
            Store store = running.service().store();
            String base = "http://127.0.0.1:" + running.http().port();
            waitUntil(() -> store.messageCount() == FIRST, "the first poll stores the first mail");

            // No room: the file may not grow past its current size. The new mail arrives in one IMAP COPY.
            store.capPages(store.pageCount());
            Instant capped = Instant.now();
            moveStagingToInbox();
            waitUntil(() -> syncErrors(base) >= 1, "a poll fails on the full store");

            SyncStatus status = store.lastSync("sales").orElseThrow();
            assertTrue(status.lastErrorAt().isAfter(capped.minusSeconds(1)), status.toString());
            assertTrue(status.lastError().startsWith("store " + storeFile + " is full: the batch of mailbox sales, folder INBOX ("
                    + MORE + " messages, 0 rejected, up to UID " + (FIRST + MORE) + ") was not stored"), status.lastError());
            assertTrue(status.lastError().contains("SQLITE_FULL"), status.lastError());
            assertEquals(FIRST, store.messageCount(), "nothing of the batch is stored");
            assertEquals(FIRST, store.checkpoint("sales", "INBOX").orElseThrow().lastUid(), "the checkpoint did not move");
            assertEquals(FIRST, store.counts().copies());
            assertEquals(200, get(base + "/healthz").statusCode(), "the service keeps serving");
            assertEquals(200, get(base + "/api/report").statusCode());
            assertEquals(FIRST, running.service().results().leads().size(), "the analysis holds what is stored");

            // Space returns: a later scheduled poll stores the batch, and the results it computes.
            store.capPages(Integer.MAX_VALUE);
            waitUntil(() -> store.messageCount() == FIRST + MORE, "ingestion resumes by itself");
            waitUntil(() -> store.lastSync("sales").orElseThrow().lastSuccess().isAfter(store.lastSync("sales").orElseThrow().lastErrorAt()),
                    "a successful poll is recorded");
            waitUntil(() -> store.leads().size() == FIRST + MORE, "the poll's results are stored after its batches");
            StoredCounts counts = store.counts();
            assertEquals(FIRST + MORE, counts.copies(), "every message fetched and counted once: " + counts);
            assertEquals(0, counts.duplicates());
            assertEquals(FIRST + MORE, store.checkpoint("sales", "INBOX").orElseThrow().lastUid());
            assertEquals(FIRST + MORE, running.service().results().leads().size());
            assertEquals(running.service().results().leads(), store.leads(), "the stored results are the live ones");
            assertEquals("ok", store.integrityCheck());
        }
    }

    /** A lead from a distinct external sender (one conversation each). */
    private static byte[] lead(int i) {
        return ImapServiceTest.message("lead-" + i + "@customer" + i + ".example", "buyer" + i + "@customer" + i + ".example",
                USER, "Quote request " + i, null);
    }

    private static void moveStagingToInbox() throws Exception {
        try (IMAPStore c = client()) {
            Folder staging = c.getFolder("Staging");
            staging.open(Folder.READ_ONLY);
            try {
                staging.copyMessages(staging.getMessages(), c.getFolder("INBOX"));
            } finally {
                staging.close(false);
            }
        }
    }

    private static IMAPStore client() throws Exception {
        return ImapFixtures.client(greenMail.getImap().getPort(), USER, PASSWORD);
    }

    private double syncErrors(String base) {
        try {
            HttpResponse<String> metrics = get(base + "/metrics");
            assertEquals(200, metrics.statusCode());
            return Samples.parse(metrics.body()).get("replyclock_mailbox_sync_errors_total", "mailbox", "sales", "kind", "store");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the scheduler to get there (a condition, not a time: fails only after a generous minute). */
    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never happened: " + what);
            Thread.sleep(50);
        }
    }
}
