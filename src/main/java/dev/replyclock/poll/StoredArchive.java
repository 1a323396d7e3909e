package dev.replyclock.poll;

import dev.replyclock.domain.MailMessage;
import dev.replyclock.report.Archive;
import dev.replyclock.store.Store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The store as the live analysis' archive of conversations outside its horizon. */
final class StoredArchive implements Archive {

    private final Store store;

    StoredArchive(Store store) {
        this.store = store;
    }

    @Override
    public Set<String> linkedTo(Collection<String> messageIds, Collection<String> keys) {
        return store.conversationsLinkedTo(messageIds, keys);
    }

    @Override
    public Map<String, List<MailMessage>> messages(Collection<String> conversationIds) {
        return store.conversationMessages(conversationIds);
    }
}
