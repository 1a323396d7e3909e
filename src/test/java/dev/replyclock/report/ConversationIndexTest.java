package dev.replyclock.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The compact index holds what a map of sets would, whatever the order of additions and removals. */
class ConversationIndexTest {

    @Test
    void aKeyHeldByOneThenSeveralThenOneConversationAgain() {
        ConversationIndex index = new ConversationIndex();
        index.add("subject:hello", "c1");
        index.add("subject:hello", "c1");
        assertEquals(List.of("c1"), List.copyOf(index.get("subject:hello")));
        index.add("subject:hello", "c2");
        index.add("subject:hello", "c3");
        assertEquals(Set.of("c1", "c2", "c3"), Set.copyOf(index.get("subject:hello")));
        index.remove("subject:hello", "c2");
        index.remove("subject:hello", "c1");
        assertEquals(List.of("c3"), List.copyOf(index.get("subject:hello")));
        index.remove("subject:hello", "c9"); // not there: nothing changes
        assertEquals(List.of("c3"), List.copyOf(index.get("subject:hello")));
        index.remove("subject:hello", "c3");
        assertEquals(List.of(), List.copyOf(index.get("subject:hello")));
    }

    @Test
    void whatGetReturnsStaysAsItWasWhenTheIndexChangesAfterwards() {
        ConversationIndex index = new ConversationIndex();
        index.add("k", "c1");
        index.add("k", "c2");
        Collection<String> before = index.get("k");
        index.remove("k", "c1");
        index.add("k", "c3");
        assertEquals(Set.of("c1", "c2"), Set.copyOf(before));
    }

    @Test
    void randomAdditionsAndRemovalsEqualAMapOfSets() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            ConversationIndex index = new ConversationIndex();
            Map<String, Set<String>> expected = new HashMap<>();
            for (int step = 0; step < 2_000; step++) {
                String key = "k" + random.nextInt(20);
                String id = "c" + random.nextInt(6);
                if (random.nextInt(3) == 0) {
                    index.remove(key, id);
                    Set<String> ids = expected.get(key);
                    if (ids != null) {
                        ids.remove(id);
                    }
                } else {
                    index.add(key, id);
                    expected.computeIfAbsent(key, k -> new HashSet<>()).add(id);
                }
            }
            for (int k = 0; k < 20; k++) {
                String key = "k" + k;
                List<String> held = new ArrayList<>(index.get(key));
                assertEquals(held.size(), Set.copyOf(held).size(), "seed " + seed + ", " + key + ": held twice");
                assertEquals(expected.getOrDefault(key, Set.of()), Set.copyOf(held), "seed " + seed + ", " + key);
            }
        }
    }
}
