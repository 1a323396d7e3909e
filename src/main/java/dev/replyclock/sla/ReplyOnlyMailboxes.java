package dev.replyclock.sla;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.domain.MailMessage;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What is kept of mail read from a reply-only mailbox (SPEC section 14): only outbound messages (author internal,
 * not a form sender); inbound ones are skipped before they are stored and counted nowhere. Mail of other
 * mailboxes is kept whole.
 */
public final class ReplyOnlyMailboxes {

    private final Roster roster;
    private final Set<String> replyOnlyIds;

    public ReplyOnlyMailboxes(Config config) {
        this.roster = new Roster(config);
        this.replyOnlyIds = config.mailboxes().stream().filter(MailboxConfig::repliesOnly).map(MailboxConfig::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a message read from this mailbox is kept. */
    public boolean keeps(String mailboxId, MailMessage message) {
        return !replyOnlyIds.contains(mailboxId) || MessageFacts.of(message, roster).outbound();
    }

    /** The messages of a batch read from this mailbox that are kept, in order (the same list when all are). */
    public List<MailMessage> kept(String mailboxId, List<MailMessage> messages) {
        if (!replyOnlyIds.contains(mailboxId)) {
            return messages;
        }
        return messages.stream().filter(m -> MessageFacts.of(m, roster).outbound()).toList();
    }

    /** Whether the mailbox is read for replies only. */
    public boolean isReplyOnly(String mailboxId) {
        return replyOnlyIds.contains(mailboxId);
    }
}
