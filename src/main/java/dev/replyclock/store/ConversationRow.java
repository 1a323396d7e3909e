package dev.replyclock.store;

import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.MailMessage;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A conversation as the results tables keep it: its messages, the newest event time of its dated messages (null when
 * none is dated), its undated and automated message counts, and the keys a later message can join it by besides the
 * ids of its own messages (see V9).
 */
public record ConversationRow(Conversation conversation, Instant lastActivity, int undated, int automated, Set<String> keys) {

    public ConversationRow {
        Objects.requireNonNull(conversation, "conversation");
        keys = Set.copyOf(keys);
    }

    /** Without analysis facts: no automated count and no keys (callers that store only the messages). */
    public static ConversationRow of(Conversation conversation) {
        int undated = 0;
        for (MailMessage m : conversation.messages()) {
            undated += m.dated() ? 0 : 1;
        }
        return new ConversationRow(conversation, lastActivity(conversation), undated, 0, Set.of());
    }

    /** The newest event time of the conversation's dated messages, or null. */
    public static Instant lastActivity(Conversation conversation) {
        Instant last = null;
        for (MailMessage m : conversation.messages()) {
            if (m.eventTime() != null && (last == null || m.eventTime().isAfter(last))) {
                last = m.eventTime();
            }
        }
        return last;
    }

    public String id() {
        return conversation.id();
    }
}
