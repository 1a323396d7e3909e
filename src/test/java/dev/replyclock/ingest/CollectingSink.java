package dev.replyclock.ingest;

import dev.replyclock.domain.MailMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sink that keeps everything, for tests. */
public final class CollectingSink implements MessageSink {

    public int files;
    public final List<MailMessage> messages = new ArrayList<>();
    /** where -> reason, in report order. */
    public final Map<String, String> unreadable = new LinkedHashMap<>();
    public int unreadableCount;

    @Override
    public void fileRead() {
        files++;
    }

    @Override
    public void message(MailMessage message) {
        messages.add(message);
    }

    @Override
    public void unreadable(String where, String reason) {
        unreadableCount++;
        unreadable.put(where, reason);
    }

    /** Distinct messages after merging copies by id (SPEC section 3), in first-read order. */
    public Map<String, MailMessage> merged() {
        Map<String, MailMessage> byId = new LinkedHashMap<>();
        for (MailMessage m : messages) {
            byId.merge(m.id(), m, MailMessage::mergedWith);
        }
        return byId;
    }
}
