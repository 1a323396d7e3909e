package dev.replyclock.poll;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.report.Counts;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.FeedMarks;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;

import java.util.List;
import java.util.function.Consumer;

/**
 * Brings this instance's live analysis up to date with what other instances wrote to the shared store since it last
 * looked: the messages they stored (by seq), the stored messages whose places or time they changed, and the
 * dispositions they set or withdrew; then takes the reading counts from the store. Call it holding the
 * {@link ClusterLock}: the other instances then write nothing meanwhile, so nothing between two marks is missed.
 */
public final class CatchUp {

    /** Seqs read per query: a long back-fill by another instance is caught up in pages. */
    private static final int PAGE = 5_000;

    private final Store store;
    private final LiveAnalysis live;
    /** Null until {@link #start}. */
    private FeedMarks marks;

    public CatchUp(Store store, LiveAnalysis live) {
        this.store = store;
        this.live = live;
    }

    /**
     * Notes where the feeds stand; call before loading the store (dispositions included), so that nothing written
     * meanwhile is missed. Only the first call counts.
     */
    public synchronized void start() {
        if (marks == null) {
            marks = store.feedMarks();
        }
    }

    /** Adds what others wrote since the marks; each recomputation goes to {@code changes}. Holding the lock. */
    public synchronized void run(Consumer<LiveAnalysis.Change> changes) {
        if (marks == null) {
            return;
        }
        FeedMarks now = store.feedMarks();
        if (now.equals(marks)) {
            return; // nothing written since: no counts to read either (they cost a scan of a large store)
        }
        for (long after = marks.messageSeq(); after < now.messageSeq(); after += PAGE) {
            List<MailMessage> page = store.messagesAfter(after, Math.min(after + PAGE, now.messageSeq()));
            if (!page.isEmpty()) {
                changes.accept(live.add(page));
            }
        }
        if (now.changeSeq() > marks.changeSeq()) {
            changes.accept(live.add(store.messagesChangedAfter(marks.changeSeq(), now.changeSeq())));
        }
        if (now.dispositionSeq() > marks.dispositionSeq()) {
            for (String lead : store.dispositionsChangedAfter(marks.dispositionSeq(), now.dispositionSeq())) {
                changes.accept(live.dispose(lead, store.disposition(lead).orElse(null)));
            }
        }
        marks = now;
        syncCounts();
    }

    /** After this instance's own write (holding the lock, right after {@link #run}): nothing of it is to catch up. */
    public synchronized void skipOwnWrites() {
        if (marks != null) {
            marks = store.feedMarks();
        }
    }

    /**
     * The reading counts (copies, duplicates, rejected) are the store's: the other instances read copies this one
     * never saw, and catching up adds their messages, not their copies.
     */
    public synchronized void syncCounts() {
        if (marks == null) {
            return;
        }
        StoredCounts stored = store.counts();
        Counts counts = live.counts();
        live.restore(List.of(), stored.copies() - counts.files(), stored.duplicates() - counts.duplicates(),
                stored.rejected() - counts.unreadable());
    }
}
