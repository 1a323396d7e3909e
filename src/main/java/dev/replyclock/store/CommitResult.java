package dev.replyclock.store;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link Store#commitBatch} changed.
 *
 * @param newIds     ids of messages not stored before this batch, in the order of their first copy
 * @param changedIds ids of messages stored before this batch whose event time became earlier or that gained a
 *                   place, in the order of the copy that first changed them
 * @param copies     copies in the batch
 * @param duplicates copies whose id was already known (stored before, or an earlier copy of this batch)
 */
public record CommitResult(List<String> newIds, List<String> changedIds, int copies, int duplicates) {

    public CommitResult {
        newIds = List.copyOf(newIds);
        changedIds = List.copyOf(changedIds);
    }

    /** New then changed ids: the messages whose conversations need recomputing. */
    public List<String> touchedIds() {
        List<String> all = new ArrayList<>(newIds.size() + changedIds.size());
        all.addAll(newIds);
        all.addAll(changedIds);
        return all;
    }

    public boolean changedAnything() {
        return !newIds.isEmpty() || !changedIds.isEmpty();
    }
}
