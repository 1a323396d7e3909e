package dev.replyclock.sla;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SlaPolicy;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Disposition;
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
import java.util.function.Function;

/**
 * Leads, attempts, first responses and waits of one conversation (SPEC sections 5, 6, 8, 9, and the dispositions of
 * 14). Pure: the result depends only on the conversation's messages, the configuration and the disposition given,
 * never on the current time.
 */
public final class ConversationAnalyzer {

    /** No dispositions: what {@code analyze} computes. */
    public static final Function<String, Disposition> NO_DISPOSITIONS = id -> null;

    /**
     * What one conversation yields; {@code lead} is null when the conversation is not a lead, also when a
     * {@code not_a_lead} disposition stands on it: then {@code dismissed} is the lead it would be (for the audit
     * pages, which still show it and let a manager withdraw the disposition), and {@code waits} is empty.
     */
    public record Result(Conversation conversation, List<MessageFacts> facts, Lead lead, List<Wait> waits,
                         Lead dismissed) {

        public Result(Conversation conversation, List<MessageFacts> facts, Lead lead, List<Wait> waits) {
            this(conversation, facts, lead, waits, null);
        }
    }

    /** An attempt made outside email (a {@code handled_elsewhere} disposition): when, and by which rep. */
    private record OutsideAttempt(String messageId, Instant at, String rep) {
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
        return analyze(conversation, NO_DISPOSITIONS);
    }

    /** The same, applying the disposition that {@code dispositions} gives for the lead's message id, if any. */
    public Result analyze(Conversation conversation, Function<String, Disposition> dispositions) {
        List<MessageFacts> facts = new ArrayList<>(conversation.messages().size());
        for (MailMessage m : conversation.messages()) {
            facts.add(MessageFacts.of(m, roster));
        }
        List<MessageFacts> dated = facts.stream().filter(f -> f.message().dated()).toList();
        boolean[] attempt = attempts(dated);
        int first = leadIndex(dated);
        Disposition disposition = first < 0 ? null : dispositions.apply(dated.get(first).message().id());
        OutsideAttempt outside = outsideAttempt(disposition, dated, attempt, first);
        Lead lead = first < 0 ? null : lead(conversation, dated, attempt, first, disposition, outside);
        if (disposition != null && disposition.kind() == Disposition.Kind.NOT_A_LEAD) {
            return new Result(conversation, facts, null, List.of(), lead);
        }
        List<Wait> waits = waits(conversation, dated, attempt, outside);
        return new Result(conversation, facts, lead, waits, null);
    }

    /** The index of the lead message among the dated ones: the earliest non-automated, if inbound; else -1. */
    private static int leadIndex(List<MessageFacts> dated) {
        for (int i = 0; i < dated.size(); i++) {
            if (!dated.get(i).automated()) {
                return dated.get(i).inboundToMailbox() ? i : -1;
            }
        }
        return -1;
    }

