package dev.replyclock.sla;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Leads, attempts, first responses and waits of one conversation (SPEC sections 5, 6, 8, 9). Pure: the
 * result depends only on the conversation's messages and the configuration, never on the current time.
 */
public final class ConversationAnalyzer {

    /** What one conversation yields; {@code lead} is null when the conversation is not a lead. */
    public record Result(Conversation conversation, List<MessageFacts> facts, Lead lead, List<Wait> waits) {
    }

    private final Roster roster;
    private final Attribution attribution;
    private final Map<String, BusinessCalendar> calendars = new HashMap<>();
    private final Map<String, SlaPolicy> policies;

    public ConversationAnalyzer(Config config, Roster roster) {
        this.roster = roster;
        this.attribution = new Attribution(roster);
        config.calendars().forEach((name, cal) -> calendars.put(name, new BusinessCalendar(cal)));
        this.policies = config.slaPolicies();
    }

    public Roster roster() {
        return roster;
    }

    public Attribution attribution() {
        return attribution;
    }

    public BusinessCalendar calendar(MailboxConfig mailbox) {
        return calendars.get(mailbox.calendar());
    }

    public Result analyze(Conversation conversation) {
        List<MessageFacts> facts = new ArrayList<>(conversation.messages().size());
        for (MailMessage m : conversation.messages()) {
            facts.add(MessageFacts.of(m, roster));
        }
        List<MessageFacts> dated = facts.stream().filter(f -> f.message().dated()).toList();
        boolean[] attempt = attempts(dated);
        Lead lead = lead(conversation, dated, attempt);
        List<Wait> waits = waits(conversation, dated, attempt);
        return new Result(conversation, facts, lead, waits);
    }

    /**
     * Which dated messages are attempts (SPEC section 6): human, outbound, and addressed (To/Cc) to an
     * external address that authored an earlier message, or to a group mailbox when there is such an author.
     */
    private boolean[] attempts(List<MessageFacts> dated) {
        boolean[] attempt = new boolean[dated.size()];
        Set<String> earlierAuthors = new HashSet<>();
        for (int i = 0; i < dated.size(); i++) {
            MessageFacts f = dated.get(i);
            if (f.humanOutbound() && !earlierAuthors.isEmpty()) {
                attempt[i] = addressesAny(f.message().to(), earlierAuthors) || addressesAny(f.message().cc(), earlierAuthors);
            }
            // Automated messages count as written by their author; form-sender messages contribute their party.
            if (f.party() != null && roster.isExternal(f.party())) {
                earlierAuthors.add(f.party());
            }
        }
        return attempt;
    }

    private boolean addressesAny(List<String> recipients, Set<String> earlierAuthors) {
        for (String r : recipients) {
            if (earlierAuthors.contains(r) || roster.isGroupAddress(r)) {
                return true;
            }
        }
        return false;
    }

    private Lead lead(Conversation conversation, List<MessageFacts> dated, boolean[] attempt) {
        int first = -1;
        for (int i = 0; i < dated.size(); i++) {
            if (!dated.get(i).automated()) {
                first = i;
                break;
            }
        }
        if (first < 0 || !dated.get(first).inboundToMailbox()) {
            return null;
        }
        MessageFacts leadFacts = dated.get(first);
        MailboxConfig mailbox = leadFacts.reached();
        BusinessCalendar calendar = calendar(mailbox);
        SlaPolicy policy = policies.get(mailbox.sla());
        Instant start = leadFacts.message().eventTime();
        Instant deadline = calendar.deadline(start, policy.firstResponse());
        Duration untilWarning = policy.firstResponse().minus(policy.warnBefore());
        Instant atRiskFrom = calendar.deadline(start, untilWarning.isNegative() ? Duration.ZERO : untilWarning);

        List<MessageFacts> attempts = new ArrayList<>();
        for (int i = first + 1; i < dated.size(); i++) {
            if (attempt[i] && dated.get(i).message().eventTime().isAfter(start)) {
                attempts.add(dated.get(i));
            }
        }
        Response firstResponse = attempts.isEmpty() ? null : response(attempts.get(0), start, calendar);

        Instant windowEnd = null;
        boolean attemptsMet = false;
        SlaPolicy.AttemptsPolicy ap = policy.attempts();
        if (ap != null) {
            windowEnd = start.plus(ap.within());
            Instant end = windowEnd;
            long inWindow = attempts.stream().filter(a -> !a.message().eventTime().isAfter(end)).count();
            attemptsMet = inWindow >= ap.count()
                    || (ap.untilReply() && !attempts.isEmpty() && partyWroteAgain(dated, leadFacts.party(),
                    attempts.get(0).message().eventTime(), windowEnd));
        }
        return new Lead(leadFacts.message().id(), conversation.id(), mailbox.id(), mailbox.team(), leadFacts.party(),
                start, deadline, atRiskFrom, firstResponse, attempts.size(), windowEnd, attemptsMet);
    }

    /** A dated human message by the party strictly after the first attempt and at or before the window's end. */
    private static boolean partyWroteAgain(List<MessageFacts> dated, String party, Instant firstAttempt, Instant windowEnd) {
        for (MessageFacts f : dated) {
            Instant t = f.message().eventTime();
            if (!f.automated() && party.equals(f.party()) && t.isAfter(firstAttempt) && !t.isAfter(windowEnd)) {
                return true;
            }
        }
        return false;
    }

    private List<Wait> waits(Conversation conversation, List<MessageFacts> dated, boolean[] attempt) {
        List<Wait> waits = new ArrayList<>();
        MessageFacts opening = null;
        for (int i = 0; i < dated.size(); i++) {
            MessageFacts f = dated.get(i);
            if (opening == null) {
                if (f.inboundToMailbox()) {
                    opening = f;
                }
            } else if (attempt[i] && f.message().eventTime().isAfter(opening.message().eventTime())) {
                waits.add(wait(conversation, opening, f));
                opening = null;
            }
        }
        if (opening != null) {
            waits.add(wait(conversation, opening, null));
        }
        return waits;
    }

    private Wait wait(Conversation conversation, MessageFacts opening, MessageFacts closing) {
        MailboxConfig mailbox = opening.reached();
        Instant opened = opening.message().eventTime();
        Response closedBy = closing == null ? null : response(closing, opened, calendar(mailbox));
        return new Wait(opening.message().id(), conversation.id(), mailbox.id(), mailbox.team(), opened, closedBy);
    }

    private Response response(MessageFacts attempt, Instant since, BusinessCalendar calendar) {
        Instant at = attempt.message().eventTime();
        return new Response(attempt.message().id(), at, attribution.rep(attempt),
                calendar.businessSeconds(since, at), Duration.between(since, at).getSeconds());
    }
}
