package dev.replyclock.domain;

/**
 * How far one folder of a mailbox has been read: for IMAP (UIDVALIDITY, highest UID seen). A changed
 * UIDVALIDITY means the folder must be read again from the start; duplicate merging makes that safe.
 */
public record FolderCheckpoint(String mailboxId, String folder, long uidValidity, long lastUid) {
}