    /**
     * The attempt a {@code handled_elsewhere} disposition stands for: at its {@code at} (never before the lead's
     * start), unless an email attempt came at or before it, in which case the disposition changes no figure.
     */
    private static OutsideAttempt outsideAttempt(Disposition d, List<MessageFacts> dated, boolean[] attempt, int first) {
        if (d == null || d.kind() != Disposition.Kind.HANDLED_ELSEWHERE || first < 0) {
            return null;
        }
        Instant start = dated.get(first).message().eventTime();
        Instant at = d.at() == null || d.at().isBefore(start) ? start : d.at();
        for (int i = first + 1; i < dated.size(); i++) {
            Instant t = dated.get(i).message().eventTime();
            if (attempt[i] && t.isAfter(start) && !t.isAfter(at)) {
                return null;
            }
        }
        String rep = d.rep() == null ? Response.UNATTRIBUTED : d.rep();
        return new OutsideAttempt(Response.handledElsewhereId(d.leadMessageId()), at, rep);
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

    private Lead lead(Conversation conversation, List<MessageFacts> dated, boolean[] attempt, int first,
                      Disposition disposition, OutsideAttempt outside) {
        MessageFacts leadFacts = dated.get(first);
        MailboxConfig mailbox = leadFacts.reached();
        BusinessCalendar calendar = calendar(mailbox);
        SlaPolicy policy = policies.get(mailbox.sla());
        Instant start = leadFacts.message().eventTime();
        Instant deadline = calendar.deadline(start, policy.firstResponse());
        Duration untilWarning = policy.firstResponse().minus(policy.warnBefore());
        Instant atRiskFrom = calendar.deadline(start, untilWarning.isNegative() ? Duration.ZERO : untilWarning);

        List<Instant> attemptTimes = new ArrayList<>();
        Response firstResponse = null;
        if (outside != null) {
            attemptTimes.add(outside.at());
            firstResponse = outsideResponse(outside, start, calendar);
        }
        for (int i = first + 1; i < dated.size(); i++) {
            if (attempt[i] && dated.get(i).message().eventTime().isAfter(start)) {
                attemptTimes.add(dated.get(i).message().eventTime());
                if (firstResponse == null) {
                    firstResponse = response(dated.get(i), start, calendar);
                }
            }
        }

        Instant windowEnd = null;
        boolean attemptsMet = false;
        SlaPolicy.AttemptsPolicy ap = policy.attempts();
        if (ap != null) {
            windowEnd = start.plus(ap.within());
            Instant end = windowEnd;
            long inWindow = attemptTimes.stream().filter(t -> !t.isAfter(end)).count();
            attemptsMet = inWindow >= ap.count()
                    || (ap.untilReply() && firstResponse != null && partyWroteAgain(dated, leadFacts.party(),
                    firstResponse.at(), windowEnd));
        }
        return new Lead(leadFacts.message().id(), conversation.id(), mailbox.id(), mailbox.team(), leadFacts.party(),
                start, deadline, atRiskFrom, firstResponse, attemptTimes.size(), windowEnd, attemptsMet,
                start.plus(policy.openFor()), disposition == null ? null : disposition.kind());
    }

    private static Response outsideResponse(OutsideAttempt outside, Instant since, BusinessCalendar calendar) {
        return new Response(outside.messageId(), outside.at(), outside.rep(), calendar.businessSeconds(since, outside.at()),
                Duration.between(since, outside.at()).getSeconds());
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

    /** SPEC section 8; the outside attempt of a disposition, if any, closes the wait open at its instant. */
    private List<Wait> waits(Conversation conversation, List<MessageFacts> dated, boolean[] attempt, OutsideAttempt outside) {
        List<Wait> waits = new ArrayList<>();
        MessageFacts opening = null;
        for (int i = 0; i < dated.size(); i++) {
            MessageFacts f = dated.get(i);
            if (outside != null && opening != null && !f.message().eventTime().isBefore(outside.at())
                    && !outside.at().isBefore(opening.message().eventTime())) {
                waits.add(closedOutside(conversation, opening, outside));
                opening = null;
                outside = null;
            }
            if (opening == null) {
                if (f.inboundToMailbox()) {
                    opening = f;
                }
            } else if (attempt[i] && f.message().eventTime().isAfter(opening.message().eventTime())) {
                waits.add(wait(conversation, opening, f));
                opening = null;
            }
        }
        if (opening != null && outside != null && !outside.at().isBefore(opening.message().eventTime())) {
            waits.add(closedOutside(conversation, opening, outside));
        } else if (opening != null) {
            waits.add(wait(conversation, opening, null));
        }
        return waits;
    }

    private Wait wait(Conversation conversation, MessageFacts opening, MessageFacts closing) {
        MailboxConfig mailbox = opening.reached();
        Instant opened = opening.message().eventTime();
        Response closedBy = closing == null ? null : response(closing, opened, calendar(mailbox));
        return waitClosedBy(conversation, opening, closedBy);
    }

    private Wait closedOutside(Conversation conversation, MessageFacts opening, OutsideAttempt outside) {
        return waitClosedBy(conversation, opening, outsideResponse(outside, opening.message().eventTime(), calendar(opening.reached())));
    }

    private Wait waitClosedBy(Conversation conversation, MessageFacts opening, Response closedBy) {
        MailboxConfig mailbox = opening.reached();
        Instant opened = opening.message().eventTime();
        return new Wait(opening.message().id(), conversation.id(), mailbox.id(), mailbox.team(), opened, closedBy,
                opened.plus(policies.get(mailbox.sla()).openFor()));
    }

    private Response response(MessageFacts attempt, Instant since, BusinessCalendar calendar) {
        Instant at = attempt.message().eventTime();
        return new Response(attempt.message().id(), at, attribution.rep(attempt),
                calendar.businessSeconds(since, at), Duration.between(since, at).getSeconds());
    }
}
