package dev.replyclock.thread;

import dev.replyclock.domain.MailMessage;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distinct messages by normalised id (SPEC section 3): the first copy read supplies the headers, the event
 * time is the earliest of the copies, the places are the union. Also keeps the reading counts of section 12.
 */
public final class MessageSet {

    private final Map<String, MailMessage> byId = new LinkedHashMap<>();
    private long files;
    private long unreadable;
    private long duplicates;

    public void fileRead() {
        files++;
    }

    public void unreadable() {
        unreadable++;
    }

    /** Adds one copy; returns true when it was a message not seen before. */
    public boolean add(MailMessage copy) {
        MailMessage known = byId.get(copy.id());
        if (known == null) {
            byId.put(copy.id(), copy);
            return true;
        }
        duplicates++;
        byId.put(copy.id(), known.mergedWith(copy));
        return false;
    }

    /** Forgets a message kept elsewhere (the live analysis evicts conversations outside its horizon). */
    public void remove(String id) {
        byId.remove(id);
    }

    /**
     * Forgets the messages {@code leaving} accepts, keeping the others in their order, in one pass over the set (no
     * lookup by id per message, as {@link #remove} of most of a big set would make).
     */
    public void removeIf(java.util.function.Predicate<MailMessage> leaving) {
        byId.values().removeIf(leaving);
    }

    public Collection<MailMessage> messages() {
        return byId.values();
    }

    public MailMessage get(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    public long files() {
        return files;
    }

    public long unreadableFiles() {
        return unreadable;
    }

    public long duplicates() {
        return duplicates;
    }
}
