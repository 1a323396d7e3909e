package dev.replyclock.poll;

import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Wait;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.sla.ReplyOnlyMailboxes;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.store.CommitResult;
import dev.replyclock.store.ConversationRow;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoreException;
import dev.replyclock.store.StoredCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * One poll of one mailbox, testable without a scheduler: read what is new, store each batch with its
 * checkpoint in one transaction, recompute the conversations it touches and store their results.
 */
public final class PollCycle {

    private static final Logger LOG = LoggerFactory.getLogger(PollCycle.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /**
     * Stored messages waiting to be analysed: a back-fill recomputes every few thousand messages rather than
     * after each batch (the store is committed per batch regardless, so nothing waits on this).
     */
    private static final int ANALYSE_EVERY = 5_000;

    /**
     * Conversations written per results transaction: the results of a long poll are written at its end (see
     * {@link #analyse(List, boolean)}), in transactions of this size so that none holds the store for long.
     */
    private static final int SAVE_CHUNK = 20_000;
    private int saveChunk = SAVE_CHUNK;

    /** What one poll of one mailbox did. */
    public record Outcome(String mailboxId, long newMessages, long rejected, long millis, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** Told of each stored batch, e.g. to draw a progress bar. */
    public interface ProgressListener {
        void batchStored(String mailboxId, IncrementalSource.Batch batch);
    }

    private final Store store;
    private final LiveAnalysis live;
    private final Clock clock;
    private volatile ProgressListener progress = (mailbox, batch) -> { };
    private final List<ProgressListener> batchListeners = new CopyOnWriteArrayList<>();
    /** Analysis changes not yet written to the store (guarded by this). */
    private final UnsavedResults unsaved = new UnsavedResults();
    private final ReplyOnlyMailboxes replyOnly;
    private final ClusterLock lock;
    /** Null when no other instance writes the store. */
    private final CatchUp catchUp;
    /**
     * While a poll reads (a back-fill analyses every few thousand messages), nothing leaves memory: the Sent folder read
     * after the inbox would bring back every conversation the inbox's batches just evicted. Counts the polls under way.
     */
    private final java.util.concurrent.atomic.AtomicInteger polling = new java.util.concurrent.atomic.AtomicInteger();

    public PollCycle(Store store, LiveAnalysis live, Clock clock) {
        this(store, live, clock, ClusterLock.inProcess());
    }

    /** With several instances on one store, {@code lock} is the cluster's: see {@link #catchUp()}. */
    public PollCycle(Store store, LiveAnalysis live, Clock clock, ClusterLock lock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
        this.replyOnly = new ReplyOnlyMailboxes(live.config());
        this.lock = lock;
        this.catchUp = lock.shared() ? new CatchUp(store, live) : null;
    }

    public ClusterLock lock() {
        return lock;
    }

    /**
     * Several instances: notes where the store's feeds stand before anything is loaded from it (call it before loading
     * the dispositions; {@link #restore} calls it too), so that what others write meanwhile is caught up later.
     */
    public void startCatchUp() {
        if (catchUp != null) {
            catchUp.start();
        }
    }

    public void onProgress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener);
    }

