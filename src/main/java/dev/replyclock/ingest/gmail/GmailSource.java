package dev.replyclock.ingest.gmail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.Backoff;
import dev.replyclock.ingest.GoogleServiceAccount;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.UnreadableMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Google Workspace mailbox read over the Gmail API, one label at a time ({@code INBOX} and {@code SENT} by default).
 *
 * <p>A label's checkpoint cursor is {@code list <historyId> <pageToken>} while it is listed for the first time, and
 * {@code history <historyId>} once listed. The first sync records the mailbox's history id, then reads
 * {@code messages.list} page by page and the headers of each page's messages through batches of
 * {@code messages.get format=metadata}; each page is one {@link Batch} with the cursor of the next page, so a crash
 * resumes there. Later polls ask {@code history.list} for messages added to the label since the stored id. An expired
 * history id (404) lists the label again; copies seen before merge by Message-ID in the store, so nothing counts
 * twice. Event time is Gmail's {@code internalDate}; the conversation hint its {@code threadId} (within the user).
 */
public final class GmailSource implements IncrementalSource {

    private static final Logger LOG = LoggerFactory.getLogger(GmailSource.class);
    /** Six attempts from one second: about a minute of back-off when Gmail gives no Retry-After. */
    public static final Backoff DEFAULT_BACKOFF = new Backoff(6, 1000);

    private final String mailboxId;
    private final SourceConfig.Gmail config;
    private final HeaderParser parser;
    private final GmailApi api;
    private final int pageSize;

    /** The production source: tokens of the configured service account impersonating {@code user}. */
    public static GmailSource create(String mailboxId, SourceConfig.Gmail config, HeaderParser parser,
                                     String attributionHeader) throws IOException {
        return new GmailSource(mailboxId, config, parser, attributionHeader, DEFAULT_BACKOFF, config.batchSize());
    }

    /**
     * @param backoff  retries of throttled and failing requests (shorter in tests)
     * @param pageSize ids per messages.list and history.list page, and messages per stored batch (at most 500)
     */
    public GmailSource(String mailboxId, SourceConfig.Gmail config, HeaderParser parser, String attributionHeader,
                       Backoff backoff, int pageSize) throws IOException {
        this.pageSize = pageSize;
        this.mailboxId = mailboxId;
        this.config = config;
        this.parser = parser;
        GoogleServiceAccount account = new GoogleServiceAccount(mailboxId, config.serviceAccountJson(), config.user(),
                config.scopeUrl());
        this.api = new GmailApi(config.baseUrl(), config.user(), attributionHeader, new GmailApi.Tokens() {
            @Override
            public String token() throws IOException {
                return account.accessToken();
            }

            @Override
            public String refreshed() throws IOException {
                return account.refreshedToken();
            }
        }, backoff, pageSize);
    }

    /** HTTP requests sent so far (retries included), for benchmarks and tests. */
    public long requestCount() {
        return api.requestCount();
    }

    /** Messages whose headers were asked for so far. */
    public long headerFetchCount() {
        return api.metadataFetchCount();
    }

