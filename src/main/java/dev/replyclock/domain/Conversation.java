package dev.replyclock.domain;

import java.util.Comparator;
import java.util.List;

/**
 * Messages threaded together (SPEC section 4), in {@link #ORDER}: dated ones by (event time, id), undated last.
 * The conversation's id is that of its first message in that order.
 */
public record Conversation(String id, List<MailMessage> messages) {

    /** (event time, id) with undated messages after every dated one. */
    public static final Comparator<MailMessage> ORDER = Comparator
            .comparing(MailMessage::eventTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MailMessage::id);

    public static Conversation of(List<MailMessage> messages) {
        List<MailMessage> sorted = messages.stream().sorted(ORDER).toList();
        return new Conversation(sorted.get(0).id(), sorted);
    }
}