    /** Adds a listener told of every stored batch besides the progress one (e.g. metrics). */
    public void addBatchListener(ProgressListener listener) {
        batchListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Loads the stored messages of the conversations active inside the horizon (and any not in a conversation yet) into
     * the analysis, and writes the fresh results that differ from the stored ones (if the store cannot write now, after
     * a later poll). Older conversations stay in the store: final, and brought back when a message links to them. A
     * store whose results predate their summaries (V9) is analysed whole once, and every result rewritten.
     */
    public synchronized void restore() {
        long started = System.nanoTime();
        startCatchUp(); // before loading: what others store meanwhile is caught up later (twice is harmless)
        StoredCounts counts = store.counts();
        live.useArchive(new StoredArchive(store));
        Instant cutoff = clock.instant().minus(live.config().horizon());
        boolean everything = store.resultSummariesMissing();
        List<MailMessage> active = everything ? store.loadMessages() : store.loadMessagesActiveSince(cutoff);
        long loaded = System.nanoTime();
        LiveAnalysis.Change change = live.restore(active, counts.copies(), counts.duplicates(), counts.rejected());
        live.archiveHoldsOthers(active.size() < counts.messages());
        long analysed = System.nanoTime();
        LiveAnalysis.Change differing = lock.holding(() -> {
            // others may have written since the load: compare the stored results with the caught-up ones, never older
            UnsavedResults current = new UnsavedResults();
            current.add(change);
            if (catchUp != null) {
                catchUp.run(current::add);
            }
            // a store without result summaries (written before V9) gets every result rewritten once
            LiveAnalysis.Change diff = everything
                    ? new LiveAnalysis.Change(current.staleConversationIds(), current.results())
                    : StoredResultsDiff.activeSince(store, cutoff, current.results());
            unsaved.add(diff);
            saveResults();
            if (unsaved.isEmpty()) {
                store.setResultBasis(basis());
            }
            return diff;
        });
        LOG.info("store {}: {} of {} messages in memory (conversations active since {}), {} leads, {} waits in {} ms "
                        + "(loading {} ms, analysis {} ms, comparing and saving {} ms; {} conversations' results rewritten)",
                store.name(), live.messageCount(), counts.messages(), cutoff, live.leads().size(), live.waits().size(),
                (System.nanoTime() - started) / 1_000_000, (loaded - started) / 1_000_000, (analysed - loaded) / 1_000_000,
                (System.nanoTime() - analysed) / 1_000_000, differing.results().size());
    }

    /**
     * Starts on the stored results as they are when they were computed with this configuration and version (the views
     * read them from the read model): analyses only the messages without results, with the stored conversations they
     * link to; every other conversation is brought into memory when a message links to it. Otherwise, {@link #restore}.
     */
    public synchronized void restoreOnDemand() {
        long started = System.nanoTime();
        live.useArchive(new StoredArchive(store));
        String basis = basis();
        if (store.resultSummariesMissing() || !basis.equals(store.resultBasis().orElse(null))) {
            LOG.info("store {}: results computed with another configuration or version: analysing the conversations "
                    + "inside the horizon again", store.name());
            restore();
            return;
        }
        startCatchUp(); // before loading, as in restore()
        StoredCounts counts = store.counts();
        List<MailMessage> unthreaded = store.loadUnthreadedMessages();
        LiveAnalysis.Change change = live.restoreLinked(unthreaded, counts.copies(), counts.duplicates(), counts.rejected());
        lock.holding(() -> {
            unsaved.add(change);
            if (catchUp != null) {
                catchUp.run(unsaved::add);
            }
            saveResults();
        });
        LOG.info("store {}: {} messages, results as stored; {} messages without results analysed, in {} ms", store.name(),
                counts.messages(), unthreaded.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** A fingerprint of what the results depend on: the configuration (secrets included, hashed) and the version. */
    private String basis() {
        String version = PollCycle.class.getPackage().getImplementationVersion();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (live.config() + "\n" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store's checkpoints of a mailbox, and which messages of a folder it holds (cheap resyncs). */
    private IncrementalSource.CheckpointLookup lookup(String mailboxId) {
        return new IncrementalSource.CheckpointLookup() {
            @Override
            public Optional<FolderCheckpoint> get(String folder) {
                return store.checkpoint(mailboxId, folder);
            }

            @Override
            public Set<String> storedIn(String folder, Collection<String> messageIds) {
                return store.storedIn(mailboxId, folder, messageIds);
            }

            @Override
            public Set<String> itemsRead(String folder, Collection<String> itemIds) {
                return store.itemsRead(mailboxId, folder, itemIds);
            }
        };
    }

    /** Tests: results transactions of {@code conversations} each instead of {@value #SAVE_CHUNK}. */
    void saveResultsInPartsOf(int conversations) {
        this.saveChunk = conversations;
    }

    /**
     * Polls one mailbox once. A failure is logged and recorded for readiness, never thrown. The sync is recorded after
     * the poll's messages are analysed: a mailbox counts as synced (readiness, the last-sync gauge) once the views
     * show what it read.
     */
    public Outcome poll(String mailboxId, IncrementalSource source) {
        long started = System.nanoTime();
        ProgressLog progressLog = new ProgressLog(mailboxId);
        long[] totals = new long[2];
        List<MailMessage> stored = new ArrayList<>();
        IncrementalSource.PollSummary summary = null;
        String error = null;
        polling.incrementAndGet();
        try {
            summary = source.poll(lookup(mailboxId), read -> {
                IncrementalSource.Batch batch = keptOf(mailboxId, read);
                store(batch, stored);
                totals[0] += batch.messages().size();
                totals[1] += batch.rejected().size();
                progressLog.batch(batch);
                progress.batchStored(mailboxId, batch);
                batchListeners.forEach(l -> l.batchStored(mailboxId, batch));
            });
        } catch (IOException | RuntimeException e) {
            error = messageOf(e);
        } finally {
            polling.decrementAndGet();
            analyse(stored); // what a failed poll stored too
        }
        if (error == null) {
            try {
                store.recordSync(mailboxId, clock.instant(), null);
            } catch (RuntimeException e) {
                error = messageOf(e);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (error != null) {
            recordFailure(mailboxId, error);
            LOG.warn("mailbox {}: poll failed after {} ms ({} new messages stored before): {}", mailboxId, millis, totals[0], error);
            return new Outcome(mailboxId, totals[0], totals[1], millis, error);
        }
        logSummary(mailboxId, summary, millis);
        return new Outcome(mailboxId, totals[0], totals[1], millis, null);
    }

    private static String messageOf(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The batch without the inbound messages of a reply-only mailbox (SPEC section 14): never stored nor counted. */
    private IncrementalSource.Batch keptOf(String mailboxId, IncrementalSource.Batch batch) {
        List<MailMessage> kept = replyOnly.kept(mailboxId, batch.messages());
        return kept == batch.messages() ? batch : batch.withMessages(kept);
    }

    /**
     * Saves what a change made outside a poll recomputed (a disposition set or withdrawn), with anything left unsaved;
     * a store that cannot write keeps it for the next poll, as after a poll.
     */
    public synchronized void saveChange(LiveAnalysis.Change change) {
        lock.holding(() -> {
            unsaved.add(change);
            saveResults();
        });
    }

    /**
     * Several instances: adds to the analysis what the others stored since this instance last looked (messages, their
     * changes, dispositions) and writes the results that recomputes, holding the cluster lock. Every write of this
     * instance that depends on the stored messages calls it first; the SLA tick and each instance's local refresh call
     * it too, so that pages and gauges are current. Nothing to do on a store only this instance writes.
     */
    public synchronized void catchUp() {
        if (catchUp == null) {
            return;
        }
        lock.holding(() -> {
            catchUp.run(unsaved::add);
            saveResults();
        });
    }

    /**
     * Runs a write of this instance holding the cluster lock, after catching up and leaving the marks after it (its
     * messages or dispositions reach the analysis from here, not from the store).
     */
    public synchronized <T> T writing(java.util.function.Supplier<T> write) {
        return lock.holding(() -> {
            catchUp();
            T result = write.get();
            if (catchUp != null) {
                catchUp.skipOwnWrites();
            }
            return result;
        });
    }

    /** Commits one batch with its checkpoint; analyses what was stored every {@link #ANALYSE_EVERY} messages. */
    private void store(IncrementalSource.Batch batch, List<MailMessage> stored) {
        if (catchUp != null) {
            storeShared(batch);
            return;
        }
        CommitResult committed = store.commitBatch(batch.checkpoint(), batch.messages(), batch.rejected(),
                batch.sourceItems());
        live.rejected(batch.rejected().size());
        if (committed.changedAnything() || !batch.messages().isEmpty()) {
            stored.addAll(batch.messages());
        }
        if (stored.size() >= ANALYSE_EVERY) {
            analyse(stored, false);
        }
    }

    /**
     * Several instances: catches up, commits the batch, analyses it and writes the results in one hold of the cluster
     * lock, so that no instance ever sees (or writes results from) stored messages missing from an analysis.
     */
    private synchronized void storeShared(IncrementalSource.Batch batch) {
        lock.holding(() -> {
            catchUp.run(unsaved::add);
            CommitResult committed = store.commitBatch(batch.checkpoint(), batch.messages(), batch.rejected(),
                    batch.sourceItems());
            store.noteMessagesChanged(committed.changedIds()); // the others add the new places too
            catchUp.skipOwnWrites();
            live.rejected(batch.rejected().size());
            if (committed.changedAnything() || !batch.messages().isEmpty()) {
                unsaved.add(live.add(batch.messages()));
            }
            saveResults();
        });
    }

    /** Records the failed sync; a store that cannot write even that (full) leaves it to the log. */
    private void recordFailure(String mailboxId, String error) {
        try {
            store.recordSync(mailboxId, clock.instant(), error);
        } catch (StoreException e) {
            LOG.warn("mailbox {}: the failed poll could not be recorded: {}", mailboxId, e.getMessage());
        }
    }

    /** Analyses what was stored and saves the results, with any left unsaved by an earlier failure. */
    private synchronized void analyse(List<MailMessage> stored) {
        analyse(stored, true);
    }

    /**
     * Analyses what was stored; saves the results only at the end of a poll ({@code pollEnded}). A back-fill changes
     * most conversations several times (a lead from INBOX, its replies from Sent), and each write replaces every row of
     * the conversation: writing after each analysis wrote 2.7 times the rows of one write at the end and took most of
     * a first sync (100,000 generated messages: 9–15 s of the poll against 5–8 s). Nothing leaves memory while a poll
     * runs, and the views read the analysis, not the store; a poll cut short leaves its messages without results,
     * which the next start analyses.
     */
    private synchronized void analyse(List<MailMessage> stored, boolean pollEnded) {
        try {
            lock.holding(() -> {
                catchUp();
                addStored(stored);
                if (catchUp != null) {
                    catchUp.syncCounts(); // once a poll: the copies read by all instances
                }
                if (pollEnded) {
                    saveResults();
                }
            });
        } catch (StoreException e) {
            // the database is out of reach: the messages this poll stored are analysed in memory now, and their
            // results saved after a later poll, like results a full store could not take
            addStored(stored);
            LOG.warn("results of this poll not saved yet (tried again after the next poll): {}", e.getMessage());
        }
    }

    private void addStored(List<MailMessage> stored) {
        if (!stored.isEmpty()) {
            unsaved.add(live.add(stored));
            stored.clear();
        }
    }

    /**
     * Writes the unsaved results. They are derived data (a restart recomputes them from the messages), so a store
     * that cannot write keeps them unsaved for the next poll rather than failing the poll that stored messages.
     */
    private void saveResults() {
        if (unsaved.isEmpty()) {
            if (polling.get() == 0) {
                evictInactive();
            }
            return;
        }
        int saved = 0;
        try {
            while (!unsaved.isEmpty()) {
                UnsavedResults.Part part = unsaved.next(saveChunk);
                List<ConversationAnalyzer.Result> results = part.results();
                store.replaceResultRows(part.staleConversationIds(), rows(results), leads(results), waits(results));
                unsaved.saved(part);
                saved += results.size();
            }
            if (polling.get() == 0) {
                evictInactive();
            }
        } catch (StoreException e) {
            LOG.warn("results of {} conversations not saved yet ({} saved; tried again after the next poll): {}",
                    unsaved.resultCount(), saved, e.getMessage());
        }
    }

    private static void logSummary(String mailboxId, IncrementalSource.PollSummary summary, long millis) {
        String folders = summary.folders().stream()
                .map(f -> String.format(Locale.ROOT, "%s +%d%s (%d ms)", f.folder(), f.messages(),
                        f.rejected() > 0 ? ", " + f.rejected() + " rejected" : "", f.millis()))
                .collect(Collectors.joining(", "));
        if (summary.newMessages() > 0 || summary.folders().stream().anyMatch(f -> f.rejected() > 0)) {
            LOG.info("mailbox {}: {} in {} ms", mailboxId, folders, millis);
        } else {
            LOG.debug("mailbox {}: nothing new ({}) in {} ms", mailboxId, folders, millis);
        }
    }

    /** Once every result is saved: conversations older than the horizon leave memory (the store keeps them). */
    private void evictInactive() {
        int evicted = live.evictInactiveBefore(clock.instant().minus(live.config().horizon()));
        if (evicted > 0) {
            LOG.debug("{} conversations older than the horizon ({}) left memory", evicted, live.config().horizon());
        }
    }

    /** Each conversation with its summary and the keys a later message can join it by. */
    private static List<ConversationRow> rows(List<ConversationAnalyzer.Result> results) {
        List<ConversationRow> rows = new ArrayList<>(results.size());
        for (ConversationAnalyzer.Result r : results) {
            int undated = 0;
            int automated = 0;
            for (MessageFacts f : r.facts()) {
                undated += f.message().dated() ? 0 : 1;
                automated += f.automated() ? 1 : 0;
            }
            rows.add(new ConversationRow(r.conversation(), LiveAnalysis.lastActivity(r.conversation()), undated, automated,
                    LiveAnalysis.storedKeys(r.conversation())));
        }
        return rows;
    }

    private static List<Lead> leads(List<ConversationAnalyzer.Result> results) {
        return results.stream().map(ConversationAnalyzer.Result::lead).filter(Objects::nonNull).toList();
    }

    private static List<Wait> waits(List<ConversationAnalyzer.Result> results) {
        List<Wait> waits = new ArrayList<>();
        results.forEach(r -> waits.addAll(r.waits()));
        return waits;
    }

    /** Logs the progress of a long first back-fill every few seconds: done/total, the folder's rate, time left. */
    final class ProgressLog {
        private final String mailboxId;
        private final FolderRate rate = new FolderRate();
        private Instant nextLog;

        ProgressLog(String mailboxId) {
            this.mailboxId = mailboxId;
            this.nextLog = clock.instant().plus(PROGRESS_EVERY);
        }

        void batch(IncrementalSource.Batch batch) {
            batch(batch, System.nanoTime());
        }

        /** The line logged for this batch at {@code nanoTime}, or null. */
        String batch(IncrementalSource.Batch batch, long nanoTime) {
            double perSecond = rate.perSecond(mailboxId, batch, nanoTime);
            Instant now = clock.instant();
            if (Double.isNaN(perSecond) || now.isBefore(nextLog) || batch.folderDone() >= batch.folderTotal()) {
                return null;
            }
            nextLog = now.plus(PROGRESS_EVERY);
            long left = perSecond > 0 ? (long) ((batch.folderTotal() - batch.folderDone()) / perSecond) : -1;
            String line = String.format(Locale.ROOT, "mailbox %s: %s %d/%d messages (%.0f/s), about %s left", mailboxId,
                    batch.checkpoint().folder(), batch.folderDone(), batch.folderTotal(), perSecond,
                    left < 0 ? "?" : Duration.ofSeconds(left).toString().substring(2).toLowerCase(Locale.ROOT));
            LOG.info(line);
            return line;
        }
    }
}