    @Override
    public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
        List<FolderSummary> summaries = new ArrayList<>();
        for (String configured : config.labels()) {
            String label = GmailApi.labelId(configured);
            try {
                summaries.add(pollLabel(label, checkpoints, consumer));
            } catch (GmailApiException e) {
                throw failure(e, label);
            }
        }
        return new PollSummary(summaries);
    }

    private FolderSummary pollLabel(String label, CheckpointLookup checkpoints, BatchConsumer consumer)
            throws IOException {
        long started = System.nanoTime();
        Optional<FolderCheckpoint> stored = checkpoints.get(label);
        Cursor cursor = Cursor.parse(stored.map(FolderCheckpoint::cursor).orElse(null));
        long[] counts;
        if (cursor != null && cursor.pageToken() == null) {
            try {
                counts = readHistory(label, cursor.historyId(), consumer);
            } catch (GmailApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                LOG.info("mailbox {} label {}: history id {} expired (HTTP 404); listing the label again",
                        mailboxId, label, cursor.historyId());
                counts = list(label, null, true, checkpoints, consumer);
            }
        } else {
            counts = list(label, cursor, false, checkpoints, consumer);
        }
        return new FolderSummary(label, counts[0], counts[1], (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Lists the label from the start, or from a stored page; returns {messages, rejected}. Headers are fetched only for
     * the ids no committed batch of this label recorded (an expired history id costs what changed, not the label).
     */
    private long[] list(String label, Cursor resume, boolean reset, CheckpointLookup checkpoints, BatchConsumer consumer)
            throws IOException {
        long historyId = resume != null ? resume.historyId() : api.historyId();
        String pageToken = resume == null ? null : resume.pageToken();
        long total = resume == null ? api.label(label).path("messagesTotal").asLong(-1) : -1;
        long done = 0;
        long rejected = 0;
        while (true) {
            JsonNode page;
            try {
                page = api.list(label, pageToken);
            } catch (GmailApiException e) {
                if (pageToken == null || (e.status() != 400 && e.status() != 404)) {
                    throw e;
                }
                LOG.info("mailbox {} label {}: the stored page token was refused; listing the label again",
                        mailboxId, label);
                return list(label, null, true, checkpoints, consumer);
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode m : page.path("messages")) {
                ids.add(m.path("id").asText());
            }
            ids.removeAll(checkpoints.itemsRead(label, ids));
            String next = page.path("nextPageToken").asText(null);
            String cursor = next == null ? Cursor.history(historyId) : Cursor.list(historyId, next);
            long[] stored = store(label, ids, cursor, reset, total, done, consumer);
            done += stored[0] + stored[1];
            rejected += stored[1];
            if (next == null) {
                return new long[] {done - rejected, rejected};
            }
            pageToken = next;
        }
    }

    /** Reads additions to the label since {@code historyId}; throws a 404 {@link GmailApiException} when it expired. */
    private long[] readHistory(String label, long historyId, BatchConsumer consumer) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        long latest = historyId;
        String pageToken = null;
        do {
            JsonNode page = api.history(label, historyId, pageToken);
            latest = Math.max(latest, page.path("historyId").asLong(latest));
            for (JsonNode h : page.path("history")) {
                for (JsonNode added : h.path("messagesAdded")) {
                    JsonNode labels = added.path("message").path("labelIds");
                    if (labels.isMissingNode() || contains(labels, label)) {
                        ids.add(added.path("message").path("id").asText());
                    }
                }
                for (JsonNode added : h.path("labelsAdded")) {
                    if (contains(added.path("labelIds"), label)) {
                        ids.add(added.path("message").path("id").asText());
                    }
                }
            }
            pageToken = page.path("nextPageToken").asText(null);
        } while (pageToken != null);
        List<String> all = new ArrayList<>(ids);
        long done = 0;
        long rejected = 0;
        int from = 0;
        do {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + pageSize));
            from += chunk.size();
            // Until the last chunk is stored the old id stays: a crash reads these additions again (merged by id).
            String cursor = Cursor.history(from >= all.size() ? latest : historyId);
            long[] stored = store(label, chunk, cursor, false, all.size(), done, consumer);
            done += stored[0] + stored[1];
            rejected += stored[1];
        } while (from < all.size());
        return new long[] {done - rejected, rejected};
    }

    /** Fetches the headers of {@code ids} and hands them over with {@code cursor}; returns {messages, rejected}. */
    private long[] store(String label, List<String> ids, String cursor, boolean reset, long total, long doneBefore,
                         BatchConsumer consumer) throws IOException {
        Map<String, JsonNode> metadata = api.metadata(ids);
        Place place = new Place(mailboxId, label, label.equals("INBOX"));
        List<MailMessage> messages = new ArrayList<>(metadata.size());
        List<RejectedMessage> rejected = new ArrayList<>();
        for (JsonNode m : metadata.values()) {
            if (contains(m.path("labelIds"), "DRAFT")) {
                continue;
            }
            try {
                messages.add(toMessage(m, place));
            } catch (UnreadableMessageException e) {
                rejected.add(new RejectedMessage(mailboxId, label, "gmail id " + m.path("id").asText(), e.getMessage()));
            }
        }
        long done = doneBefore + messages.size() + rejected.size();
        consumer.accept(new Batch(new FolderCheckpoint(mailboxId, label, 0, 0, cursor), messages, rejected, reset,
                Math.max(total, done), done, List.copyOf(ids)));
        return new long[] {messages.size(), rejected.size()};
    }

    /** {@code test-source}: each label's {@code messagesTotal} and the headers of its newest messages, nothing stored. */
    @Override
    public Sample sample(int newest) throws IOException {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        List<MailMessage> messages = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        for (String configured : config.labels()) {
            String label = GmailApi.labelId(configured);
            try {
                counts.put(label, api.label(label).path("messagesTotal").asLong(0));
                List<String> ids = new ArrayList<>();
                api.newest(label, newest).path("messages").forEach(m -> ids.add(m.path("id").asText()));
                Place place = new Place(mailboxId, label, label.equals("INBOX"));
                for (JsonNode m : api.metadata(ids).values()) {
                    try {
                        messages.add(toMessage(m, place));
                    } catch (UnreadableMessageException e) {
                        rejected.add(new RejectedMessage(mailboxId, label, "gmail id " + m.path("id").asText(), e.getMessage()));
                    }
                }
            } catch (GmailApiException e) {
                throw failure(e, label);
            }
        }
        return new Sample(counts, messages, rejected);
    }

    /** One Gmail message's metadata as Replyclock reads it: its headers, internalDate and threadId. */
    MailMessage toMessage(JsonNode m, Place place) throws UnreadableMessageException {
        StringBuilder block = new StringBuilder(1024);
        for (JsonNode h : m.path("payload").path("headers")) {
            String name = h.path("name").asText("").strip();
            if (name.isEmpty()) {
                continue;
            }
            String value = h.path("value").asText("").replace('\r', ' ').replace('\n', ' ');
            block.append(name).append(": ").append(value).append("\r\n");
        }
        JsonNode date = m.path("internalDate");
        Instant time = date.isMissingNode() || date.asText("").isBlank() ? null : Instant.ofEpochMilli(date.asLong());
        MailMessage parsed = parser.parse(block.toString().getBytes(StandardCharsets.UTF_8), place, time);
        String thread = m.path("threadId").asText("");
        // Thread ids are only unique within one mailbox: another mailbox's thread of the same id is another thread.
        return thread.isBlank() ? parsed : parsed.withConversationHint("gmail:" + config.user() + ":" + thread);
    }

    private static boolean contains(JsonNode labels, String label) {
        for (JsonNode l : labels) {
            if (l.asText().equals(label)) {
                return true;
            }
        }
        return false;
    }

    /** A refusal names the mailbox, the label and what to grant; other errors name the mailbox and label. */
    private IOException failure(GmailApiException e, String label) {
        if (e.refused()) {
            return new IOException("mailbox " + mailboxId + ": " + e.getMessage() + " reading label " + label + " of "
                    + config.user() + ": the service account needs domain-wide delegation for " + config.scopeUrl()
                    + " (Admin console → Security → API controls → Domain-wide delegation) and the Gmail API enabled"
                    + " in its Google Cloud project", e);
        }
        if (e.status() == 404) {
            return new IOException("mailbox " + mailboxId + ": label " + label + " not found in " + config.user()
                    + " (use a system label such as INBOX or SENT, or a label id) (" + e.getMessage() + ")", e);
        }
        return new IOException("mailbox " + mailboxId + " label " + label + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        // the JDK HttpClient holds no resource that needs closing on Java 17
    }

    /** A label's resume point, as stored in its checkpoint. */
    private record Cursor(long historyId, String pageToken) {

        static String list(long historyId, String pageToken) {
            return "list " + historyId + " " + pageToken;
        }

        static String history(long historyId) {
            return "history " + historyId;
        }

        static Cursor parse(String text) {
            if (text == null) {
                return null;
            }
            String[] p = text.split(" ", 3);
            try {
                if (p[0].equals("history") && p.length == 2) {
                    return new Cursor(Long.parseLong(p[1]), null);
                }
                if (p[0].equals("list") && p.length == 3) {
                    return new Cursor(Long.parseLong(p[1]), p[2]);
                }
            } catch (NumberFormatException ignored) {
                // unreadable: list again
            }
            return null;
        }
    }
}
