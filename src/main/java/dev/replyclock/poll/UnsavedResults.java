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

    int resultCount() {
        return results.size();
    }

    /** What one results transaction writes: every stale conversation and at most {@code maxResults} results. */
    record Part(Set<String> staleConversationIds, List<ConversationAnalyzer.Result> results) {
    }

    Part next(int maxResults) {
        List<ConversationAnalyzer.Result> first = new ArrayList<>(Math.min(maxResults, results.size()));
        for (ConversationAnalyzer.Result r : results.values()) {
            if (first.size() == maxResults) {
                break;
            }
            first.add(r);
        }
        return new Part(Set.copyOf(stale), first);
    }

    /** Drops what a part wrote; what was added since stays. */
    void saved(Part part) {
        stale.removeAll(part.staleConversationIds());
        for (ConversationAnalyzer.Result r : part.results()) {
            String id = r.conversation().id();
            if (results.get(id) == r) { // the same analysis, not a later one of the conversation
                results.remove(id);
            }
        }
    }
}
