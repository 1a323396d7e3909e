package dev.replyclock.poll;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.Counts;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.Results;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.store.ResultChanges;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The results every view reads (through the query layer): every stored lead and wait, loaded from the results tables
 * at start-up, not recomputed from the mail. Kept current by the local analysis' changes ({@link #apply}) and by
 * {@link #refresh}, which reads the result rows that changed since the last change number it saw (another process
 * writing the same store). Ordered by start and opening, and with the unanswered leads and unclosed waits apart, so
 * that a figure of a period or of "now" costs what it reads, not every lead.
 */
public final class ReadModel implements Results {

    private static final Comparator<Lead> BY_OPEN_UNTIL = Comparator.comparing((Lead l) -> l.openUntil(),
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Lead::leadMessageId);
    private static final Comparator<Wait> WAIT_BY_OPEN_UNTIL = Comparator.comparing((Wait w) -> w.openUntil(),
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Wait::messageId);

    private final Config config;
    private final Store store;
    private final Map<String, Lead> leadOfConversation = new HashMap<>();
    private final Map<String, List<Wait>> waitsOfConversation = new HashMap<>();
    private final TreeSet<Lead> leadsByStart = new TreeSet<>(Analysis.LEAD_ORDER);
    private final TreeSet<Wait> waitsByOpening = new TreeSet<>(Analysis.WAIT_ORDER);
    private final TreeSet<Lead> unanswered = new TreeSet<>(BY_OPEN_UNTIL);
    private final TreeSet<Wait> unclosed = new TreeSet<>(WAIT_BY_OPEN_UNTIL);
    private final List<LeadWatcher> watchers = new CopyOnWriteArrayList<>();
    private long seenSeq;
    private List<Lead> leads;
    private List<Wait> waits;
    private Counts counts;

    public ReadModel(Config config, Store store) {
        this.config = config;
        this.store = store;
    }

    /** Loads every stored lead and wait (the change number first: a change written meanwhile is read again, harmlessly). */
    public synchronized void load() {
        seenSeq = store.resultSeq();
        Map<String, List<Wait>> waitsOf = new HashMap<>();
        store.waits().forEach(w -> waitsOf.computeIfAbsent(w.conversationId(), k -> new ArrayList<>(1)).add(w));
        Set<String> ids = new HashSet<>(waitsOf.keySet());
        List<Lead> stored = store.leads();
        stored.forEach(l -> ids.add(l.conversationId()));
        replace(ids, stored, waitsOf);
    }

    /** Takes what the local analysis recomputed (called under its lock; does not call back). */
    public void apply(LiveAnalysis.Change change) {
        Set<String> ids = new HashSet<>(change.staleConversationIds());
        List<Lead> newLeads = new ArrayList<>();
        Map<String, List<Wait>> newWaits = new HashMap<>();
        for (ConversationAnalyzer.Result r : change.results()) {
            ids.add(r.conversation().id());
            if (r.lead() != null) {
                newLeads.add(r.lead());
            }
            if (!r.waits().isEmpty()) {
                newWaits.put(r.conversation().id(), List.copyOf(r.waits()));
            }
        }
        synchronized (this) {
            replace(ids, newLeads, newWaits);
        }
    }

    /**
     * Reads the result rows written or removed since the last change number seen, e.g. by another instance on the same
     * store; cheap when nothing changed (one row read). Returns how many conversations changed.
     */
    public int refresh() {
        long seen;
        synchronized (this) {
            seen = seenSeq;
        }
        ResultChanges.Since since = store.resultChangesSince(seen);
        synchronized (this) {
            if (since.seq() > seenSeq) {
                Map<String, List<Wait>> waitsOf = new HashMap<>();
                since.waits().forEach(w -> waitsOf.computeIfAbsent(w.conversationId(), k -> new ArrayList<>(1)).add(w));
                replace(since.conversationIds(), since.leads(), waitsOf);
                seenSeq = since.seq();
            }
        }
        return since.conversationIds().size();
    }

