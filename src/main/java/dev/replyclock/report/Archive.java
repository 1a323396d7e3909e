package dev.replyclock.report;

import dev.replyclock.domain.MailMessage;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where conversations outside the in-memory horizon are kept (the store): a late message that links to one of them
 * brings it back into memory before it is threaded, and a page may read one on demand.
 */
public interface Archive {

    /** Stored conversations holding a message with one of these ids or carrying one of these link keys. */
    Set<String> linkedTo(Collection<String> messageIds, Collection<String> keys);

    /** The messages of these stored conversations, by conversation id. */
    Map<String, List<MailMessage>> messages(Collection<String> conversationIds);

    /** Nothing is archived: everything stays in memory (analyze, tests). */
    Archive NONE = new Archive() {
        @Override
        public Set<String> linkedTo(Collection<String> messageIds, Collection<String> keys) {
            return Set.of();
        }

        @Override
        public Map<String, List<MailMessage>> messages(Collection<String> conversationIds) {
            return Map.of();
        }
    };
}
