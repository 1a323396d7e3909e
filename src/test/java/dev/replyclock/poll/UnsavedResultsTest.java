package dev.replyclock.poll;

import dev.replyclock.domain.Conversation;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.sla.ConversationAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results a poll writes at its end, part by part: what a part takes and what stays after it is written. */
class UnsavedResultsTest {

    private static ConversationAnalyzer.Result result(String id) {
        return new ConversationAnalyzer.Result(new Conversation(id, List.of()), List.of(), null, List.of());
    }

    private static List<String> ids(List<ConversationAnalyzer.Result> results) {
        return results.stream().map(r -> r.conversation().id()).toList();
    }

    @Test
    void partsTakeEveryStaleIdFirstAndResultsInOrderUntilNoneIsLeft() {
        UnsavedResults unsaved = new UnsavedResults();
        unsaved.add(new LiveAnalysis.Change(Set.of("old-1", "old-2"), List.of(result("a"), result("b"), result("c"))));

        UnsavedResults.Part first = unsaved.next(2);
        assertEquals(Set.of("old-1", "old-2"), first.staleConversationIds());
        assertEquals(List.of("a", "b"), ids(first.results()));
        unsaved.saved(first);

        assertFalse(unsaved.isEmpty());
        UnsavedResults.Part second = unsaved.next(2);
        assertEquals(Set.of(), second.staleConversationIds());
        assertEquals(List.of("c"), ids(second.results()));
        unsaved.saved(second);
        assertTrue(unsaved.isEmpty());
    }

    @Test
    void aResultRecomputedWhileItsPartIsWrittenStaysUnsaved() {
        UnsavedResults unsaved = new UnsavedResults();
        unsaved.add(new LiveAnalysis.Change(Set.of(), List.of(result("a"), result("b"))));
        UnsavedResults.Part part = unsaved.next(10);
        ConversationAnalyzer.Result newer = result("a");
        unsaved.add(new LiveAnalysis.Change(Set.of("a"), List.of(newer))); // a later analysis of the same conversation

        unsaved.saved(part);

        assertEquals(1, unsaved.resultCount());
        UnsavedResults.Part rest = unsaved.next(10);
        assertSame(newer, rest.results().get(0));
        assertEquals(Set.of("a"), rest.staleConversationIds(), "its rows are replaced again by the next part");
    }

    @Test
    void aFailedPartLeavesEverythingForTheNextTry() {
        UnsavedResults unsaved = new UnsavedResults();
        unsaved.add(new LiveAnalysis.Change(Set.of("old"), List.of(result("a"))));
        UnsavedResults.Part part = unsaved.next(1);
        // the store refused the part: saved(part) is never called
        UnsavedResults.Part again = unsaved.next(1);
        assertEquals(part.staleConversationIds(), again.staleConversationIds());
        assertEquals(ids(part.results()), ids(again.results()));
    }
}
