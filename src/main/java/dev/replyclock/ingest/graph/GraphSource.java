package dev.replyclock.ingest.graph;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.InternetMessageHeader;
import com.microsoft.graph.models.MailFolder;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.mailfolders.item.messages.delta.DeltaRequestBuilder;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.ResponseHeaders;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.MessageIds;
import dev.replyclock.ingest.UnreadableMessageException;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Microsoft 365 mailbox read over Microsoft Graph with one delta query per folder
 * ({@code /users/{user}/mailFolders/{folder}/messages/delta}).
 *
 * <p>Each delta page becomes one {@link Batch} whose checkpoint cursor is the page's {@code @odata.nextLink}, or
 * on the last page of a round its {@code @odata.deltaLink}: the consumer stores the page's messages and the cursor
 * in one transaction, so a crash between pages resumes at the next page, and the next poll asks only for changes.
 * Delta pages carry no {@code internetMessageHeaders}: they are fetched for each new message through
 * {@code $batch} (20 per request, one request in flight). The fetched headers and the page's fields are rendered
 * into one header block and read by {@link HeaderParser}, so automation signs, ids and references are parsed
 * exactly as for IMAP and files. {@code @removed} entries and drafts change nothing; a message seen again (moved,
 * flagged, or a whole folder read again after an expired delta) merges by Message-ID in the store, so nothing
 * counts twice.
 *
 * <p>Errors: the SDK's retry middleware honours {@code Retry-After} on 429, 503 and 504, and {@link GraphRetry}
 * retries 429, 500, 502, 503 and 504 beyond it (storms, short outages); a response cut short or not JSON fails the
 * poll naming mailbox and folder, with nothing of it stored; a {@code 410 Gone} or a
 * {@code syncStateNotFound} error restarts the folder with a full delta round, fetching headers only for the messages
 * the store does not hold yet ({@link CheckpointLookup#storedIn}); 401 and 403 stop the poll with a
 * configuration error naming the mailbox and the missing permission.
 */
public final class GraphSource implements IncrementalSource {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSource.class);

    /** Messages per delta page asked for with {@code Prefer: odata.maxpagesize}. */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** Requests in one {@code $batch} (the Graph limit). */
    public static final int BATCH_STEPS = 20;
    /** The fields a delta page returns: only what Replyclock counts. */
    static final String[] SELECT = {"internetMessageId", "conversationId", "conversationIndex", "receivedDateTime",
        "sentDateTime", "from", "sender", "replyTo", "toRecipients", "ccRecipients", "subject", "isDraft"};
    /** Header names rendered from the message's fields; the fetched headers of these names are not used. */
    private static final Set<String> FROM_FIELDS = Set.of("message-id", "subject", "from", "sender", "reply-to", "to",
            "cc");

    private final String mailboxId;
    private final SourceConfig.Graph config;
    private final HeaderParser parser;
    private final AccessTokenProvider tokenProvider;
    private final String baseUrl;
    private final int pageSize;
    private final GraphRetry retry;
    private final GraphErrors errors;
    private final AtomicLong requests = new AtomicLong();
    private GraphServiceClient client;
    private BaseGraphRequestAdapter adapter;
    private OkHttpClient http;

    /** The production source: tokens from the configured app credentials. */
    public GraphSource(String mailboxId, SourceConfig.Graph config, HeaderParser parser) {
        this(mailboxId, config, parser, GraphEndpoints.tokenProvider(mailboxId, config), DEFAULT_PAGE_SIZE);
    }

    /**
     * @param tokenProvider bearer tokens for Graph requests; its allowed hosts must include the Graph host
     * @param pageSize      {@code odata.maxpagesize}
     */
    public GraphSource(String mailboxId, SourceConfig.Graph config, HeaderParser parser,
                       AccessTokenProvider tokenProvider, int pageSize) {
        this(mailboxId, config, parser, tokenProvider, pageSize, GraphRetry.DEFAULT);
    }

    /** @param retry how often and how long to retry throttled and failing requests (shorter in tests) */
    GraphSource(String mailboxId, SourceConfig.Graph config, HeaderParser parser, AccessTokenProvider tokenProvider,
                int pageSize, GraphRetry retry) {
        this.retry = retry;
        this.errors = new GraphErrors(mailboxId, config);
        this.mailboxId = mailboxId;
        this.config = config;
        this.parser = parser;
        this.tokenProvider = tokenProvider;
        this.baseUrl = GraphEndpoints.graphBaseUrl(config);
        this.pageSize = pageSize;
    }

    /** HTTP requests sent so far (retries included), for benchmarks and tests. */
    public long requestCount() {
        return requests.get();
    }

    private synchronized GraphServiceClient client() {
        if (client == null) {
            http = GraphClientFactory.create()
                    .addNetworkInterceptor(chain -> {
                        requests.incrementAndGet();
                        return ErrorBodies.readableOrNone(chain.proceed(chain.request()));
                    })
                    .readTimeout(100, TimeUnit.SECONDS)
                    .build();
            adapter = new BaseGraphRequestAdapter(new BaseBearerTokenAuthenticationProvider(tokenProvider), baseUrl, http);
            adapter.setBaseUrl(baseUrl);
            client = new GraphServiceClient(adapter);
        }
        return client;
    }

    @Override
    public PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
        List<FolderSummary> summaries = new ArrayList<>();
        for (String folder : config.folders()) {
            summaries.add(pollFolder(folder, checkpoints, consumer));
        }
        return new PollSummary(summaries);
    }

    private FolderSummary pollFolder(String folder, CheckpointLookup checkpoints, BatchConsumer consumer)
            throws IOException {
        long started = System.nanoTime();
        Optional<FolderCheckpoint> stored = checkpoints.get(folder);
        GraphServiceClient graph = client();
        Place place = new Place(mailboxId, folder, "inbox".equalsIgnoreCase(folder));
        String cursor = stored.map(FolderCheckpoint::cursor).orElse(null);
        boolean reset = false;
        boolean restarted = false;
        long done = 0;
        long rejectedCount = 0;
        long total = cursor == null ? folderTotal(graph, folder) : -1;
        while (true) {
            DeltaGetResponse page;
            try {
                String at = cursor;
                page = errors.readable(folder, "a delta page", () -> retry.call(() -> deltaPage(graph, folder, at)));
            } catch (ApiException e) {
                if (GraphErrors.expiredDelta(e) && !restarted) {
                    LOG.info("mailbox {} folder {}: delta state expired (HTTP {}); reading the folder again from the start",
                            mailboxId, folder, e.getResponseStatusCode());
                    cursor = null;
                    reset = true;
                    restarted = true;
                    total = folderTotal(graph, folder);
                    continue;
                }
                throw errors.failure(e, folder);
            }
            List<Message> wanted = new ArrayList<>();
            for (Message m : page.getValue() == null ? List.<Message>of() : page.getValue()) {
                if (m.getAdditionalData() != null && m.getAdditionalData().containsKey("@removed")) {
                    continue; // deleted or moved away: a message once seen keeps counting where it was
                }
                if (Boolean.TRUE.equals(m.getIsDraft())) {
                    continue;
                }
                wanted.add(m);
            }
            if (reset) {
                wanted = notStored(wanted, folder, checkpoints);
            }
            Map<String, List<InternetMessageHeader>> headers = headers(graph, folder, wanted);
            List<MailMessage> messages = new ArrayList<>(wanted.size());
            List<RejectedMessage> rejected = new ArrayList<>();
            for (Message m : wanted) {
                try {
                    messages.add(toMessage(m, headers.get(m.getId()), place));
                } catch (UnreadableMessageException e) {
                    rejected.add(new RejectedMessage(mailboxId, folder, "graph id " + m.getId(), e.getMessage()));
                }
            }
            String next = page.getOdataNextLink();
            String delta = page.getOdataDeltaLink();
            if (next == null && delta == null) {
                throw new IOException("mailbox " + mailboxId + " folder " + folder
                        + ": Graph returned a delta page with neither @odata.nextLink nor @odata.deltaLink");
            }
            done += messages.size() + rejected.size();
            rejectedCount += rejected.size();
            String reached = next != null ? next : delta;
            consumer.accept(new Batch(new FolderCheckpoint(mailboxId, folder, 0, 0, reached), messages, rejected,
                    reset, next == null ? done : Math.max(total, done), done));
            if (next == null) {
                break;
            }
            cursor = next;
        }
        return new FolderSummary(folder, done - rejectedCount, rejectedCount, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A folder read again after an expired delta: the messages whose copy in this folder the store holds already
     * are left out, so their headers are not fetched again (a resync costs what changed, not the folder's size).
     */
    private static List<Message> notStored(List<Message> messages, String folder, CheckpointLookup checkpoints) {
        Map<String, Message> byId = new LinkedHashMap<>();
        for (Message m : messages) {
            String id = MessageIds.normalise(m.getInternetMessageId());
            if (id != null) {
                byId.put(id, m);
            }
        }
        Set<String> known = byId.isEmpty() ? Set.of() : checkpoints.storedIn(folder, byId.keySet());
        if (known.isEmpty()) {
            return messages;
        }
        List<Message> rest = new ArrayList<>(messages.size());
        for (Message m : messages) {
            String id = MessageIds.normalise(m.getInternetMessageId());
            if (id == null || !known.contains(id)) {
                rest.add(m);
            }
        }
        return rest;
    }

    /**
     * The folder's message count for progress on a full round (one request), or -1 when Graph does not say; a
     * missing folder or refused access fails the poll.
     */
    private long folderTotal(GraphServiceClient graph, String folder) throws IOException {
        try {
            MailFolder f = errors.readable(folder, "the folder's size", () -> retry.call(() -> graph.users().byUserId(config.user())
                    .mailFolders().byMailFolderId(folder)
                    .get(rc -> rc.queryParameters.select = new String[] {"totalItemCount"})));
            return f == null || f.getTotalItemCount() == null ? -1 : f.getTotalItemCount();
        } catch (ApiException e) {
            if (e.getResponseStatusCode() == 404) {
                throw new IOException("mailbox " + mailboxId + ": folder " + folder + " not found in " + config.user()
                        + " (use a well-known name such as inbox or sentitems, or a folder id)", e);
            }
            if (e.getResponseStatusCode() == 401 || e.getResponseStatusCode() == 403) {
                throw errors.failure(e, folder);
            }
            return -1;
        }
    }

    private DeltaGetResponse deltaPage(GraphServiceClient graph, String folder, String cursor) {
        String prefer = "odata.maxpagesize=" + pageSize;
        if (cursor == null) {
            return graph.users().byUserId(config.user()).mailFolders().byMailFolderId(folder).messages().delta()
                    .get(rc -> {
                        rc.queryParameters.select = SELECT;
                        rc.headers.add("Prefer", prefer);
                    });
        }
        return new DeltaRequestBuilder(cursor, adapter).get(rc -> rc.headers.add("Prefer", prefer));
    }

    /**
     * The internet headers of each message, by Graph id, through {@code $batch}; a message gone since the delta
     * page (404) gets none and is read from its fields alone.
     */
    private Map<String, List<InternetMessageHeader>> headers(GraphServiceClient graph, String folder, List<Message> messages)
            throws IOException {
        Map<String, List<InternetMessageHeader>> result = new HashMap<>();
        for (int from = 0; from < messages.size(); from += BATCH_STEPS) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + BATCH_STEPS));
            List<Message> pending = new ArrayList<>(chunk);
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                BatchRequestContent batch = new BatchRequestContent(graph);
                Map<String, Message> steps = new LinkedHashMap<>();
                for (Message m : pending) {
                    RequestInformation info = graph.users().byUserId(config.user()).messages().byMessageId(m.getId())
                            .toGetRequestInformation(rc -> rc.queryParameters.select = new String[] {"internetMessageHeaders"});
                    steps.put(batch.addBatchRequestStep(info), m);
                }
                BatchResponseContent response;
                Map<String, Integer> statuses;
                try {
                    response = errors.readable(folder, "a $batch response", () -> retry.call(() -> postBatch(graph, batch)));
                    statuses = errors.readable(folder, "a $batch response", response::getResponsesStatusCode);
                } catch (ApiException e) {
                    throw errors.failure(e, folder);
                }
                List<Message> again = new ArrayList<>();
                long waitMillis = 0;
                for (Map.Entry<String, Message> step : steps.entrySet()) {
                    Integer status = statuses.get(step.getKey());
                    Message m = step.getValue();
                    if (status != null && status >= 200 && status < 300) {
                        Message got = errors.readable(folder, "a $batch response",
                                () -> response.getResponseById(step.getKey(), Message::createFromDiscriminatorValue));
                        result.put(m.getId(), got == null || got.getInternetMessageHeaders() == null ? List.of()
                                : got.getInternetMessageHeaders());
                    } else if (status != null && status >= 400 && status < 500 && status != 401 && status != 403
                            && status != 429) {
                        // Gone since the delta page (404) or refused for this one message: read from its fields
                        // alone rather than block the mailbox on it.
                        if (status != 404) {
                            LOG.warn("mailbox {} folder {}: no headers for one message (HTTP {}); read from its fields",
                                    mailboxId, folder, status);
                        }
                        result.put(m.getId(), List.of());
                    } else if (status != null && (status == 401 || status == 403)) {
                        throw errors.failure(statusException(status), folder);
                    } else if (attempt < retry.attempts() && (status == null || GraphRetry.transientStatus(status))) {
                        again.add(m);
                        waitMillis = Math.max(waitMillis, retry.waitMillis(response.getResponseById(step.getKey()), attempt));
                    } else {
                        throw new IOException("mailbox " + mailboxId + " folder " + folder
                                + ": Microsoft Graph could not return the headers of a message (HTTP " + status + ")");
                    }
                }
                pending = again;
                if (!pending.isEmpty()) {
                    GraphRetry.sleep(waitMillis);
                }
            }
        }
        return result;
    }

    /**
     * Posts one {@code $batch}. The SDK hands a {@code $batch} response over whatever its status, so a {@code $batch}
     * refused or failing as a whole (429, 5xx, 401) is thrown here like the SDK's errors, with its Retry-After.
     */
    private BatchResponseContent postBatch(GraphServiceClient graph, BatchRequestContent batch) throws IOException {
        RequestInformation info = graph.getBatchRequestBuilder().toPostRequestInformation(batch);
        NativeResponseHandler handler = new NativeResponseHandler();
        info.setResponseHandler(handler);
        adapter.sendPrimitive(info, new HashMap<>(), InputStream.class);
        Response raw = (Response) handler.getValue();
        if (!raw.isSuccessful()) {
            StatusException e = new StatusException(raw.code(), "the $batch request", raw.header("Retry-After"));
            raw.close();
            throw e;
        }
        return new BatchResponseContent(raw);
    }

    private static ApiException statusException(int status) {
        return new StatusException(status, "a $batch step", null);
    }

    /** A failed {@code $batch} or {@code $batch} step, shaped like the SDK's exceptions. */
    private static final class StatusException extends ApiException {
        StatusException(int status, String what, String retryAfter) {
            super(what + " was answered HTTP " + status);
            setResponseStatusCode(status);
            if (retryAfter != null) {
                ResponseHeaders headers = new ResponseHeaders();
                headers.add("Retry-After", retryAfter);
                setResponseHeaders(headers);
            }
        }
    }

    /**
     * One Graph message as Replyclock reads it: its fields and its fetched internet headers rendered into one
     * header block for {@link HeaderParser}; event time {@code receivedDateTime} in the inbox, else
     * {@code sentDateTime}; the conversation hint is Graph's {@code conversationId}.
     */
    MailMessage toMessage(Message m, List<InternetMessageHeader> headers, Place place) throws UnreadableMessageException {
        StringBuilder block = new StringBuilder(512);
        line(block, "Message-ID", m.getInternetMessageId());
        line(block, "Subject", m.getSubject());
        line(block, "From", address(m.getFrom()));
        line(block, "Sender", address(m.getSender()));
        line(block, "Reply-To", addresses(m.getReplyTo()));
        line(block, "To", addresses(m.getToRecipients()));
        line(block, "Cc", addresses(m.getCcRecipients()));
        boolean threadIndex = false;
        if (headers != null) {
            for (InternetMessageHeader h : headers) {
                String name = h.getName();
                if (name == null || name.isBlank() || FROM_FIELDS.contains(name.strip().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                threadIndex |= name.strip().equalsIgnoreCase("Thread-Index");
                line(block, name.strip(), h.getValue() == null ? "" : h.getValue());
            }
        }
        if (!threadIndex && m.getConversationIndex() != null && m.getConversationIndex().length > 0) {
            line(block, "Thread-Index", Base64.getEncoder().encodeToString(m.getConversationIndex()));
        }
        OffsetDateTime received = m.getReceivedDateTime();
        OffsetDateTime sent = m.getSentDateTime();
        OffsetDateTime when = outbound(m, place) ? (sent != null ? sent : received) : (received != null ? received : sent);
        Instant time = when == null ? null : when.toInstant();
        MailMessage parsed = parser.parse(block.toString().getBytes(StandardCharsets.UTF_8), place, time);
        String hint = m.getConversationId() == null || m.getConversationId().isBlank() ? null : m.getConversationId();
        return parsed.withConversationHint(hint);
    }

    /**
     * Sent by the mailbox (event time {@code sentDateTime}): read from {@code sentitems}, or sent from the mailbox's
     * own address (outside the inbox); everything else is inbound ({@code receivedDateTime}).
     */
    private boolean outbound(Message m, Place place) {
        if (place.folder().equalsIgnoreCase("sentitems")) {
            return true;
        }
        if (place.inboxFolder()) {
            return false;
        }
        String from = address(m.getFrom());
        String sender = address(m.getSender());
        String own = "<" + config.user().strip() + ">";
        return own.equalsIgnoreCase(from) || own.equalsIgnoreCase(sender);
    }

    private static void line(StringBuilder block, String name, String value) {
        if (value == null) {
            return;
        }
        String flat = value.replace('\r', ' ').replace('\n', ' ');
        if (flat.isBlank() && !name.equalsIgnoreCase("Subject")) {
            return;
        }
        block.append(name).append(": ").append(flat).append("\r\n");
    }

    private static String address(Recipient r) {
        if (r == null || r.getEmailAddress() == null) {
            return null;
        }
        String a = r.getEmailAddress().getAddress();
        return a == null || a.isBlank() ? null : "<" + a.strip() + ">";
    }

    private static String addresses(List<Recipient> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Recipient r : list) {
            String a = address(r);
            if (a != null) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(a);
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        client = null;
        adapter = null;
        http = null;
    }
}