    /** Drops the leads and waits of these conversations, then adds the given ones (which belong to them). */
    private void replace(Collection<String> conversationIds, Collection<Lead> newLeads, Map<String, List<Wait>> newWaits) {
        for (String id : conversationIds) {
            Lead old = leadOfConversation.remove(id);
            if (old != null) {
                leadsByStart.remove(old);
                unanswered.remove(old);
            }
            List<Wait> oldWaits = waitsOfConversation.remove(id);
            if (oldWaits != null) {
                oldWaits.forEach(waitsByOpening::remove);
                oldWaits.forEach(unclosed::remove);
            }
        }
        List<Lead> added = new ArrayList<>(newLeads.size());
        for (Lead l : newLeads) {
            Lead old = leadOfConversation.put(l.conversationId(), l);
            if (old != null) {
                leadsByStart.remove(old);
                unanswered.remove(old);
            }
            leadsByStart.add(l);
            if (l.firstResponse() == null) {
                unanswered.add(l);
            }
            added.add(l);
        }
        newWaits.forEach((id, list) -> {
            waitsOfConversation.put(id, list);
            for (Wait w : list) {
                waitsByOpening.add(w);
                if (w.closedBy() == null) {
                    unclosed.add(w);
                }
            }
        });
        leads = null;
        waits = null;
        counts = null;
        if (!watchers.isEmpty()) {
            Set<String> stale = Set.copyOf(conversationIds);
            watchers.forEach(w -> w.leadsChanged(stale, added));
        }
    }

    @Override
    public Config config() {
        return config;
    }

    /** The reading counts from the store's counters and conversation rows, read again after a change. */
    @Override
    public Counts counts() {
        synchronized (this) {
            if (counts != null) {
                return counts;
            }
        }
        StoredCounts stored = store.counts();
        long[] c = store.conversationCounts();
        Counts fresh = new Counts(stored.copies(), stored.rejected(), stored.messages(), stored.duplicates(), c[1], c[2], c[3]);
        synchronized (this) {
            counts = fresh;
        }
        return fresh;
    }

    @Override
    public synchronized List<Lead> leads() {
        if (leads == null) {
            leads = List.copyOf(leadsByStart);
        }
        return leads;
    }

    @Override
    public synchronized List<Wait> waits() {
        if (waits == null) {
            waits = List.copyOf(waitsByOpening);
        }
        return waits;
    }

    @Override
    public synchronized List<Lead> leadsStartedIn(Instant from, Instant to) {
        if (from == null || to == null) {
            return Results.super.leadsStartedIn(from, to);
        }
        if (!from.isBefore(to)) {
            return List.of();
        }
        return new ArrayList<>(leadsByStart.subSet(probe(from), probe(to)));
    }

    @Override
    public synchronized List<Wait> waitsOpenedIn(Instant from, Instant to) {
        if (from == null || to == null) {
            return Results.super.waitsOpenedIn(from, to);
        }
        if (!from.isBefore(to)) {
            return List.of();
        }
        return new ArrayList<>(waitsByOpening.subSet(probeWait(from), probeWait(to)));
    }

    @Override
    public synchronized List<Lead> unansweredAt(Instant now) {
        List<Lead> out = new ArrayList<>();
        for (Lead l : unanswered.tailSet(probeUntil(now), false)) {
            if (l.open(now)) {
                out.add(l);
            }
        }
        out.sort(Analysis.LEAD_ORDER);
        return out;
    }

    @Override
    public synchronized List<Wait> unclosedAt(Instant now) {
        List<Wait> out = new ArrayList<>();
        for (Wait w : unclosed.tailSet(probeWaitUntil(now), false)) {
            if (w.waiting(now)) {
                out.add(w);
            }
        }
        out.sort(Analysis.WAIT_ORDER);
        return out;
    }

    @Override
    public boolean watch(LeadWatcher watcher) {
        watchers.add(Objects.requireNonNull(watcher));
        return true;
    }

    /** Sorts before every lead started at {@code t} (the empty id is the least). */
    private static Lead probe(Instant t) {
        return new Lead("", "", "", null, null, t, t, t, null, 0, null, false, null, null);
    }

    /** Sorts after every lead open until {@code t} exactly (no id is greater), so the tail holds those open later. */
    private static Lead probeUntil(Instant t) {
        return new Lead("\uffff", "", "", null, null, t, t, t, null, 0, null, false, t, null);
    }

    private static Wait probeWait(Instant t) {
        return new Wait("", "", "", null, t, null, null);
    }

    private static Wait probeWaitUntil(Instant t) {
        return new Wait("\uffff", "", "", null, t, null, t);
    }
}
