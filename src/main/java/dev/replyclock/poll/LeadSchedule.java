package dev.replyclock.poll;

import dev.replyclock.domain.Lead;
import dev.replyclock.report.Analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The open leads ordered by the next instant their SLA state changes by time alone, plus the leads changed since
 * they were last evaluated: a tick evaluates only these, not every lead. A lead's state is a function of the clock
 * that steps only at {@code atRiskFrom}, {@code deadline} and {@code attemptsWindowEnd} (SPEC section 9), so a
 * lead evaluated at or after each step it passed is in the state a full evaluation would find. Not thread-safe.
 */
final class LeadSchedule {

    private record Due(Instant at, String leadMessageId) {
    }

    private static final Comparator<Due> DUE_ORDER = Comparator.comparing(Due::at).thenComparing(Due::leadMessageId);

    private final Map<String, Lead> leads = new HashMap<>();
    private final Map<String, String> leadOfConversation = new HashMap<>();
    private final TreeSet<Due> due = new TreeSet<>(DUE_ORDER);
    private final Map<String, Instant> dueAt = new HashMap<>();
    /** Changed, or due and not yet evaluated (a tick stopped by a store error leaves them here). */
    private final Set<String> pending = new HashSet<>();

    int size() {
        return leads.size();
    }

    /** Forgets everything and takes these leads, all to be evaluated. */
    void replaceAll(Collection<Lead> all) {
        leads.clear();
        leadOfConversation.clear();
        due.clear();
        dueAt.clear();
        pending.clear();
        update(Set.of(), all);
    }

    /** Drops the leads of stale conversations, then takes the new or recomputed leads, to be evaluated. */
    void update(Set<String> staleConversationIds, Collection<Lead> changed) {
        for (String conversationId : staleConversationIds) {
            String leadId = leadOfConversation.remove(conversationId);
            if (leadId != null) {
                remove(leadId);
            }
        }
        for (Lead lead : changed) {
            Lead before = leads.get(lead.leadMessageId());
            if (before != null) {
                leadOfConversation.remove(before.conversationId(), lead.leadMessageId());
                remove(lead.leadMessageId());
            }
            leads.put(lead.leadMessageId(), lead);
            leadOfConversation.put(lead.conversationId(), lead.leadMessageId());
            pending.add(lead.leadMessageId());
        }
    }

    /** The leads to evaluate now: the changed ones and those whose next step is due, in lead order (SPEC section 12). */
    List<Lead> toEvaluate(Instant now) {
        while (!due.isEmpty() && !due.first().at().isAfter(now)) {
            Due d = due.pollFirst();
            dueAt.remove(d.leadMessageId());
            pending.add(d.leadMessageId());
        }
        List<Lead> list = new ArrayList<>(pending.size());
        pending.forEach(id -> list.add(leads.get(id)));
        list.sort(Analysis.LEAD_ORDER);
        return list;
    }

    /** The lead's state at {@code now} is recorded: wait for its next step, if its state can still change. */
    void evaluated(Lead lead, Instant now) {
        pending.remove(lead.leadMessageId());
        Instant next = nextStep(lead, now);
        if (next != null) {
            dueAt.put(lead.leadMessageId(), next);
            due.add(new Due(next, lead.leadMessageId()));
        }
    }

    /** The first instant after {@code now} at which the lead's state changes by time alone ({@link Lead#nextStep}). */
    static Instant nextStep(Lead lead, Instant now) {
        return lead.nextStep(now);
    }

    private void remove(String leadId) {
        leads.remove(leadId);
        pending.remove(leadId);
        Instant at = dueAt.remove(leadId);
        if (at != null) {
            due.remove(new Due(at, leadId));
        }
    }
}
