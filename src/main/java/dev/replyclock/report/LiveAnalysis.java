package dev.replyclock.report;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Wait;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.sla.Roster;
import dev.replyclock.thread.MessageSet;
import dev.replyclock.thread.Subjects;
import dev.replyclock.thread.Threader;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The analysis kept up to date as mail arrives: new messages recompute only the conversations they can
 * change, and the result equals what {@link Analysis} gives for the same set of messages (SPEC section 13
 * "Threading order"). The recomputed set is closed under the reference links (a shared id, Thread-Index root
 * or conversation id) and under equal normalised subjects that a subject-fallback candidate holds (the only
 * subjects the fallback compares: {@link Threader#fallbackSubject}), so
 * threading it alone gives what threading everything would.
 *
 * <p>With an {@link Archive}, conversations whose newest message is older than a horizon can be evicted
 * ({@link #evictInactiveBefore}): their results stay in the store. A message that links to one of them (an id, a
 * reference, a Thread-Index root, a conversation id or an equal normalised subject: {@link #storedKeys}) brings it
 * back first, with whatever it links to in turn, so the closure above is complete again.
 */
public final class LiveAnalysis implements Results {

    /** What one {@link #add} changed: conversations that no longer exist, and the recomputed ones. */
    public record Change(Set<String> staleConversationIds, List<ConversationAnalyzer.Result> results) {
        public boolean isEmpty() {
            return staleConversationIds.isEmpty() && results.isEmpty();
        }
    }

    private final Config config;
    private final Threader threader;
    private final ConversationAnalyzer analyzer;
    private final MessageSet messages = new MessageSet();
    private final Map<String, ConversationAnalyzer.Result> conversations = new HashMap<>();
    private final Map<String, String> conversationOfMessage = new HashMap<>();
    private final ConversationIndex conversationsByKey = new ConversationIndex();
    private final ConversationIndex conversationsBySubject = new ConversationIndex();
    private final SubjectCache subjects = new SubjectCache();
    /**
     * How many messages in memory may take the subject fallback, by their normalised subject: a subject no candidate
     * holds links nothing (the 10,000 bounces titled "Undelivered Mail Returned to Sender" of a big mailbox are not
     * recomputed with every new bounce).
     */
    private final Map<String, Integer> candidateSubjects = new HashMap<>();
    private long copies;
    private long duplicates;
    private long rejected;
    private long undated;
    private long automated;
    private List<Lead> leads;
    private List<Wait> waits;
    private final List<LeadWatcher> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Standing dispositions by lead message id (SPEC section 14), applied whenever their conversation is analysed. */
    private final Map<String, Disposition> dispositions = new HashMap<>();
    private final List<java.util.function.Consumer<Change>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Archive archive = Archive.NONE;
    /** Whether the archive may hold conversations that are not in memory (false: looking there finds nothing new). */
    private boolean archiveHoldsOthers = true;
    /** No conversation in memory has its newest dated message before this (null: not known, scan). */
    private java.time.Instant oldestKept;
    private static final String SUBJECT_KEY = "subject:";
    private static final int PARALLEL_FROM = 2_000;

    public LiveAnalysis(Config config) {
        this.config = config;
        Roster roster = new Roster(config);
        this.threader = new Threader(roster::isExternal);
        this.analyzer = new ConversationAnalyzer(config, roster);
    }

    /** Conversations outside the horizon are read from here when a message links to them. */
    public synchronized void useArchive(Archive archive) {
        this.archive = java.util.Objects.requireNonNull(archive);
    }

    /**
     * Says whether the archive holds conversations that are not in memory (a start on a store whose every message was
     * loaded says no, and a first back-fill then asks the archive nothing until a conversation leaves memory).
     */
    public synchronized void archiveHoldsOthers(boolean holds) {
        this.archiveHoldsOthers = holds;
    }

    /** Told of every change (under this object's lock: do not call back), e.g. by the read model. */
    public void onChange(java.util.function.Consumer<Change> listener) {
        changeListeners.add(java.util.Objects.requireNonNull(listener));
    }

    /**
     * Loads merged messages kept from earlier runs, with the counts that went with them, and analyses
     * everything once.
     */
    public synchronized Change restore(Collection<MailMessage> stored, long storedCopies, long storedDuplicates,
                                       long storedRejected) {
        copies += storedCopies;
        duplicates += storedDuplicates;
        rejected += storedRejected;
        return recompute(stored, Set.of());
    }

    /**
     * Takes stored messages that have no results yet (a stop before they were saved), with the stored conversations they
     * link to, and the counts kept from earlier runs; everything else stays in the store until a message links to it.
     */
    public synchronized Change restoreLinked(Collection<MailMessage> unthreaded, long storedCopies, long storedDuplicates,
                                             long storedRejected) {
        copies += storedCopies;
        duplicates += storedDuplicates;
        rejected += storedRejected;
        Set<MailMessage> changed = new LinkedHashSet<>();
        Set<String> archived = bringBackLinked(unthreaded, changed);
        changed.addAll(unthreaded);
        return recompute(changed, archived);
    }

    /** Adds copies just read (new messages or further copies of known ones) and recomputes what they touch. */
    public synchronized Change add(Collection<MailMessage> newCopies) {
        copies += newCopies.size();
        Set<MailMessage> changed = new LinkedHashSet<>();
        Set<String> archived = bringBackLinked(newCopies, changed);
        for (MailMessage copy : newCopies) {
            MailMessage before = messages.get(copy.id());
            if (!messages.add(copy)) {
                duplicates++;
            }
            MailMessage after = messages.get(copy.id());
            if (!after.equals(before)) {
                changed.remove(after); // a loaded copy is replaced by the merged one
                changed.add(after);
            }
        }
        return recompute(changed, archived);
    }

    /**
     * Loads the stored conversations that these messages link to and that are not in memory, with those their messages
     * link to in turn; adds their messages to {@code into} and returns their ids (stale: they are recomputed).
     */
    private Set<String> bringBackLinked(Collection<MailMessage> incoming, Set<MailMessage> into) {
        if (archive == Archive.NONE || !archiveHoldsOthers) {
            return Set.of();
        }
        Set<String> loaded = new HashSet<>();
        Collection<MailMessage> frontier = incoming;
        while (!frontier.isEmpty()) {
            Set<String> ids = new HashSet<>();
            Set<String> keys = new HashSet<>();
            for (MailMessage m : frontier) {
                ids.add(m.id());
                ids.addAll(m.references());
                keys.addAll(Threader.linkKeys(m));
                String subject = subjectKey(subjects.normalise(m.subject()));
                if (subject != null) {
                    keys.add(SUBJECT_KEY + subject);
                }
            }
            Set<String> wanted = new HashSet<>(archive.linkedTo(ids, keys));
            wanted.removeIf(id -> conversations.containsKey(id) || loaded.contains(id));
            List<MailMessage> next = new ArrayList<>();
            archive.messages(wanted).forEach((id, stored) -> {
                loaded.add(id);
                for (MailMessage m : stored) {
                    if (messages.get(m.id()) == null) {
                        messages.add(m);
                        into.add(m);
                        next.add(m);
                    }
                }
            });
            frontier = next;
        }
        return loaded;
    }

    /**
     * Sets (or with null {@code disposition}, withdraws) the disposition of a lead and recomputes its conversation;
     * a lead not known yet gets it once its message arrives.
     */
    public synchronized Change dispose(String leadMessageId, Disposition disposition) {
        if (disposition == null) {
            dispositions.remove(leadMessageId);
        } else {
            dispositions.put(leadMessageId, disposition);
        }
        Set<MailMessage> changed = new LinkedHashSet<>();
        MailMessage message = messages.get(leadMessageId);
        Set<String> archived = Set.of();
        if (message == null) {
            archived = bringBackLinked(List.of(new MailMessage(leadMessageId, List.of(), null, List.of(), null, List.of(),
                    List.of(), List.of(), null, null, null, 0, null, List.of())), changed);
        } else {
            changed.add(message);
        }
        return changed.isEmpty() ? new Change(Set.of(), List.of()) : recompute(changed, archived);
    }

    /** Loads the standing dispositions before {@link #restore}, so that the first analysis applies them. */
    public synchronized void restoreDispositions(Collection<Disposition> standing) {
        standing.forEach(d -> dispositions.put(d.leadMessageId(), d));
    }

    /** Counts messages that could not be read (recorded elsewhere with their reasons). */
    public synchronized void rejected(long count) {
        rejected += count;
    }

    private Change recompute(Collection<MailMessage> changed, Set<String> archived) {
        if (changed.isEmpty() && archived.isEmpty()) {
            return new Change(Set.of(), List.of());
        }
        for (MailMessage m : changed) {
            if (messages.get(m.id()) == null) {
                messages.add(m); // restore(): load into the set without counting copies
            }
        }
        Set<String> affected = affectedConversations(changed);
        Set<String> stale = new HashSet<>(affected);
        stale.addAll(archived);
        Map<String, ConversationAnalyzer.Result> before = new HashMap<>();
        Map<String, MailMessage> subset = new HashMap<>();
        for (String conversationId : affected) {
            ConversationAnalyzer.Result old = conversations.get(conversationId);
            before.put(conversationId, old);
            for (MailMessage m : old.conversation().messages()) {
                subset.put(m.id(), messages.get(m.id()));
            }
        }
        changed.forEach(m -> subset.put(m.id(), messages.get(m.id())));
        List<Conversation> threaded = threader.thread(subset.values());
        // Conversations are independent: a large set (a restart, a back-fill) is analysed on every core.
        List<ConversationAnalyzer.Result> analysed = threaded.size() < PARALLEL_FROM
                ? threaded.stream().map(c -> analyzer.analyze(c, dispositions::get)).toList()
                : threaded.parallelStream().map(c -> analyzer.analyze(c, dispositions::get)).toList();
        reindex(before, analysed);
        List<ConversationAnalyzer.Result> results = new ArrayList<>(analysed);
        leads = null;
        waits = null;
        if (!watchers.isEmpty()) {
            List<Lead> changedLeads = results.stream().map(ConversationAnalyzer.Result::lead)
                    .filter(java.util.Objects::nonNull).toList();
            watchers.forEach(w -> w.leadsChanged(stale, changedLeads));
        }
        Change change = new Change(stale, results);
        changeListeners.forEach(l -> l.accept(change));
        return change;
    }

    private Set<String> affectedConversations(Collection<MailMessage> changed) {
        Set<String> affected = new HashSet<>();
        Deque<MailMessage> toScan = new ArrayDeque<>(changed);
        for (MailMessage m : changed) {
            String own = conversationOfMessage.get(m.id());
            if (own != null) {
                addConversation(own, affected, toScan);
            }
            for (String key : Threader.linkKeys(m)) {
                for (String id : conversationsByKey.get(key)) {
                    addConversation(id, affected, toScan);
                }
            }
        }
        // Subjects only link through a fallback candidate: one in memory, or one of the changed messages.
        Set<String> changedCandidates = new HashSet<>();
        for (MailMessage m : changed) {
            String subject = Threader.fallbackSubject(m);
            if (subject != null) {
                changedCandidates.add(subject);
            }
        }
        Set<String> subjectsSeen = new HashSet<>();
        while (!toScan.isEmpty()) {
            String subject = subjectKey(subjects.normalise(toScan.poll().subject()));
            if (subject != null && (candidateSubjects.containsKey(subject) || changedCandidates.contains(subject))
                    && subjectsSeen.add(subject)) {
                for (String id : conversationsBySubject.get(subject)) {
                    addConversation(id, affected, toScan);
                }
            }
        }
        return affected;
    }

    private void addConversation(String id, Set<String> affected, Deque<MailMessage> toScan) {
        if (affected.add(id)) {
            toScan.addAll(conversations.get(id).conversation().messages());
        }
    }

    /**
     * Moves the indexes from the conversations before a recompute to those after it. One that keeps its id and every one
     * of its messages (the same objects: a reply joined it) keeps its entries, and only its new messages are indexed: a
     * back-fill recomputes most conversations once more when their replies arrive from Sent, and indexing all their
     * messages again (forget, then remember) was the larger part of its analysis. Every other one is forgotten first
     * (a merged conversation's messages belong to another now), then the new ones are indexed.
     */
    private void reindex(Map<String, ConversationAnalyzer.Result> before, List<ConversationAnalyzer.Result> after) {
        Map<String, Set<MailMessage>> grown = new HashMap<>(); // by id: the messages it had, as objects
        for (ConversationAnalyzer.Result r : after) {
            ConversationAnalyzer.Result old = before.get(r.conversation().id());
            if (old != null) {
                Set<MailMessage> had = identitySet(old.conversation().messages());
                int kept = 0;
                for (MailMessage m : r.conversation().messages()) {
                    kept += had.contains(m) ? 1 : 0;
                }
                if (kept == had.size()) {
                    grown.put(r.conversation().id(), had);
                }
            }
        }
        for (Map.Entry<String, ConversationAnalyzer.Result> e : before.entrySet()) {
            if (grown.containsKey(e.getKey())) {
                conversations.remove(e.getKey());
                countFacts(e.getValue(), -1);
            } else {
                forget(e.getKey());
            }
        }
        for (ConversationAnalyzer.Result r : after) {
            Set<MailMessage> had = grown.get(r.conversation().id());
            keep(r);
            for (MailMessage m : r.conversation().messages()) {
                if (had == null || !had.contains(m)) {
                    index(m, r.conversation().id());
                }
            }
        }
    }

    private static Set<MailMessage> identitySet(List<MailMessage> messages) {
        Set<MailMessage> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>(messages.size() * 2));
        set.addAll(messages);
        return set;
    }

    private void remember(ConversationAnalyzer.Result r) {
        keep(r);
        r.conversation().messages().forEach(m -> index(m, r.conversation().id()));
    }

    /** Holds the result and counts its facts; its messages are indexed apart. */
    private void keep(ConversationAnalyzer.Result r) {
        java.time.Instant last = lastActivity(r.conversation());
        if (last != null && oldestKept != null && last.isBefore(oldestKept)) {
            oldestKept = last;
        }
        conversations.put(r.conversation().id(), r);
        countFacts(r, 1);
    }

    private void index(MailMessage m, String conversationId) {
        conversationOfMessage.put(m.id(), conversationId);
        for (String key : Threader.linkKeys(m)) {
            conversationsByKey.add(key, conversationId);
        }
        Subjects.Normalised normalised = subjects.normalise(m.subject()); // once: the index and the candidates
        String subject = subjectKey(normalised);
        if (subject != null) {
            conversationsBySubject.add(subject, conversationId);
        }
        String candidate = Threader.fallbackSubject(m, normalised);
        if (candidate != null) {
            candidateSubjects.merge(candidate, 1, Integer::sum);
        }
    }

    private void countFacts(ConversationAnalyzer.Result r, int sign) {
        for (MessageFacts f : r.facts()) {
            undated += f.message().dated() ? 0 : sign;
            automated += f.automated() ? sign : 0;
        }
    }

    private void forget(String id) {
        ConversationAnalyzer.Result r = conversations.remove(id);
        for (MailMessage m : r.conversation().messages()) {
            conversationOfMessage.remove(m.id());
            for (String key : Threader.linkKeys(m)) {
                conversationsByKey.remove(key, id);
            }
            Subjects.Normalised normalised = subjects.normalise(m.subject());
            String subject = subjectKey(normalised);
            if (subject != null) {
                conversationsBySubject.remove(subject, id);
            }
            String candidate = Threader.fallbackSubject(m, normalised);
            if (candidate != null) {
                candidateSubjects.computeIfPresent(candidate, (k, n) -> n == 1 ? null : n - 1);
            }
        }
        countFacts(r, -1);
    }

    /**
     * Forgets {@code evicted}, more than half of the conversations in memory (the first sync of a long history leaves
     * nearly all of them behind the horizon): what stays is indexed again from scratch instead of removing the others'
     * entries one by one (a million removals from five maps: a fifth of the last step of a 1,000,000-message sync).
     * The same state as {@link #forget} of each.
     */
    private void forgetMost(List<String> evicted) {
        Set<String> gone = new HashSet<>(evicted);
        messages.removeIf(m -> gone.contains(conversationOfMessage.get(m.id())));
        List<ConversationAnalyzer.Result> kept = new ArrayList<>(conversations.size() - gone.size());
        for (ConversationAnalyzer.Result r : conversations.values()) {
            if (!gone.contains(r.conversation().id())) {
                kept.add(r);
            }
        }
        conversations.clear();
        conversationOfMessage.clear();
        conversationsByKey.clear();
        conversationsBySubject.clear();
        candidateSubjects.clear();
        undated = 0;
        automated = 0;
        kept.forEach(this::remember);
    }

    private static String subjectKey(MailMessage m) {
        return subjectKey(Subjects.normalise(m.subject()));
    }

    private static String subjectKey(Subjects.Normalised subject) {
        return subject.text().isEmpty() ? null : subject.text();
    }

    @Override
    public boolean watch(LeadWatcher watcher) {
        watchers.add(java.util.Objects.requireNonNull(watcher));
        return true;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public synchronized Counts counts() {
        return new Counts(copies, rejected, messages.size(), duplicates, undated, automated, conversations.size());
    }

    @Override
    public synchronized List<Lead> leads() {
        if (leads == null) {
            leads = conversations.values().stream().map(ConversationAnalyzer.Result::lead)
                    .filter(java.util.Objects::nonNull).sorted(Analysis.LEAD_ORDER).toList();
        }
        return leads;
    }

    @Override
    public synchronized List<Wait> waits() {
        if (waits == null) {
            waits = conversations.values().stream().flatMap(r -> r.waits().stream()).sorted(Analysis.WAIT_ORDER).toList();
        }
        return waits;
    }

    /**
     * The analysed conversation holding this message (a lead's message id, say), if any; one outside the horizon is
     * read from the archive and analysed for the caller, not kept.
     */
    public synchronized java.util.Optional<ConversationAnalyzer.Result> conversationOf(String messageId) {
        String id = conversationOfMessage.get(messageId);
        if (id != null || archive == Archive.NONE) {
            return java.util.Optional.ofNullable(id == null ? null : conversations.get(id));
        }
        Map<String, List<MailMessage>> stored = archive.messages(archive.linkedTo(List.of(messageId), List.of()));
        for (List<MailMessage> group : stored.values()) {
            for (Conversation c : threader.thread(group)) {
                if (c.messages().stream().anyMatch(m -> m.id().equals(messageId))) {
                    return java.util.Optional.of(analyzer.analyze(c, dispositions::get));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Forgets the conversations whose newest dated message is before {@code cutoff} (their results are saved: the
     * caller says so by calling). Costs a scan of the conversations in memory only when one may have crossed it.
     * Returns how many were forgotten.
     */
    public synchronized int evictInactiveBefore(java.time.Instant cutoff) {
        if (archive == Archive.NONE || (oldestKept != null && !oldestKept.isBefore(cutoff))) {
            return 0;
        }
        java.time.Instant oldest = null;
        List<String> evict = new ArrayList<>();
        for (ConversationAnalyzer.Result r : conversations.values()) {
            java.time.Instant last = lastActivity(r.conversation());
            if (last != null && last.isBefore(cutoff)) {
                evict.add(r.conversation().id());
            } else if (last != null && (oldest == null || last.isBefore(oldest))) {
                oldest = last;
            }
        }
        if (evict.size() * 2 > conversations.size()) {
            forgetMost(evict);
        } else {
            for (String id : evict) {
                for (MailMessage m : conversations.get(id).conversation().messages()) {
                    messages.remove(m.id());
                }
                forget(id);
            }
        }
        oldestKept = oldest == null ? java.time.Instant.MAX : oldest;
        archiveHoldsOthers |= !evict.isEmpty();
        if (!evict.isEmpty()) {
            leads = null;
            waits = null;
        }
        return evict.size();
    }

    /** The newest event time of a conversation's dated messages, or null. */
    public static java.time.Instant lastActivity(Conversation conversation) {
        java.time.Instant last = null;
        for (MailMessage m : conversation.messages()) {
            if (m.eventTime() != null && (last == null || m.eventTime().isAfter(last))) {
                last = m.eventTime();
            }
        }
        return last;
    }

    /**
     * The keys a later message can join this conversation by, besides the ids of its own messages: the link keys of
     * its messages ({@link Threader#linkKeys}) that are not its message ids, and its normalised subjects.
     */
    public static Set<String> storedKeys(Conversation conversation) {
        Set<String> own = new HashSet<>();
        conversation.messages().forEach(m -> own.add(m.id()));
        Set<String> keys = new HashSet<>();
        for (MailMessage m : conversation.messages()) {
            for (String key : Threader.linkKeys(m)) {
                if (!own.contains(key)) {
                    keys.add(key);
                }
            }
            String subject = subjectKey(m);
            if (subject != null) {
                keys.add(SUBJECT_KEY + subject);
            }
        }
        return keys;
    }

    /** The indexes that decide what a new message recomputes, sorted: for tests comparing two analyses. */
    synchronized List<Object> indexes() {
        return List.of(new java.util.TreeMap<>(conversationOfMessage), conversationsByKey.snapshot(),
                conversationsBySubject.snapshot(), new java.util.TreeMap<>(candidateSubjects), undated, automated);
    }

    public synchronized int messageCount() {
        return messages.size();
    }
}
