package dev.replyclock.poll;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.store.HorizonRows;
import dev.replyclock.store.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a restart's fresh analysis changes in the stored results: the conversations whose messages, lead or waits
 * differ from the stored ones, and the stored conversations that no longer exist. Usually nothing (the results were
 * saved before the stop), so a start-up writes only what differs instead of replacing every result.
 */
final class StoredResultsDiff {

    private StoredResultsDiff() {
    }

    static LiveAnalysis.Change of(Store store, List<ConversationAnalyzer.Result> fresh) {
        return of(store.conversationMessageIds(), store.leads(), store.waits(), fresh);
    }

    /** Against the stored results of the conversations active since {@code cutoff} only (the others were not analysed). */
    static LiveAnalysis.Change activeSince(Store store, java.time.Instant cutoff, List<ConversationAnalyzer.Result> fresh) {
        HorizonRows.Active active = store.storedResultsActiveSince(cutoff);
        return of(active.messageIds(), active.leads(), active.waits(), fresh);
    }

    private static LiveAnalysis.Change of(Map<String, List<String>> storedMessages, List<Lead> leads, List<Wait> waits,
                                          List<ConversationAnalyzer.Result> fresh) {
        Map<String, Lead> storedLeads = new HashMap<>();
        leads.forEach(l -> storedLeads.put(l.conversationId(), l));
        Map<String, Set<Wait>> storedWaits = new HashMap<>();
        waits.forEach(w -> storedWaits.computeIfAbsent(w.conversationId(), k -> new HashSet<>()).add(w));

        Set<String> stale = new HashSet<>(storedMessages.keySet());
        List<ConversationAnalyzer.Result> changed = new ArrayList<>();
        for (ConversationAnalyzer.Result r : fresh) {
            String id = r.conversation().id();
            boolean same = messageIds(r).equals(storedMessages.get(id))
                    && Objects.equals(r.lead(), storedLeads.get(id))
                    && new HashSet<>(r.waits()).equals(storedWaits.getOrDefault(id, Set.of()));
            if (same) {
                stale.remove(id);
            } else {
                changed.add(r);
            }
        }
        return new LiveAnalysis.Change(stale, changed);
    }

    private static List<String> messageIds(ConversationAnalyzer.Result r) {
        List<String> ids = new ArrayList<>(r.conversation().messages().size());
        for (MailMessage m : r.conversation().messages()) {
            ids.add(m.id());
        }
        return ids;
    }
}
