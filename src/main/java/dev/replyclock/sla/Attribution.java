package dev.replyclock.sla;

import dev.replyclock.domain.Response;

/**
 * Who wrote an outbound message (SPEC sections 6 and 13 "Reps"): the engine's rule, used for responses and for
 * every view that shows a message.
 */
public final class Attribution {

    private final Roster roster;

    public Attribution(Roster roster) {
        this.roster = roster;
    }

    /**
     * The rep of an outbound message: the member whose address is the author; for mail from a monitored mailbox,
     * the member of {@code Sender}, else of the attribution header; else the author, or {@code unattributed} for
     * a monitored mailbox.
     */
    public String rep(MessageFacts message) {
        String author = message.author();
        Roster.TeamMember member = roster.memberByAddress(author);
        boolean fromMailbox = roster.mailboxByAddress(author) != null;
        if (member == null && fromMailbox) {
            member = roster.memberByAddress(message.message().sender());
        }
        if (member == null) {
            member = roster.memberNamed(message.message().attribution());
        }
        if (member != null) {
            return member.member().id();
        }
        return fromMailbox ? Response.UNATTRIBUTED : author;
    }
}
