package dev.replyclock.sla;

import dev.replyclock.domain.AutomationSign;
import dev.replyclock.domain.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who wrote an outbound message (SPEC sections 6 and 13 "Reps") and why a message counts as automated (section 5):
 * the engine's rules, used for responses and for every view that shows a message.
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

    /** Why an automated message is automated: its header signs, else its sender; empty for a human message. */
    public List<String> automatedWhy(MessageFacts message) {
        List<String> why = new ArrayList<>();
        if (!message.automated()) {
            return why;
        }
        for (AutomationSign sign : AutomationSign.values()) {
            if (message.message().hasSign(sign)) {
                why.add(sign.name().toLowerCase(Locale.ROOT));
            }
        }
        if (why.isEmpty() && message.author() != null) {
            why.add(roster.isAutomatedSender(message.author()) ? "automated_sender" : "machine_address");
        }
        return why;
    }
}
