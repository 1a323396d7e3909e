package dev.replyclock.ingest.imap;

import dev.replyclock.config.Config;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.UnreadableMessageException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one IMAP mailbox incrementally, headers only (SPEC section 2: the event time is INTERNALDATE).
 *
 * <p>Each folder is opened once with {@code EXAMINE} (UIDVALIDITY, UIDNEXT) and stays selected, a connection
 * each; later polls send it a {@code NOOP} and learn the newest message's UID (nothing more when there is
 * nothing new; a folder that went away or changed its UIDVALIDITY is opened again). When the checkpoint has
 * the same UIDVALIDITY, UIDs {@code lastUid+1 ..} the newest (UIDNEXT-1 at the EXAMINE) are fetched, nothing at all when there is nothing new;
 * otherwise the folder is read again from UID 1 and its batches are marked {@code folderReset}. Each batch
 * of at most {@code batchSize} UIDs is one {@code UID FETCH a:b (UID INTERNALDATE BODY.PEEK[HEADER.FIELDS
 * (...)])}; bodies are never fetched. A thread of the source reads and parses up to {@value #WINDOWS_AHEAD} windows
 * ahead while the poll stores earlier ones: the server works meanwhile instead of waiting for the next
 * command (a first sync of 100,000 messages from Dovecot waited 5.6 s for the server before, 2.0-2.6 s after).
 * After a failure the connections are closed and polls are refused until a back-off (1 s doubling to 5 min) has
 * passed.
 */
public final class ImapSource implements IncrementalSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSource.class);

    /** The header fields fetched (besides the attribution header): everything {@link HeaderParser} reads. */
    public static final List<String> HEADER_FIELDS = dev.replyclock.ingest.CountedHeaders.FIELDS;

    /** Windows read before the poll takes them: a store analysis (every few thousand messages) does not stop the server. */
    static final int WINDOWS_AHEAD = 8;

    /** Environment variable holding the trust store's password (none when unset). */
    public static final String TRUST_STORE_PASSWORD_ENV = "REPLYCLOCK_TRUST_STORE_PASSWORD";

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration IDLE_RENEW = Duration.ofMinutes(25);

    /** Tuning knobs; {@link #defaults()} for production. */
    record Options(int batchSize, Clock clock, int connectTimeoutMillis, int readTimeoutMillis,
                   Function<String, String> env, PrintStream debugOut, Duration idleRenew) {
        static Options defaults() {
            return new Options(500, Clock.systemUTC(), 30_000, 120_000, System::getenv, null, IDLE_RENEW);
        }

        Options withBatchSize(int n) {
            return new Options(n, clock, connectTimeoutMillis, readTimeoutMillis, env, debugOut, idleRenew);
        }

        Options withClock(Clock c) {
            return new Options(batchSize, c, connectTimeoutMillis, readTimeoutMillis, env, debugOut, idleRenew);
        }

        Options withTimeouts(int connectMillis, int readMillis) {
            return new Options(batchSize, clock, connectMillis, readMillis, env, debugOut, idleRenew);
        }

        Options withEnv(Function<String, String> e) {
            return new Options(batchSize, clock, connectTimeoutMillis, readTimeoutMillis, e, debugOut, idleRenew);
        }

        Options withDebug(PrintStream out) {
            return new Options(batchSize, clock, connectTimeoutMillis, readTimeoutMillis, env, out, idleRenew);
        }

        Options withIdleRenew(Duration d) {
            return new Options(batchSize, clock, connectTimeoutMillis, readTimeoutMillis, env, debugOut, d);
        }
    }

    private final String mailboxId;
    private final SourceConfig.Imap config;
    private final HeaderParser parser;
    private final AccessTokenProvider tokens;
    private final Options options;
    private final String protocol;
    private final String fetchCommandItems;
    /** Reads the next windows of a folder while the poll stores earlier ones ({@link ReadAhead}). */
    private final java.util.concurrent.ThreadPoolExecutor readAheadThread;

    private Session session;
    private IMAPStore store;
    /**
     * The folders read, kept selected (read-only, a connection each) between polls: a NOOP on a selected folder
     * costs the same whatever its size, whereas Dovecot answers STATUS of a Maildir folder whose list index
     * entry is stale by opening it again, in time proportional to the folder (measured: 0.2 ms against 112 ms
     * for 60,000 messages), so a poll with nothing new would grow with the mailbox.
     */
    private final Map<String, IMAPFolder> openFolders = new java.util.HashMap<>();
    private List<String> resolvedFolders;
    private Duration backoff;
    private Instant nextAttemptAt;

    /** The last access token used, only to keep it out of messages. */
    private volatile String lastToken;
    private Thread idleThread;
    private java.util.concurrent.atomic.AtomicBoolean idleStop;
    private volatile IMAPStore idleStore;
    private volatile IMAPFolder idleFolder;

    /**
     * @param tokens the XOAUTH2 token source, or null to log in with {@code config.password()}; the
     *               attribution header fetched is {@link Config#DEFAULT_ATTRIBUTION_HEADER}
     */
    public ImapSource(String mailboxId, SourceConfig.Imap config, HeaderParser parser, AccessTokenProvider tokens) {
        this(mailboxId, config, parser, Config.DEFAULT_ATTRIBUTION_HEADER, tokens);
    }

    /** @param attributionHeader the configured attribution header (the parser's), fetched with the others */
    public ImapSource(String mailboxId, SourceConfig.Imap config, HeaderParser parser, String attributionHeader,
                      AccessTokenProvider tokens) {
        this(mailboxId, config, parser, attributionHeader, tokens, Options.defaults().withBatchSize(config.batchSize()));
    }

    ImapSource(String mailboxId, SourceConfig.Imap config, HeaderParser parser, String attributionHeader,
               AccessTokenProvider tokens, Options options) {
        this.mailboxId = mailboxId;
        this.config = config;
        this.parser = parser;
        this.tokens = tokens;
        this.options = options;
        this.protocol = config.tls() == SourceConfig.Imap.Tls.IMPLICIT ? "imaps" : "imap";
        this.fetchCommandItems = fetchItems(attributionHeader);
        this.readAheadThread = ReadAhead.thread("imap-read-" + mailboxId);
        if (config.tls() == SourceConfig.Imap.Tls.NONE) {
            LOG.warn("plaintext IMAP to {}: credentials and headers travel unencrypted", hostPort());
        }
    }

    static String fetchItems(String attributionHeader) {
        return "(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (" + String.join(" ", fetchedFields(attributionHeader)) + ")])";
    }

    /**
     * The header fields a fetch asks for, as sent: {@link #HEADER_FIELDS} and the attribution header (when it is a valid
     * field name). Another client compared with this one must ask for the same: a field no client asked for before is
     * not in Dovecot's cache, and the first read of it opens every message file.
     */
    public static List<String> fetchedFields(String attributionHeader) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String h : HEADER_FIELDS) {
            names.add(h.toUpperCase(Locale.ROOT));
        }
        if (attributionHeader != null && !attributionHeader.isBlank()) {
            String a = attributionHeader.strip().toUpperCase(Locale.ROOT);
            if (a.chars().allMatch(c -> c > 32 && c < 127 && c != ':' && c != '(' && c != ')' && c != '"')) {
                names.add(a);
            }
        }
        return List.copyOf(names);
    }

    // ---------------------------------------------------------------- session setup

    /** The jakarta.mail properties for this config (no secrets in them). */
    Properties sessionProperties(int readTimeoutMillis) throws IOException {
        Properties p = new Properties();
        String k = "mail." + protocol + ".";
        p.setProperty(k + "host", config.host());
        p.setProperty(k + "port", Integer.toString(config.port()));
        p.setProperty(k + "connectiontimeout", Integer.toString(options.connectTimeoutMillis()));
        p.setProperty(k + "timeout", Integer.toString(readTimeoutMillis));
        p.setProperty(k + "writetimeout", Integer.toString(options.readTimeoutMillis()));
        switch (config.tls()) {
            case IMPLICIT -> {
                p.setProperty(k + "ssl.enable", "true");
                p.setProperty(k + "ssl.checkserveridentity", "true");
            }
            case STARTTLS -> {
                p.setProperty(k + "starttls.enable", "true");
                p.setProperty(k + "starttls.required", "true");
                p.setProperty(k + "ssl.checkserveridentity", "true");
            }
            case NONE -> {
            }
        }
        if (config.tls() != SourceConfig.Imap.Tls.NONE && config.trustStore() != null) {
            p.put(k + "ssl.socketFactory", socketFactory(config.trustStore(), options.env()));
            // no second try with the JVM's default factory when the configured trust store refuses
            p.setProperty(k + "socketFactory.fallback", "false");
        }
        if (tokens != null) {
            p.setProperty(k + "auth.mechanisms", "XOAUTH2");
            p.setProperty(k + "auth.xoauth2.disable", "false");
        }
        return p;
    }

    /** A socket factory trusting exactly the certificates of a PKCS12 or JKS trust store. */
    static SSLSocketFactory socketFactory(Path trustStore, Function<String, String> env) throws IOException {
        String password = env.apply(TRUST_STORE_PASSWORD_ENV);
        char[] pw = password == null || password.isEmpty() ? null : password.toCharArray();
        try {
            KeyStore ks = loadKeyStore(trustStore, pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore loadKeyStore(Path file, char[] password) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("trust store " + file + " is not a readable file");
        }
        GeneralSecurityException last = null;
        for (String type : new String[] {"PKCS12", "JKS"}) {
            KeyStore ks = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
                return ks;
            } catch (IOException e) {
                if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                    throw new IOException("cannot open trust store " + file + ": wrong password (set "
                            + TRUST_STORE_PASSWORD_ENV + ")", e);
                }
                last = new KeyStoreException(type + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IOException("cannot read trust store " + file + " as PKCS12 or JKS: "
                + (last == null ? "" : last.getMessage()));
    }

    private static final class KeyStoreException extends GeneralSecurityException {
        KeyStoreException(String message) {
            super(message);
        }
    }

    private Session session() throws IOException {
        if (session == null) {
            session = newSession(options.readTimeoutMillis());
        }
        return session;
    }

    private Session newSession(int readTimeoutMillis) throws IOException {
        Session s = Session.getInstance(sessionProperties(readTimeoutMillis));
        if (options.debugOut() != null) {
            s.setDebugOut(options.debugOut());
            s.setDebug(true);
        }
        return s;
    }

    private IMAPStore connect(Session s) throws IOException, MessagingException {
        IMAPStore st = (IMAPStore) s.getStore(BufferedImapStore.provider(protocol));
        String secret = tokens != null ? tokens.accessToken() : config.password();
        if (tokens != null) {
            lastToken = secret;
        }
        try {
            st.connect(config.host(), config.port(), config.username(), secret);
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(st);
            throw e;
        }
        return st;
    }

    /** The store; a broken connection shows at its next use (no NOOP round trip to check it first). */
    private IMAPStore store() throws IOException, MessagingException {
        if (store == null) {
            store = connect(session());
        }
        return store;
    }

    // ---------------------------------------------------------------- polling

    @Override
    public synchronized PollSummary poll(CheckpointLookup checkpoints, BatchConsumer consumer) throws IOException {
        Instant now = options.clock().instant();
        if (nextAttemptAt != null && now.isBefore(nextAttemptAt)) {
            throw new IOException("IMAP " + hostPort() + " (mailbox " + mailboxId + "): not retrying before "
                    + nextAttemptAt + " after the last failure (back-off " + backoff.toSeconds() + " s)");
        }
        String folder = null;
        List<FolderSummary> summaries = new ArrayList<>();
        // connections kept from an earlier poll may have been closed by the server or the network meanwhile
        boolean mayReconnect = store != null;
        try {
            List<String> names = folders();
            for (int i = 0; i < names.size(); i++) {
                folder = names.get(i);
                try {
                    summaries.add(pollFolder(folder, checkpoints, consumer));
                } catch (MessagingException e) {
                    if (!mayReconnect || !connectionLost(e)) {
                        throw e;
                    }
                    mayReconnect = false;
                    LOG.info("imap {} {}: connection kept from the last poll is gone ({}); reconnecting", mailboxId,
                            folder, scrub(describe(e)));
                    closeStore();
                    i--; // the folder again, from its checkpoint: what was committed is not read twice
                }
            }
        } catch (ConsumerFailure e) {
            throw e.getCause();
        } catch (MessagingException | IOException e) {
            closeStore();
            backoff = backoff == null ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
            nextAttemptAt = options.clock().instant().plus(backoff);
            String where = "IMAP " + hostPort() + (folder == null ? "" : " folder " + folder)
                    + " (mailbox " + mailboxId + ")";
            String text = scrub(describe(e));
            IOException out = new IOException(where + ": " + text + "; next attempt in " + backoff.toSeconds() + " s");
            if (!mentionsSecret(e)) {
                out.initCause(e);
            }
            throw out;
        }
        backoff = null;
        nextAttemptAt = null;
        return new PollSummary(List.copyOf(summaries));
    }

    /**
     * {@code test-source}: each folder's message count ({@code SELECT}'s EXISTS) and one {@code UID FETCH} of the
     * header fields of its newest {@code newest} messages; no checkpoint is read or written.
     */
    @Override
    public synchronized Sample sample(int newest) throws IOException {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        List<MailMessage> messages = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        String current = null;
        try {
            for (String name : folders()) {
                current = name;
                IMAPFolder folder = (IMAPFolder) store().getFolder(name);
                folder.open(Folder.READ_ONLY);
                try {
                    int count = folder.getMessageCount();
                    counts.put(name, (long) count);
                    if (count > 0) {
                        long first = folder.getUID(folder.getMessage(Math.max(1, count - newest + 1)));
                        long last = folder.getUID(folder.getMessage(count));
                        fetch(folder, new Place(mailboxId, name, "INBOX".equalsIgnoreCase(name)), first, last, messages,
                                rejected);
                    }
                } finally {
                    folder.close(false);
                }
            }
        } catch (MessagingException e) {
            closeStore();
            IOException out = new IOException("IMAP " + hostPort() + (current == null ? "" : " folder " + current)
                    + " (mailbox " + mailboxId + "): " + scrub(describe(e)));
            if (!mentionsSecret(e)) {
                out.initCause(e);
            }
            throw out;
        }
        return new Sample(counts, messages, rejected);
    }

    /** Whether the connection broke (rather than the server refusing a command). */
    private static boolean connectionLost(MessagingException e) {
        if (e instanceof jakarta.mail.FolderClosedException || e instanceof jakarta.mail.StoreClosedException) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof org.eclipse.angus.mail.iap.ConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** When the next poll may connect again, or null when it may at once. */
    synchronized Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    /** The folders read: the configured ones, or INBOX and the Sent folder (found once per connection). */
    private List<String> folders() throws IOException, MessagingException {
        if (!config.folders().isEmpty()) {
            return config.folders();
        }
        if (resolvedFolders == null) {
            resolvedFolders = defaultFolders(store());
            LOG.debug("imap {}: default folders {}", mailboxId, resolvedFolders);
        }
        return resolvedFolders;
    }

    private List<String> defaultFolders(IMAPStore st) throws MessagingException {
        Map<String, List<String>> listed = new java.util.LinkedHashMap<>();
        for (Folder f : st.getDefaultFolder().list("*")) {
            listed.put(f.getFullName(), f instanceof IMAPFolder imf ? List.of(imf.getAttributes()) : List.of());
        }
        List<String> folders = defaultFolders(listed);
        if (folders.size() == 1) {
            LOG.warn("imap {}: no folder is marked \\Sent nor named Sent; reading INBOX only", mailboxId);
        }
        return folders;
    }

    /**
     * INBOX and the Sent folder among the listed folders (name to LIST attributes, in LIST order): the
     * first marked {@code \Sent} (RFC 6154), else the one named {@code Sent}, else one named so in any case.
     */
    static List<String> defaultFolders(Map<String, List<String>> listed) {
        String special = null;
        String named = null;
        String namedIgnoringCase = null;
        for (Map.Entry<String, List<String>> e : listed.entrySet()) {
            String name = e.getKey();
            if (special == null && e.getValue().stream().anyMatch("\\Sent"::equalsIgnoreCase)) {
                special = name;
            }
            if (name.equals("Sent")) {
                named = name;
            } else if (namedIgnoringCase == null && name.equalsIgnoreCase("Sent")) {
                namedIgnoringCase = name;
            }
        }
        String sent = special != null ? special : named != null ? named : namedIgnoringCase;
        return sent == null || sent.equalsIgnoreCase("INBOX") ? List.of("INBOX") : List.of("INBOX", sent);
    }

    private FolderSummary pollFolder(String name, CheckpointLookup checkpoints, BatchConsumer consumer)
            throws IOException, MessagingException {
        long started = System.nanoTime();
        IMAPFolder folder = openFolders.get(name);
        long last;
        if (folder != null && folder.isOpen()) {
            // kept selected since the last poll: a NOOP brings the server's news (EXISTS for new mail; a BYE when
            // the folder went away or its UIDVALIDITY changed), then one FETCH of the newest message's UID at most
            folder.doCommand(p -> {
                p.noop();
                return null;
            });
            last = lastUid(folder);
        } else {
            folder = (IMAPFolder) store().getFolder(name);
            folder.open(Folder.READ_ONLY);
            openFolders.put(name, folder);
            long uidNext = folder.getUIDNext();
            last = uidNext > 0 ? uidNext - 1 : lastUid(folder);
        }
        long validity = folder.getUIDValidity();
        Optional<FolderCheckpoint> checkpoint = checkpoints.get(name);
        boolean reset = checkpoint.isEmpty() || checkpoint.get().uidValidity() != validity;
        long from = reset ? 1 : checkpoint.get().lastUid() + 1;
        if (!reset && from > last) {
            long ms = (System.nanoTime() - started) / 1_000_000;
            LOG.debug("imap {} {}: nothing new (uidvalidity {}, last uid {}), {} ms", mailboxId, name,
                    validity, last, ms);
            return new FolderSummary(name, 0, 0, ms);
        }
        long count = folder.getMessageCount();
        long total = reset ? count : Math.min(count, last - from + 1);
        Place place = new Place(mailboxId, name, "INBOX".equalsIgnoreCase(name));
        long done = 0;
        long messages = 0;
        long rejectedCount = 0;
        IMAPFolder selected = folder;
        // the reading thread parses too (the poll's thread is the busier one: it stores and analyses), and asks for
        // the next window before reading this one
        FetchPipeline pipeline = new FetchPipeline(selected, fetchCommandItems);
        int size = options.batchSize();
        try (ReadAhead<Parsed> windows = new ReadAhead<>(readAheadThread, from, last, size, reset, WINDOWS_AHEAD,
                (a, b) -> parse(pipeline.fetch(a, b, b + 1, Math.min(last, b + size)), place, a, b))) {
            for (ReadAhead.Window<Parsed> read = windows.next(); read != null; read = windows.next()) {
                long b = read.b();
                Parsed window = read.read() == null ? Parsed.NONE : read.read();
                boolean lastWindow = b >= last;
                if (window.messages().isEmpty() && window.rejected().isEmpty() && !lastWindow) {
                    continue; // only expunged UIDs here; the next batch's checkpoint covers them
                }
                done += window.messages().size() + window.rejected().size();
                messages += window.messages().size();
                rejectedCount += window.rejected().size();
                Batch out = new Batch(new FolderCheckpoint(mailboxId, name, validity, Math.max(b, 0)),
                        window.messages(), window.rejected(), reset, total, done);
                try {
                    consumer.accept(out);
                } catch (IOException e) {
                    throw new ConsumerFailure(e);
                }
                if (lastWindow) {
                    break;
                }
            }
        } finally {
            if (pipeline.pending()) {
                closeStore(); // a read that stopped early (the consumer failed) leaves a FETCH's answers owed
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.debug("imap {} {}: {} messages, {} rejected, uids {}..{}{} (uidvalidity {}), {} ms", mailboxId, name,
                messages, rejectedCount, from, last, reset ? ", read from the start" : "", validity, ms);
        return new FolderSummary(name, messages, rejectedCount, ms);
    }

    /** The UID of the folder's newest message (0 when empty); Angus keeps it once fetched. */
    private static long lastUid(IMAPFolder folder) throws MessagingException {
        int n = folder.getMessageCount();
        return n == 0 ? 0 : folder.getUID(folder.getMessage(n));
    }

    /** The messages of one window of UIDs and those that could not be read. */
    private record Parsed(List<MailMessage> messages, List<RejectedMessage> rejected) {
        static final Parsed NONE = new Parsed(List.of(), List.of());
    }

    /** One {@code UID FETCH a:b} of the header fields; parses each message into batch or rejected. */
    private void fetch(IMAPFolder folder, Place place, long a, long b, List<MailMessage> batch,
                       List<RejectedMessage> rejected) throws MessagingException {
        Parsed window = parse(new FetchPipeline(folder, fetchCommandItems).fetch(a, b, 1, 0), place, a, b);
        batch.addAll(window.messages());
        rejected.addAll(window.rejected());
    }

    /** Each message of one window's FETCH responses parsed, in UID order. */
    private Parsed parse(Response[] responses, Place place, long a, long b) {
        List<MailMessage> batch = new ArrayList<>();
        List<RejectedMessage> rejected = new ArrayList<>();
        TreeMap<Long, FetchResponse> byUid = new TreeMap<>();
        for (Response r : responses) {
            if (r instanceof FetchResponse fr) {
                UID uid = fr.getItem(UID.class);
                if (uid != null && uid.uid >= a && uid.uid <= b && fr.getItem(BODY.class) != null) {
                    byUid.put(uid.uid, fr);
                }
            }
        }
        for (Map.Entry<Long, FetchResponse> e : byUid.entrySet()) {
            String where = "uid " + e.getKey();
            FetchResponse fr = e.getValue();
            try {
                INTERNALDATE date = fr.getItem(INTERNALDATE.class);
                Instant serverTime = date == null || date.getDate() == null ? null : date.getDate().toInstant();
                ByteArray bytes = fr.getItem(BODY.class).getByteArray();
                if (bytes == null) {
                    rejected.add(new RejectedMessage(mailboxId, place.folder(), where, "no header returned"));
                    continue;
                }
                batch.add(parser.parse(bytes.getBytes(), bytes.getStart(), bytes.getCount(), place, serverTime));
            } catch (UnreadableMessageException ex) {
                rejected.add(new RejectedMessage(mailboxId, place.folder(), where, ex.reason()));
            } catch (RuntimeException ex) {
                rejected.add(new RejectedMessage(mailboxId, place.folder(), where, "cannot parse headers: " + ex));
            }
        }
        return new Parsed(List.copyOf(batch), List.copyOf(rejected));
    }

    /** Carries a consumer's IOException out of the fetch loop untouched (no back-off: the server is fine). */
    private static final class ConsumerFailure extends RuntimeException {
        ConsumerFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    // ---------------------------------------------------------------- IDLE

    /**
     * Watches INBOX with IDLE on a connection of its own, in a daemon thread, and runs {@code onNewMail}
     * when the server announces new messages (and after a reconnect, as mail may have come meanwhile). The
     * IDLE is renewed every 25 minutes; failures reconnect with the same back-off as polls. {@link #close()} stops it.
     */
    public synchronized void startIdle(Runnable onNewMail) {
        if (idleThread != null) {
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        idleStop = stop;
        idleThread = new Thread(() -> idleLoop(onNewMail, stop), "imap-idle-" + mailboxId);
        idleThread.setDaemon(true);
        idleThread.start();
    }

    private void idleLoop(Runnable onNewMail, java.util.concurrent.atomic.AtomicBoolean stop) {
        Duration wait = null;
        boolean first = true;
        while (!stop.get()) {
            IMAPStore st = null;
            java.util.Timer renew = null;
            try {
                // its own session: IDLE reads wait longer than the renew interval
                int readTimeout = (int) Math.min(Integer.MAX_VALUE, options.idleRenew().toMillis() + 5 * 60_000L);
                st = connect(newSession(readTimeout));
                idleStore = st;
                IMAPFolder inbox = (IMAPFolder) st.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                idleFolder = inbox;
                inbox.addMessageCountListener(new MessageCountAdapter() {
                    @Override
                    public void messagesAdded(MessageCountEvent e) {
                        runCallback(onNewMail);
                    }
                });
                if (!first) {
                    runCallback(onNewMail);
                }
                first = false;
                wait = null;
                renew = new java.util.Timer("imap-idle-renew-" + mailboxId, true);
                long period = Math.max(1, options.idleRenew().toMillis());
                renew.schedule(new java.util.TimerTask() {
                    @Override
                    public void run() {
                        try {
                            inbox.doCommand(p -> {
                                p.simpleCommand("NOOP", null); // ends the IDLE; the loop starts a new one
                                return null;
                            });
                        } catch (MessagingException | RuntimeException e) {
                            LOG.debug("imap {}: IDLE renew failed: {}", mailboxId, scrub(e.toString()));
                        }
                    }
                }, period, period);
                while (!stop.get() && inbox.isOpen()) {
                    inbox.idle();
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                if (stop.get()) {
                    break;
                }
                wait = wait == null ? FIRST_BACKOFF : min(wait.multipliedBy(2), MAX_BACKOFF);
                LOG.warn("imap {} IDLE on {} INBOX failed: {}; reconnecting in {} s", mailboxId, hostPort(),
                        scrub(describe(e)), wait.toSeconds());
                sleep(wait, stop);
            } finally {
                if (renew != null) {
                    renew.cancel();
                }
                idleFolder = null;
                idleStore = null;
                closeQuietly(st);
            }
        }
    }

    private void runCallback(Runnable onNewMail) {
        try {
            onNewMail.run();
        } catch (RuntimeException e) {
            LOG.warn("imap {}: new-mail callback failed", mailboxId, e);
        }
    }

    private static void sleep(Duration d, java.util.concurrent.atomic.AtomicBoolean stop) {
        long end = System.nanoTime() + d.toNanos();
        while (!stop.get() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---------------------------------------------------------------- closing and helpers

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = idleThread;
            idleThread = null;
            if (idleStop != null) {
                idleStop.set(true);
                idleStop = null;
            }
            closeStore();
        }
        readAheadThread.shutdown();
        if (t != null) {
            IMAPStore st = idleStore;
            closeQuietly(st);
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeStore() {
        closeQuietly(store); // closes its open folders too
        store = null;
        openFolders.clear();
        resolvedFolders = null;
    }

    private static void closeQuietly(IMAPStore st) {
        if (st != null) {
            try {
                st.close();
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("closing IMAP store failed: {}", e.toString());
            }
        }
    }

    private String hostPort() {
        return config.host() + ":" + config.port();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The exception and its causes' messages, on one line. */
    private String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 500; t = t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            String msg = t.getMessage();
            if (t instanceof jakarta.mail.AuthenticationFailedException) {
                sb.append("login failed for user '").append(config.username()).append('\'');
                if (msg != null && !msg.isBlank()) {
                    sb.append(" (server said: ").append(msg.strip()).append(')');
                }
                continue;
            }
            sb.append(t.getClass().getSimpleName());
            if (msg != null && !msg.isBlank()) {
                sb.append(' ').append(msg.strip());
            }
            if (t instanceof ProtocolException) {
                break;
            }
        }
        return sb.toString();
    }

    /** Replaces the password and the tokens used with {@code ***}. */
    private String scrub(String text) {
        for (String secret : secrets()) {
            text = text.replace(secret, "***");
        }
        return text;
    }

    private boolean mentionsSecret(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage());
            for (String secret : secrets()) {
                if (msg.contains(secret)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<String> secrets() {
        List<String> out = new ArrayList<>();
        if (config.password() != null && config.password().length() >= 3) {
            out.add(config.password());
        }
        String token = lastToken;
        if (token != null && token.length() >= 3) {
            out.add(token);
        }
        return out;
    }
}
