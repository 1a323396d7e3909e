package dev.replyclock.thread;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.MailMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Groups distinct messages into conversations (SPEC section 4 and 13 "Threading order"). The result depends
 * only on the set of messages: reference, Thread-Index and conversation-id links are applied to the whole set
 * first, then subject-fallback candidates in (event time, id) order.
 */
public final class Threader {

    static final Duration FALLBACK_MAX_AGE = Duration.ofDays(30);
    private static final String THREAD_INDEX_KEY = "\u0000thread-index:";
    private static final String CONVERSATION_KEY = "\u0000conversation:";

    private final Predicate<String> isExternal;

    /** @param isExternal whether an address is an external party (SPEC section 1) */
    public Threader(Predicate<String> isExternal) {
        this.isExternal = isExternal;
    }

    public List<Conversation> thread(Collection<MailMessage> distinctMessages) {
        MailMessage[] messages = distinctMessages.toArray(MailMessage[]::new);
        UnionFind links = new UnionFind(messages.length);
        Map<String, Integer> nodes = new HashMap<>(messages.length * 2);
        for (int i = 0; i < messages.length; i++) {
            nodes.put(messages[i].id(), i);
        }
        for (int i = 0; i < messages.length; i++) {
            for (String key : linkKeys(messages[i])) {
                links.union(i, nodes.computeIfAbsent(key, k -> links.add()));
            }
        }
        nodes = null; // referenced-only ids are no longer needed; free them before the fallback
        new SubjectFallback(messages, links).apply();
        return conversations(messages, links);
    }

    /**
     * The keys through which a message links to others (links 1 and 2 of SPEC section 4): its own id, the
     * ids it references, its Thread-Index root and its source conversation id. Two messages sharing a key
     * are in one conversation.
     */
    public static List<String> linkKeys(MailMessage m) {
        List<String> keys = new ArrayList<>(m.references().size() + 3);
        keys.add(m.id());
        keys.addAll(m.references());
        if (m.threadIndexRoot() != null) {
            keys.add(THREAD_INDEX_KEY + m.threadIndexRoot());
        }
        if (m.conversationHint() != null) {
            keys.add(CONVERSATION_KEY + m.conversationHint());
        }
        return keys;
    }

    /**
     * The normalised subject by which this message may take the subject fallback (SPEC section 4.3: dated, no
     * {@code In-Reply-To}/{@code References}, a reply or forward prefix, a non-empty subject), or null. Conversations
     * whose messages share only subjects that no candidate holds never merge by subject.
     */
    public static String fallbackSubject(MailMessage m) {
        return !m.dated() || !m.references().isEmpty() ? null : fallbackSubject(m, Subjects.normalise(m.subject()));
    }

    /** {@link #fallbackSubject(MailMessage)} for a caller that has normalised the message's subject already. */
    public static String fallbackSubject(MailMessage m, Subjects.Normalised subject) {
        return isCandidate(m, subject) ? subject.text() : null;
    }

    private static boolean isCandidate(MailMessage m, Subjects.Normalised subject) {
        return m.dated() && m.references().isEmpty() && subject.replyOrForward() && !subject.text().isEmpty();
    }

    private static List<Conversation> conversations(MailMessage[] messages, UnionFind links) {
        Map<Integer, List<MailMessage>> byRoot = new HashMap<>();
        for (int i = 0; i < messages.length; i++) {
            byRoot.computeIfAbsent(links.find(i), k -> new ArrayList<>(2)).add(messages[i]);
        }
        List<Conversation> result = new ArrayList<>(byRoot.size());
        for (List<MailMessage> group : byRoot.values()) {
            result.add(Conversation.of(group));
        }
        result.sort((a, b) -> Conversation.ORDER.compare(a.messages().get(0), b.messages().get(0)));
        return result;
    }

    /** Link 3 of SPEC section 4, applied after the reference links. */
    private final class SubjectFallback {
        private final MailMessage[] messages;
        private final UnionFind links;
        private final Subjects.Normalised[] subjects;
        /** Members of each component root, by message index. */
        private final Map<Integer, List<Integer>> members = new HashMap<>();
        /** Component roots by the normalised subject of their earliest dated message (may hold stale roots). */
        private final Map<String, Set<Integer>> bySubject = new HashMap<>();

