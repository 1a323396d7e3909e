package dev.replyclock.domain;

/** A message that could not be read: recorded with where it was and why, then skipped (never blocks a mailbox). */
public record RejectedMessage(String mailboxId, String folder, String where, String reason) {
}
