package dev.replyclock.report;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conversation ids by key (a link key, a normalised subject), for the live analysis. Nearly every key belongs to one
 * conversation, so that one is held as it is and a set only once a second joins it: a first sync of 1,000,000 messages
 * kept 1.37 million sets of one (about 130 bytes each) that the collector copied and marked over and over.
 */
final class ConversationIndex {

    /** A conversation id (String), or a {@code Set<String>} of two or more. */
    private final Map<String, Object> idsByKey = new HashMap<>();

    void add(String key, String conversationId) {
        Object held = idsByKey.putIfAbsent(key, conversationId);
        if (held == null || held.equals(conversationId)) {
            return;
        }
        if (held instanceof String one) {
            Set<String> ids = new HashSet<>(4);
            ids.add(one);
            ids.add(conversationId);
            idsByKey.put(key, ids);
        } else {
            setOf(held).add(conversationId);
        }
    }

    void remove(String key, String conversationId) {
        Object held = idsByKey.get(key);
        if (held instanceof String one) {
            if (one.equals(conversationId)) {
                idsByKey.remove(key);
            }
        } else if (held != null) {
            Set<String> ids = setOf(held);
            ids.remove(conversationId);
            if (ids.size() == 1) {
                idsByKey.put(key, ids.iterator().next());
            }
        }
    }

    /** The conversations holding this key: a copy, so that the caller may change the index meanwhile. */
    Collection<String> get(String key) {
        Object held = idsByKey.get(key);
        if (held == null) {
            return List.of();
        }
        return held instanceof String one ? List.of(one) : List.copyOf(setOf(held));
    }

    /** Every key with its conversations, sorted: for tests comparing two indexes. */
    java.util.SortedMap<String, java.util.SortedSet<String>> snapshot() {
        java.util.SortedMap<String, java.util.SortedSet<String>> out = new java.util.TreeMap<>();
        idsByKey.forEach((key, held) -> out.put(key, new java.util.TreeSet<>(get(key))));
        return out;
    }

    void clear() {
        idsByKey.clear();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> setOf(Object held) {
        return (Set<String>) held;
    }
}
