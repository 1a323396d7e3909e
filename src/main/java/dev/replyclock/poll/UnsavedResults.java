package dev.replyclock.poll;

import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.sla.ConversationAnalyzer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Analysis changes not yet written to the store, folded into one: the conversations to delete and the latest result
 * of each conversation. A later change supersedes an earlier result of a conversation it makes stale.
 */
final class UnsavedResults {

    private final Set<String> stale = new LinkedHashSet<>();
    private final Map<String, ConversationAnalyzer.Result> results = new LinkedHashMap<>();

    void add(LiveAnalysis.Change change) {
        results.keySet().removeAll(change.staleConversationIds());
        stale.addAll(change.staleConversationIds());
        for (ConversationAnalyzer.Result r : change.results()) {
            results.put(r.conversation().id(), r);
        }
    }

    boolean isEmpty() {
        return stale.isEmpty() && results.isEmpty();
    }

    Set<String> staleConversationIds() {
        return Set.copyOf(stale);
    }

    List<ConversationAnalyzer.Result> results() {
        return new ArrayList<>(results.values());
    }

    void clear() {
        stale.clear();
        results.clear();
    }
}
