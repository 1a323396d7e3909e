package dev.replyclock.ingest.imap;

import static dev.replyclock.ingest.imap.ImapFixtures.append;
import static dev.replyclock.ingest.imap.ImapFixtures.folder;
import static dev.replyclock.ingest.imap.ImapFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.config.SourceConfig.Imap;
import dev.replyclock.MutableClock;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource.Batch;
import dev.replyclock.ingest.IncrementalSource.PollSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jakarta.mail.Folder;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ImapSource against GreenMail (a fresh server for each test). */
class ImapSourceTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP);

    static final String USER = "sales@acme.example";
    static final String PASSWORD = "s3cret-Pa55word";
    static final String ATTRIBUTION = "X-Replyclock-Rep";
    static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    static {
        quietGreenMail();
    }

    /** GreenMail logs every protocol line at DEBUG; the build has no logback-test.xml to say otherwise. */
    static void quietGreenMail() {
        if (org.slf4j.LoggerFactory.getLogger("com.icegreen") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    final ByteArrayOutputStream trace = new ByteArrayOutputStream();
    final Store store = new Store();
    final List<ImapSource> sources = new ArrayList<>();

    @AfterEach
    void closeSources() {
        sources.forEach(ImapSource::close);
    }

    // ------------------------------------------------------------------ helpers

    /** A checkpoint + message store like the real one: one batch commits messages and checkpoint together. */
    static final class Store {
        final Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
        final List<MailMessage> messages = new ArrayList<>();
        final List<Batch> batches = new ArrayList<>();
        int failOnCall = -1;
        int calls;
        Runnable onBatch;

        Optional<FolderCheckpoint> get(String folder) {
            return Optional.ofNullable(checkpoints.get(folder));
        }

        void accept(Batch b) throws IOException {
            calls++;
            if (onBatch != null) {
                onBatch.run();
            }
            if (calls == failOnCall) {
                throw new IOException("database is locked");
            }
            batches.add(b);
            messages.addAll(b.messages());
            checkpoints.put(b.checkpoint().folder(), b.checkpoint());
        }

        PollSummary poll(ImapSource source) throws IOException {
            batches.clear();
            return source.poll(this::get, this::accept);
        }

        List<String> ids() {
            return messages.stream().map(MailMessage::id).toList();
        }
    }


    Imap config(List<String> folders) {
        return new Imap("127.0.0.1", greenMail.getImap().getPort(), Imap.Tls.NONE, USER, PASSWORD, folders, false, null);
    }

    ImapSource source(Imap config, AccessTokenProvider tokens) {
        ImapSource.Options options = ImapSource.Options.defaults().withBatchSize(2).withClock(clock)
                .withTimeouts(5_000, 5_000).withDebug(new PrintStream(trace, true, StandardCharsets.UTF_8));
        ImapSource s = new ImapSource("sales", config, new HeaderParser(ATTRIBUTION), ATTRIBUTION, tokens, options);
        sources.add(s);
        return s;
    }

    ImapSource source() {
        return source(config(List.of()), null);
    }

    IMAPStore client() throws Exception {
        greenMail.setUser(USER, USER, PASSWORD);
        return ImapFixtures.client(greenMail, USER, PASSWORD);
    }

    static byte[] lead(int n) {
        return message("lead-" + n + "@buyer.example", "Buyer <buyer" + n + "@buyer.example>", USER,
                "Question " + n, "Mon, 1 Jan 2024 08:00:00 +0000", null);
    }

    static byte[] reply(int n) {
        return message("reply-" + n + "@acme.example", "Alice <alice@acme.example>", "buyer" + n + "@buyer.example",
                "Re: Question " + n, "Mon, 1 Jan 2024 08:00:00 +0000", "lead-" + n + "@buyer.example");
    }

    String traceText() {
        return trace.toString(StandardCharsets.UTF_8);
    }

    /** Client command lines of the protocol trace (angus tags them {@code Ann}, {@code Xnn}, {@code AAnn}...; server replies start with "* " or the tag + OK). */
    List<String> commands() {
        return traceText().lines().filter(l -> l.matches("^[A-Z]+\\d+ (?!OK |NO |BAD ).*")).toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void firstPollReadsEverythingInBatchesThenNothingThenOnlyTheNew() throws Exception {
        try (IMAPStore c = client()) {
            IMAPFolder inbox = folder(c, "INBOX");
            for (int i = 1; i <= 3; i++) {
                append(inbox, lead(i), T0.plusSeconds(60L * i));
            }
            IMAPFolder sent = folder(c, "Sent");
            for (int i = 1; i <= 2; i++) {
                append(sent, reply(i), T0.plusSeconds(3600L + i));
            }
        }
        ImapSource source = source();

        PollSummary first = store.poll(source);
        assertEquals(5, first.newMessages());
        // INBOX: UIDs 1-2, then 3; Sent: 1-2 (batch size 2); every batch of a first read is a reset
        assertEquals(List.of("INBOX:2:2:3", "INBOX:1:3:3", "Sent:2:2:2"), store.batches.stream()
                .map(b -> b.checkpoint().folder() + ":" + b.messages().size() + ":" + b.folderDone() + ":" + b.folderTotal())
                .toList());
        assertTrue(store.batches.stream().allMatch(Batch::folderReset));
        assertEquals(List.of(2L, 3L, 2L), store.batches.stream().map(b -> b.checkpoint().lastUid()).toList());
        Map<String, MailMessage> byId = store.messages.stream().collect(Collectors.toMap(MailMessage::id, m -> m));
        assertEquals(T0.plusSeconds(120), byId.get("lead-2@buyer.example").eventTime(), "INTERNALDATE, not Date");
        assertEquals(T0.plusSeconds(3602), byId.get("reply-2@acme.example").eventTime());
        assertEquals(List.of(new Place("sales", "INBOX", true)), byId.get("lead-1@buyer.example").places());
        assertEquals(List.of(new Place("sales", "Sent", false)), byId.get("reply-1@acme.example").places());
        assertEquals(List.of("lead-1@buyer.example"), byId.get("reply-1@acme.example").references());
        assertEquals("Question 3", byId.get("lead-3@buyer.example").subject());
        assertEquals(List.of("alice@acme.example"), byId.get("reply-1@acme.example").from());

        // one UID FETCH per batch, headers only, no per-message round trips
        List<String> fetches = commands().stream().filter(l -> l.contains("FETCH")).toList();
        assertEquals(3, fetches.size(), String.join("\n", fetches));
        for (String f : fetches) {
            assertTrue(f.matches("[A-Z]+\\d+ UID FETCH \\d+:\\d+ \\(UID INTERNALDATE BODY\\.PEEK\\[HEADER\\.FIELDS \\(.*\\)]\\)"), f);
            assertTrue(f.contains("MESSAGE-ID") && f.contains("RECEIVED") && f.contains("X-REPLYCLOCK-REP"), f);
        }
        assertFalse(traceText().contains("SECRET-BODY-TEXT"), "a body was fetched");
        assertFalse(traceText().contains(PASSWORD), "the password is in the protocol trace");

        // nothing new: no batch; the first such poll learns each folder's newest UID (one FETCH of UID only)
        PollSummary second = store.poll(source);
        assertEquals(0, second.newMessages());
        assertTrue(store.batches.isEmpty());
        assertEquals(List.of("INBOX", "Sent"), second.folders().stream().map(f -> f.folder()).toList());
        trace.reset();
        assertEquals(0, store.poll(source).newMessages());
        List<String> quiet = commands();
        // the folders stay selected: one NOOP each, no STATUS (which Dovecot may answer by re-reading the folder)
        assertEquals(2, quiet.size(), String.join("\n", quiet));
        assertTrue(quiet.stream().allMatch(l -> l.matches("[A-Z]+\\d+ NOOP")), String.join("\n", quiet));
        assertFalse(traceText().contains("trying to connect"), "the connections are reused across polls");

        // new mail between polls is read once
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, PASSWORD)) {
            append(folder(c, "INBOX"), lead(4), T0.plusSeconds(9999));
        }
        PollSummary third = store.poll(source);
        assertEquals(1, third.newMessages());
        assertEquals(1, store.batches.size());
        Batch b = store.batches.get(0);
        assertFalse(b.folderReset());
        assertEquals("lead-4@buyer.example", b.messages().get(0).id());
        assertEquals(4, b.checkpoint().lastUid());
        assertEquals(1, b.folderTotal());
        assertEquals(6, store.messages.size());
        assertEquals(6, new HashSet<>(store.ids()).size());
        assertEquals(0, store.poll(source).newMessages());
    }

    @Test
    void defaultFoldersFallBackToTheFolderNamedSent() throws Exception {
        // GreenMail's LIST gives no RFC 6154 special-use attributes, so only the name fallback can be seen here
        try (IMAPStore c = client()) {
            folder(c, "Archive");
            append(folder(c, "Sent"), reply(1), T0);
        }
        ImapSource source = source();
        PollSummary s = store.poll(source);
        assertEquals(List.of("INBOX", "Sent"), s.folders().stream().map(f -> f.folder()).toList());
        assertEquals(1, s.newMessages());
        // an INBOX without mail still gets its checkpoint (uidvalidity, 0)
        assertEquals(0, store.checkpoints.get("INBOX").lastUid());
    }

    @Test
    void theSpecialUseSentFolderWinsOverTheName() {
        // GreenMail cannot show this (its LIST has no special-use attributes): the choice on LIST results
        Map<String, List<String>> listed = new java.util.LinkedHashMap<>();
        listed.put("INBOX", List.of("\\HasNoChildren"));
        listed.put("Sent", List.of());
        listed.put("Gesendete Elemente", List.of("\\HasNoChildren", "\\Sent"));
        assertEquals(List.of("INBOX", "Gesendete Elemente"), ImapSource.defaultFolders(listed));
        listed.remove("Gesendete Elemente");
        assertEquals(List.of("INBOX", "Sent"), ImapSource.defaultFolders(listed));
        assertEquals(List.of("INBOX", "SENT"), ImapSource.defaultFolders(Map.of("INBOX", List.of(), "SENT", List.of())));
        assertEquals(List.of("INBOX"), ImapSource.defaultFolders(Map.of("INBOX", List.of(), "Drafts", List.of("\\Drafts"))));
    }

    @Test
    void configuredFoldersAreReadAsConfigured() throws Exception {
        try (IMAPStore c = client()) {
            append(folder(c, "INBOX"), lead(1), T0);
            append(folder(c, "Leads/2024"), lead(2), T0);
            append(folder(c, "Sent"), reply(1), T0);
        }
        PollSummary s = store.poll(source(config(List.of("Leads/2024")), null));
        assertEquals(List.of("lead-2@buyer.example"), store.ids());
        assertEquals(List.of(new Place("sales", "Leads/2024", false)), store.messages.get(0).places());
        assertEquals(1, s.folders().size());
    }

    @Test
    void changedUidValidityReadsTheFolderAgain() throws Exception {
        try (IMAPStore c = client()) {
            append(folder(c, "Sent"), reply(1), T0);
            append(folder(c, "Sent"), reply(2), T0);
        }
        ImapSource source = source(config(List.of("Sent")), null);
        store.poll(source);
        long oldValidity = store.checkpoints.get("Sent").uidValidity();
        // GreenMail's UIDVALIDITY is the creation time in seconds: wait for the next second
        while (Instant.now().getEpochSecond() <= oldValidity) {
            Thread.sleep(50);
        }
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, PASSWORD)) {
            Folder sent = c.getFolder("Sent");
            assertTrue(sent.delete(true));
            IMAPFolder again = folder(c, "Sent");
            append(again, reply(1), T0);
            append(again, reply(2), T0);
            append(again, reply(3), T0);
        }
        store.messages.clear();
        store.poll(source);
        assertEquals(List.of("reply-1@acme.example", "reply-2@acme.example", "reply-3@acme.example"), store.ids());
        assertTrue(store.batches.stream().allMatch(Batch::folderReset));
        FolderCheckpoint cp = store.checkpoints.get("Sent");
        assertTrue(cp.uidValidity() != oldValidity);
        assertEquals(3, cp.lastUid());
        store.poll(source);
        assertTrue(store.batches.isEmpty());
    }

    @Test
    void aConsumerFailureStopsThePollAndTheNextPollResumesAfterTheLastCommittedBatch() throws Exception {
        try (IMAPStore c = client()) {
            IMAPFolder inbox = folder(c, "INBOX");
            for (int i = 1; i <= 5; i++) {
                append(inbox, lead(i), T0.plusSeconds(i));
            }
        }
        ImapSource source = source(config(List.of("INBOX")), null);
        store.failOnCall = 2;
        IOException e = assertThrows(IOException.class, () -> store.poll(source));
        assertEquals("database is locked", e.getMessage(), "the consumer's exception, untouched");
        assertNull(source.nextAttemptAt(), "no back-off: the server did nothing wrong");
        assertEquals(List.of("lead-1@buyer.example", "lead-2@buyer.example"), store.ids());
        assertEquals(2, store.checkpoints.get("INBOX").lastUid());

        store.poll(source);
        assertEquals(List.of(1, 2, 3, 4, 5).stream().map(i -> "lead-" + i + "@buyer.example").toList(), store.ids());
        assertFalse(store.batches.get(0).folderReset());
    }

    @Test
    void aServerThatGoesAwayMidPollGivesAnIOExceptionThenBackOffThenRecovery() throws Exception {
        try (IMAPStore c = client()) {
            IMAPFolder inbox = folder(c, "INBOX");
            // more windows of 2 than the source reads ahead of the poll, so some are still to be read when it stops
            for (int i = 1; i <= 2 * (ImapSource.WINDOWS_AHEAD + 4); i++) {
                append(inbox, lead(i), T0.plusSeconds(i));
            }
        }
        ImapSource source = source(config(List.of("INBOX")), null);
        int port = greenMail.getImap().getPort();
        store.onBatch = () -> {
            store.onBatch = null;
            greenMail.stop(); // after the first batch, with the windows read ahead of it
        };
        IOException e = assertThrows(IOException.class, () -> store.poll(source));
        String text = e.getMessage();
        assertTrue(text.contains("127.0.0.1:" + port), text);
        assertTrue(text.contains("folder INBOX"), text);
        assertFalse(text.contains(PASSWORD), text);
        // the first batch and those read ahead before the server stopped were committed, each in UID order
        assertTrue(store.messages.size() >= 2 && store.messages.size() <= 2 * (ImapSource.WINDOWS_AHEAD + 2),
                "committed: " + store.messages.size());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, store.messages.size()).mapToObj(i -> "lead-" + i + "@buyer.example")
                .toList(), store.messages.stream().map(MailMessage::id).toList());
        assertEquals(clock.instant().plusSeconds(1), source.nextAttemptAt());

        IOException early = assertThrows(IOException.class, () -> store.poll(source));
        assertTrue(early.getMessage().contains("not retrying before"), early.getMessage());

        clock.advance(Duration.ofSeconds(1));
        IOException down = assertThrows(IOException.class, () -> store.poll(source));
        assertFalse(down.getMessage().contains("not retrying"), down.getMessage());
        assertEquals(clock.instant().plusSeconds(2), source.nextAttemptAt(), "back-off doubles");
        clock.advance(Duration.ofSeconds(1));
        assertThrows(IOException.class, () -> store.poll(source));

        greenMail.start();
        try (IMAPStore c = client()) { // the restarted server has lost its mail: new UIDVALIDITY
            append(folder(c, "INBOX"), lead(9), T0);
        }
        clock.advance(Duration.ofSeconds(2));
        store.poll(source);
        assertNull(source.nextAttemptAt(), "back-off reset after success");
        assertTrue(store.ids().contains("lead-9@buyer.example"));
    }

    @Test
    void aMalformedMessageIsRejectedAndTheOthersAreRead() throws Exception {
        byte[] junk = "X-Nothing-Useful: 1\r\nX-Other: 2\r\n\r\nno headers we know\r\n".getBytes(StandardCharsets.US_ASCII);
        try (IMAPStore c = client()) {
            IMAPFolder inbox = folder(c, "INBOX");
            append(inbox, lead(1), T0);
            append(inbox, junk, T0);
            append(inbox, lead(3), T0);
        }
        ImapSource source = source(config(List.of("INBOX")), null);
        PollSummary s = store.poll(source);
        assertEquals(List.of("lead-1@buyer.example", "lead-3@buyer.example"), store.ids());
        assertEquals(1, s.folders().get(0).rejected());
        var rejected = store.batches.stream().flatMap(b -> b.rejected().stream()).toList();
        assertEquals(1, rejected.size());
        assertEquals("uid 2", rejected.get(0).where());
        assertEquals("INBOX", rejected.get(0).folder());
        assertEquals("sales", rejected.get(0).mailboxId());
        assertFalse(rejected.get(0).reason().isBlank());
        assertEquals(3, store.checkpoints.get("INBOX").lastUid());
        assertEquals(3, store.batches.get(store.batches.size() - 1).folderDone());
    }

    @Test
    void expungedMessagesAreSkippedAndTheirUidsAreNotReadAgain() throws Exception {
        try (IMAPStore c = client()) {
            IMAPFolder inbox = folder(c, "INBOX");
            for (int i = 1; i <= 5; i++) {
                append(inbox, lead(i), T0);
            }
            inbox.open(Folder.READ_WRITE);
            inbox.getMessageByUID(3).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
            inbox.getMessageByUID(4).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
            inbox.getMessageByUID(5).setFlag(jakarta.mail.Flags.Flag.DELETED, true);
            inbox.close(true);
        }
        ImapSource source = source(config(List.of("INBOX")), null);
        store.poll(source);
        assertEquals(List.of("lead-1@buyer.example", "lead-2@buyer.example"), store.ids());
        assertEquals(5, store.checkpoints.get("INBOX").lastUid(), "UIDNEXT-1, so the gap is not read again");
    }

    @Test
    void aWrongPasswordIsAClearErrorWithoutThePassword() throws Exception {
        greenMail.setUser(USER, USER, "the-right-one");
        ImapSource source = source();
        IOException e = assertThrows(IOException.class, () -> store.poll(source));
        String text = e.getMessage();
        assertTrue(text.contains("login failed for user '" + USER + "'"), text);
        assertTrue(text.contains("127.0.0.1:" + greenMail.getImap().getPort()), text);
        assertFalse(text.contains(PASSWORD), text);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD));
        }
    }

    @Test
    void xoauth2LoginWithATokenFileReadAtEveryConnect() throws Exception {
        // GreenMail supports AUTHENTICATE XOAUTH2 and checks the token as the user's password
        greenMail.setUser(USER, USER, "token-one");
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, "token-one")) {
            append(folder(c, "INBOX"), lead(1), T0);
        }
        Path tokenFile = dir.resolve("imap.token");
        Files.writeString(tokenFile, "token-one\n");
        Imap cfg = new Imap("127.0.0.1", greenMail.getImap().getPort(), Imap.Tls.NONE, USER, null, List.of("INBOX"),
                false, null, new Imap.OAuth2(null, tokenFile), Imap.DEFAULT_BATCH_SIZE);
        ImapSource source = source(cfg, StaticTokenProvider.of(cfg.oauth2()));
        store.poll(source);
        assertEquals(List.of("lead-1@buyer.example"), store.ids());
        assertTrue(traceText().matches("(?s).*AUTHENTICATE XOAUTH2 command result: [A-Z]+\\d+ OK.*"), traceText());
        assertFalse(traceText().contains("token-one"));

        // a rotated token file is read at the next connect; a stale token fails without showing it
        source.close();
        Files.writeString(tokenFile, "token-two-stale\n");
        IOException e = assertThrows(IOException.class, () -> store.poll(source));
        assertFalse(e.getMessage().contains("token-two-stale"), e.getMessage());
        assertTrue(e.getMessage().contains("login failed"), e.getMessage());
    }

    @Test
    void idleCallsBackOnNewMailAndStopsOnClose() throws Exception {
        try (IMAPStore c = client()) {
            append(folder(c, "INBOX"), lead(1), T0);
        }
        ImapSource.Options options = ImapSource.Options.defaults().withClock(clock).withTimeouts(5_000, 5_000)
                .withIdleRenew(Duration.ofMillis(300)).withDebug(new PrintStream(trace, true, StandardCharsets.UTF_8));
        ImapSource source = new ImapSource("sales", config(List.of("INBOX")), new HeaderParser(ATTRIBUTION),
                ATTRIBUTION, null, options);
        sources.add(source);
        CountDownLatch newMail = new CountDownLatch(1);
        source.startIdle(newMail::countDown);
        Thread.sleep(1_200); // the IDLE starts and is renewed a few times
        assertTrue(commands().stream().filter(l -> l.endsWith(" IDLE")).count() >= 2, traceText());
        try (IMAPStore c = ImapFixtures.client(greenMail, USER, PASSWORD)) {
            append(folder(c, "INBOX"), lead(2), T0);
        }
        assertTrue(newMail.await(10, TimeUnit.SECONDS), "no callback after new mail");
        store.poll(source);
        assertEquals(2, store.messages.size());
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("imap-idle-sales")).count();
        assertTrue(before >= 1);
        source.close();
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("imap-idle-sales") && t.isAlive()).count(), "IDLE thread still runs");
    }

    @Test
    void sessionPropertiesFollowTheTlsModeAndLogin() throws Exception {
        ImapSource implicit = new ImapSource("m", new Imap("imap.acme.example", 993, Imap.Tls.IMPLICIT, "u", "p",
                List.of(), false, null), new HeaderParser(ATTRIBUTION), null);
        var p = implicit.sessionProperties(1000);
        assertEquals("true", p.getProperty("mail.imaps.ssl.checkserveridentity"));
        assertEquals("true", p.getProperty("mail.imaps.ssl.enable"));
        assertEquals("1000", p.getProperty("mail.imaps.timeout"));
        assertNotNull(p.getProperty("mail.imaps.connectiontimeout"));
        assertNull(p.getProperty("mail.imaps.auth.mechanisms"));

        ImapSource starttls = new ImapSource("m", new Imap("imap.acme.example", 143, Imap.Tls.STARTTLS, "u", null,
                List.of(), false, null, new Imap.OAuth2("tok", null), Imap.DEFAULT_BATCH_SIZE), new HeaderParser(ATTRIBUTION), () -> "tok");
        p = starttls.sessionProperties(1000);
        assertEquals("true", p.getProperty("mail.imap.starttls.enable"));
        assertEquals("true", p.getProperty("mail.imap.starttls.required"));
        assertEquals("true", p.getProperty("mail.imap.ssl.checkserveridentity"));
        assertEquals("XOAUTH2", p.getProperty("mail.imap.auth.mechanisms"));
        assertFalse(p.toString().contains("tok"), "no secret in the session properties");

        ImapSource plain = new ImapSource("m", new Imap("imap.acme.example", 143, Imap.Tls.NONE, "u", "p",
                List.of(), false, null), new HeaderParser(ATTRIBUTION), null);
        p = plain.sessionProperties(1000);
        assertNull(p.getProperty("mail.imap.starttls.enable"));
        assertNull(p.getProperty("mail.imap.ssl.enable"));
    }

    @Test
    void fetchItemsNameEveryHeaderTheParserReadsAndTheAttributionHeader() {
        String items = ImapSource.fetchItems("X-Sales-Rep");
        assertTrue(items.startsWith("(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO "), items);
        assertTrue(items.endsWith(" X-FAILED-RECIPIENTS X-SALES-REP)])"), items);
        assertEquals(21, ImapSource.HEADER_FIELDS.size());
    }
}
