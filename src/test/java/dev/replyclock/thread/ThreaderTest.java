package dev.replyclock.thread;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThreaderTest {

    private final Threader threader = new Threader(a -> !a.endsWith("@acme.example"));

    static MailMessage message(String id, String time, String subject, String from, String to, String... refs) {
        return new MailMessage(id, List.of(refs), subject, List.of(from), null, List.of(), List.of(to), List.of(),
                time == null ? null : Instant.parse(time), null, null, 0, null,
                List.of(new Place("m", "inbox", true)));
    }

    private Set<Set<String>> groups(List<MailMessage> messages) {
        Set<Set<String>> out = new java.util.HashSet<>();
        for (Conversation c : threader.thread(messages)) {
            Set<String> ids = new TreeSet<>();
            c.messages().forEach(m -> ids.add(m.id()));
            out.add(ids);
        }
        return out;
    }

    @Test
    void idsThatAreOnlyReferencedStillLinkTheirReferrers() {
        List<MailMessage> messages = List.of(
                message("a@x", "2024-02-26T09:00:00Z", "offer", "uwe@x.example", "sales@acme.example", "missing@acme.example"),
                message("b@x", "2024-02-26T10:00:00Z", "offer", "uwe@x.example", "sales@acme.example", "missing@acme.example"));
        assertEquals(Set.of(Set.of("a@x", "b@x")), groups(messages));
    }

    @Test
    void subjectFallbackNeedsASharedExternalPartyAndAtMostThirtyDays() {
        List<MailMessage> messages = List.of(
                message("1@x", "2024-02-26T09:00:00Z", "Angebot", "klaus@firma.example", "sales@acme.example"),
                message("2@a", "2024-02-26T10:00:00Z", "Re: Angebot", "alice@acme.example", "klaus@firma.example", "1@x"),
                message("3@x", "2024-02-27T08:30:00Z", "AW: Angebot", "klaus@firma.example", "alice@acme.example"),
                message("4@y", "2024-02-27T13:00:00Z", "AW: Angebot", "sabine@andere.example", "sales@acme.example"),
                message("5@x", "2024-04-27T08:30:00Z", "AW: Angebot", "klaus@firma.example", "alice@acme.example"));
        assertEquals(Set.of(Set.of("1@x", "2@a", "3@x"), Set.of("4@y"), Set.of("5@x")), groups(messages));
    }

    @Test
    void resultDoesNotDependOnTheOrderMessagesArrive() {
        List<MailMessage> messages = new ArrayList<>(List.of(
                message("1@x", "2024-02-26T09:00:00Z", "Angebot", "klaus@firma.example", "sales@acme.example"),
                message("2@a", "2024-02-26T10:00:00Z", "Re: Angebot", "alice@acme.example", "klaus@firma.example", "1@x"),
                message("3@x", "2024-02-27T08:30:00Z", "AW: Angebot", "klaus@firma.example", "alice@acme.example"),
                message("4@x", "2024-02-28T08:30:00Z", "AW: AW: Angebot", "klaus@firma.example", "alice@acme.example"),
                message("6@z", null, "Re: Angebot", "klaus@firma.example", "alice@acme.example"),
                message("7@z", "2024-02-28T09:30:00Z", "Other", "olga@kunde.example", "sales@acme.example", "ghost@y"),
                message("8@z", "2024-02-28T09:40:00Z", "Re: Other", "bob@acme.example", "olga@kunde.example", "ghost@y")));
        Set<Set<String>> expected = groups(messages);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(messages, random);
            assertEquals(expected, groups(messages));
        }
        assertEquals(Set.of(Set.of("1@x", "2@a", "3@x", "4@x"), Set.of("6@z"), Set.of("7@z", "8@z")), expected);
    }
}
