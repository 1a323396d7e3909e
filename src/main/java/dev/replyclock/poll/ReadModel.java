package dev.replyclock.poll;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.Counts;
import dev.replyclock.report.LeadsById;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.report.Results;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.store.ResultChanges;
import dev.replyclock.store.Store;
import dev.replyclock.store.StoredCounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The results every view reads (through the query layer), from the stored results tables rather than recomputed from
 * the mail. Leads that started and waits that opened inside a window are held in memory, ordered, with the unanswered
 * leads and unclosed waits apart, so that a figure of a recent period or of "now" costs what it reads; older ones are
 * final (the window is longer than every SLA duration: their states no longer change) and read from the store when a
 * period reaches them. The window covers what the wall, {@code /metrics} and the default pages read (120 days: the
 * 12-week trends, the month, 30 days), longer when an SLA policy needs it, and never more than the horizon.
 * Kept current by the local analysis' changes ({@link #apply}) and by {@link #refresh}, which reads the result rows
 * changed since the last change number it saw (another process writing the same store).
 */
public final class ReadModel implements Results, LeadsById {

    private static final Comparator<Lead> BY_OPEN_UNTIL = Comparator.comparing((Lead l) -> l.openUntil(),
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Lead::leadMessageId);
    private static final Comparator<Wait> WAIT_BY_OPEN_UNTIL = Comparator.comparing((Wait w) -> w.openUntil(),
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Wait::messageId);
    /** The window start moves on by whole days, so that dropping what left it is rare. */
    private static final Duration SLIDE = Duration.ofDays(1);

    private final Config config;
    private final Store store;
    private final Clock clock;
    private final Map<String, Lead> leadOfConversation = new HashMap<>();
    private final Map<String, Lead> leadById = new HashMap<>();
    private final Map<String, List<Wait>> waitsOfConversation = new HashMap<>();
    private final TreeSet<Lead> leadsByStart = new TreeSet<>(Analysis.LEAD_ORDER);
    private final TreeSet<Wait> waitsByOpening = new TreeSet<>(Analysis.WAIT_ORDER);
    private final TreeSet<Lead> unanswered = new TreeSet<>(BY_OPEN_UNTIL);
    private final TreeSet<Wait> unclosed = new TreeSet<>(WAIT_BY_OPEN_UNTIL);
    private final List<LeadWatcher> watchers = new CopyOnWriteArrayList<>();
    /** Leads started and waits opened at or after this are in memory; earlier ones are read from the store. */
    private Instant windowStart;
    private long seenSeq;
    private Counts counts;

    public ReadModel(Config config, Store store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.windowStart = clock.instant().minus(window(config));
    }

    /** 120 days, or the longest SLA duration plus 30 days when longer, within the horizon. */
    static Duration window(Config config) {
        Duration needed = Config.longestPolicyDuration(config.slaPolicies()).plus(Duration.ofDays(30));
        Duration window = needed.compareTo(Duration.ofDays(120)) > 0 ? needed : Duration.ofDays(120);
        return window.compareTo(config.horizon()) < 0 ? window : config.horizon();
    }

