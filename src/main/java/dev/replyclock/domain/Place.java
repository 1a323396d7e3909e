package dev.replyclock.domain;

/** Where one copy of a message was seen: a monitored mailbox and one of its folders. */
public record Place(String mailboxId, String folder, boolean inboxFolder) {
}
