package dev.replyclock.store;

/**
 * Counts for a report.
 *
 * @param copies     copies committed, duplicates included (a folder re-read after a UIDVALIDITY change counts again)
 * @param rejected   distinct rejected items (mailbox, folder, where)
 * @param messages   distinct messages
 * @param duplicates copies that were merged into an already known message
 */
public record StoredCounts(long copies, long rejected, long messages, long duplicates) {
}