    /** Loads the stored leads and waits inside the window (the change number first: a change written meanwhile is read again). */
    public synchronized void load() {
        windowStart = clock.instant().minus(window(config));
        seenSeq = store.resultSeq();
        Map<String, List<Wait>> waitsOf = new HashMap<>();
        store.waitsOpenedIn(windowStart, null).forEach(w -> waitsOf.computeIfAbsent(w.conversationId(), k -> new ArrayList<>(1)).add(w));
        Set<String> ids = new HashSet<>(waitsOf.keySet());
        List<Lead> stored = store.leadsStartedIn(windowStart, null);
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
                newWaits.put(r.conversation().id(), r.waits());
            }
        }
        synchronized (this) {
            replace(ids, newLeads, newWaits);
        }
    }

    /**
     * Reads the result rows written or removed since the last change number seen, e.g. by another instance on the same
     * store; one row read when nothing changed. Returns how many conversations changed.
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

    /** Drops the leads and waits of these conversations, then adds the given ones (which belong to them) inside the window. */
    private void replace(Collection<String> conversationIds, Collection<Lead> newLeads, Map<String, List<Wait>> newWaits) {
        slide();
        conversationIds.forEach(this::drop);
        List<Lead> added = new ArrayList<>(newLeads.size());
        for (Lead l : newLeads) {
            if (l.start().isBefore(windowStart)) {
                continue; // final: read from the store
            }
            drop(l.conversationId());
            leadOfConversation.put(l.conversationId(), l);
            leadById.put(l.leadMessageId(), l);
            leadsByStart.add(l);
            if (l.firstResponse() == null) {
                unanswered.add(l);
            }
            added.add(l);
        }
        newWaits.forEach((id, list) -> {
            List<Wait> kept = list.stream().filter(w -> !w.opened().isBefore(windowStart)).toList();
            if (!kept.isEmpty()) {
                waitsOfConversation.put(id, kept);
                for (Wait w : kept) {
                    waitsByOpening.add(w);
                    if (w.closedBy() == null) {
                        unclosed.add(w);
                    }
                }
            }
        });
        counts = null;
        if (!watchers.isEmpty()) {
            Set<String> stale = Set.copyOf(conversationIds);
            watchers.forEach(w -> w.leadsChanged(stale, added));
        }
    }

    private void drop(String conversationId) {
        Lead old = leadOfConversation.remove(conversationId);
        if (old != null) {
            leadById.remove(old.leadMessageId());
            leadsByStart.remove(old);
            unanswered.remove(old);
        }
        List<Wait> oldWaits = waitsOfConversation.remove(conversationId);
        if (oldWaits != null) {
            oldWaits.forEach(waitsByOpening::remove);
            oldWaits.forEach(unclosed::remove);
        }
    }

    /** Moves the window on (by whole days) and drops from memory what left it: it is final, in the store. */
    private void slide() {
        Instant start = clock.instant().minus(window(config));
        if (start.isBefore(windowStart.plus(SLIDE))) {
            return;
        }
        windowStart = start;
        while (!leadsByStart.isEmpty() && leadsByStart.first().start().isBefore(start)) {
            Lead l = leadsByStart.pollFirst();
            leadOfConversation.remove(l.conversationId(), l);
            leadById.remove(l.leadMessageId());
            unanswered.remove(l);
        }
        while (!waitsByOpening.isEmpty() && waitsByOpening.first().opened().isBefore(start)) {
            Wait w = waitsByOpening.pollFirst();
            unclosed.remove(w);
            List<Wait> of = waitsOfConversation.get(w.conversationId());
            if (of != null) {
                List<Wait> rest = of.stream().filter(x -> x != w).toList();
                if (rest.isEmpty()) {
                    waitsOfConversation.remove(w.conversationId());
                } else {
                    waitsOfConversation.put(w.conversationId(), rest);
                }
            }
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

    /** Every lead: those before the window from the store, then those in memory. */
    @Override
    public List<Lead> leads() {
        return leadsStartedIn(null, null);
    }

    @Override
    public List<Wait> waits() {
        return waitsOpenedIn(null, null);
    }

    @Override
    public synchronized List<Lead> leadsStartedIn(Instant from, Instant to) {
        return inPeriod(from, to, store::leadsStartedIn, leadsByStart, ReadModel::probe);
    }

    @Override
    public synchronized List<Wait> waitsOpenedIn(Instant from, Instant to) {
        return inPeriod(from, to, store::waitsOpenedIn, waitsByOpening, ReadModel::probeWait);
    }

    /**
     * What started in {@code [from, to)} (a null bound is open): from the store before the window, from {@code held}
     * (ordered by start; {@code probe} sorts before everything starting at an instant) inside it.
     */
    private <T> List<T> inPeriod(Instant from, Instant to, BiFunction<Instant, Instant, List<T>> stored,
                                 NavigableSet<T> held, Function<Instant, T> probe) {
        if (from != null && to != null && !from.isBefore(to)) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        if (from == null || from.isBefore(windowStart)) {
            out.addAll(stored.apply(from, to == null || to.isAfter(windowStart) ? windowStart : to));
        }
        if (to == null || to.isAfter(windowStart)) {
            T lower = probe.apply(from == null || from.isBefore(windowStart) ? windowStart : from);
            out.addAll(to == null ? held.tailSet(lower, true) : held.subSet(lower, probe.apply(to)));
        }
        return out;
    }

    /** Unanswered leads before the window expired long ago (the window is longer than open_for): memory only. */
    @Override
    public synchronized List<Lead> unansweredAt(Instant now) {
        return openAt(unanswered, probeUntil(now), l -> l.open(now), Analysis.LEAD_ORDER);
    }

    @Override
    public synchronized List<Wait> unclosedAt(Instant now) {
        return openAt(unclosed, probeWaitUntil(now), w -> w.waiting(now), Analysis.WAIT_ORDER);
    }

    /** Of a set ordered by open-until, those open after {@code until} that {@code open} keeps, in {@code order}. */
    private static <T> List<T> openAt(NavigableSet<T> byOpenUntil, T until, Predicate<T> open, Comparator<T> order) {
        List<T> out = new ArrayList<>();
        for (T t : byOpenUntil.tailSet(until, false)) {
            if (open.test(t)) {
                out.add(t);
            }
        }
        out.sort(order);
        return out;
    }

    /** The leads inside the window: those older are final (past every SLA duration): the SLA tick has nothing to record. */
    @Override
    public synchronized List<Lead> leadsThatMayChange() {
        return new ArrayList<>(leadsByStart);
    }

    @Override
    public synchronized Optional<Lead> lead(String leadMessageId) {
        Lead l = leadById.get(leadMessageId);
        return l != null ? Optional.of(l) : store.lead(leadMessageId);
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
