package dev.replyclock.domain;

/**
 * How far one folder of a mailbox has been read: for IMAP (UIDVALIDITY, highest UID seen). A changed
 * UIDVALIDITY means the folder must be read again from the start; duplicate merging makes that safe.
 *
 * @param cursor a source's opaque resume point (Graph: the {@code @odata.deltaLink} or, between the pages of
 *               a round, the next {@code @odata.nextLink}); null for IMAP and files
 */
public record FolderCheckpoint(String mailboxId, String folder, long uidValidity, long lastUid, String cursor) {

    /** A checkpoint without cursor (IMAP, files). */
    public FolderCheckpoint(String mailboxId, String folder, long uidValidity, long lastUid) {
        this(mailboxId, folder, uidValidity, lastUid, null);
    }
}