        SubjectFallback(MailMessage[] messages, UnionFind links) {
            this.messages = messages;
            this.links = links;
            this.subjects = new Subjects.Normalised[messages.length];
        }

        void apply() {
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < messages.length; i++) {
                MailMessage m = messages[i];
                if (m.dated() && m.references().isEmpty() && isCandidate(m, subject(i))) {
                    candidates.add(i);
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            candidates.sort((a, b) -> Conversation.ORDER.compare(messages[a], messages[b]));
            for (int i = 0; i < messages.length; i++) {
                members.computeIfAbsent(links.find(i), k -> new ArrayList<>(2)).add(i);
            }
            for (Integer root : members.keySet()) {
                index(root);
            }
            for (int candidate : candidates) {
                for (int root : qualifyingConversations(candidate)) {
                    merge(links.find(candidate), root);
                }
            }
        }

        private List<Integer> qualifyingConversations(int candidate) {
            MailMessage c = messages[candidate];
            Set<Integer> roots = bySubject.get(subject(candidate).text());
            if (roots == null) {
                return List.of();
            }
            int own = links.find(candidate);
            Set<String> candidateParties = externalParties(Stream.of(c));
            List<Integer> qualifying = new ArrayList<>();
            for (int root : new ArrayList<>(roots)) {
                if (root == own || links.find(root) != root || qualifying.contains(root)) {
                    continue;
                }
                MailMessage newest = null;
                for (int i : members.get(root)) {
                    MailMessage m = messages[i];
                    if (i != candidate && m.dated() && !m.eventTime().isAfter(c.eventTime())
                            && (newest == null || m.eventTime().isAfter(newest.eventTime()))) {
                        newest = m;
                    }
                }
                if (newest == null || Duration.between(newest.eventTime(), c.eventTime()).compareTo(FALLBACK_MAX_AGE) > 0) {
                    continue;
                }
                if (!subject(earliestDatedIndex(root)).text().equals(subject(candidate).text())) {
                    continue;
                }
                Set<String> parties = externalParties(members.get(root).stream().map(i -> messages[i]));
                if (parties.stream().anyMatch(candidateParties::contains)) {
                    qualifying.add(root);
                }
            }
            return qualifying;
        }

        private void merge(int a, int b) {
            if (a == b) {
                return;
            }
            links.union(a, b);
            int root = links.find(a);
            int other = root == a ? b : a;
            List<Integer> kept = members.get(root);
            kept.addAll(members.remove(other));
            index(root);
        }

        private void index(int root) {
            int earliest = earliestDatedIndex(root);
            if (earliest >= 0) {
                bySubject.computeIfAbsent(subject(earliest).text(), k -> new HashSet<>()).add(root);
            }
        }

        private int earliestDatedIndex(int root) {
            int best = -1;
            for (int i : members.get(root)) {
                if (messages[i].dated() && (best < 0 || Conversation.ORDER.compare(messages[i], messages[best]) < 0)) {
                    best = i;
                }
            }
            return best;
        }

        private Subjects.Normalised subject(int i) {
            if (subjects[i] == null) {
                subjects[i] = Subjects.normalise(messages[i].subject());
            }
            return subjects[i];
        }

        private Set<String> externalParties(Stream<MailMessage> conversation) {
            Set<String> parties = new LinkedHashSet<>();
            conversation.forEach(m -> Stream.of(m.from(), m.replyTo(), m.to(), m.cc())
                    .flatMap(List::stream)
                    .filter(isExternal)
                    .forEach(parties::add));
            return parties;
        }
    }

    /** Union-find over message indexes and extra nodes (referenced-only ids, Thread-Index roots). */
    static final class UnionFind {
        private int[] parent;
        private int size;

        UnionFind(int initial) {
            parent = new int[Math.max(16, initial * 2)];
            for (int i = 0; i < initial; i++) {
                parent[i] = i;
            }
            size = initial;
        }

        int add() {
            if (size == parent.length) {
                parent = java.util.Arrays.copyOf(parent, size * 2);
            }
            parent[size] = size;
            return size++;
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        /** Joins two sets; the smaller index stays root, so message nodes win over extra nodes. */
        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra != rb) {
                if (ra < rb) {
                    parent[rb] = ra;
                } else {
                    parent[ra] = rb;
                }
            }
        }
    }
}
