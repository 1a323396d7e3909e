package dev.replyclock.report;

import dev.replyclock.config.Config;
import dev.replyclock.domain.Conversation;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Wait;
import dev.replyclock.sla.ConversationAnalyzer;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.sla.Roster;
import dev.replyclock.thread.MessageSet;
import dev.replyclock.thread.Threader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The whole SPEC over a set of messages: threading, leads, waits and counts. Every output (JSON, table,
 * CSV, later the API and metrics) is computed from one of these, so each number has one definition.
 */
public final class Analysis implements Results {

    public static final Comparator<Lead> LEAD_ORDER =
            Comparator.comparing(Lead::start).thenComparing(Lead::leadMessageId);
    public static final Comparator<Wait> WAIT_ORDER =
            Comparator.comparing(Wait::opened).thenComparing(Wait::messageId);

    private final Config config;
    private final Counts counts;
    private final List<Lead> leads;
    private final List<Wait> waits;

    private Analysis(Config config, Counts counts, List<Lead> leadList, List<Wait> waitList) {
        this.config = config;
        this.counts = counts;
        leadList.sort(LEAD_ORDER);
        waitList.sort(WAIT_ORDER);
        this.leads = List.copyOf(leadList);
        this.waits = List.copyOf(waitList);
    }

    public static Analysis of(Config config, MessageSet messages) {
        Roster roster = new Roster(config);
        ConversationAnalyzer analyzer = new ConversationAnalyzer(config, roster);
        List<Conversation> threaded = new Threader(roster::isExternal).thread(messages.messages());
        // Conversations are independent: analysed on every core, kept in conversation order (the sorts
        // below are stable), and reduced at once to what is kept so the per-message facts can be collected.
        List<Part> parts = threaded.parallelStream().map(c -> Part.of(analyzer.analyze(c))).toList();
        List<Lead> leads = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        long undated = 0;
        long automated = 0;
        for (Part part : parts) {
            if (part.lead() != null) {
                leads.add(part.lead());
            }
            waits.addAll(part.waits());
            undated += part.undated();
            automated += part.automated();
        }
        Counts counts = new Counts(messages.files(), messages.unreadableFiles(), messages.size(),
                messages.duplicates(), undated, automated, threaded.size());
        return new Analysis(config, counts, leads, waits);
    }

    /** What the report keeps of one conversation's result. */
    private record Part(Lead lead, List<Wait> waits, int undated, int automated) {
        static Part of(ConversationAnalyzer.Result r) {
            int undated = 0;
            int automated = 0;
            for (MessageFacts f : r.facts()) {
                undated += f.message().dated() ? 0 : 1;
                automated += f.automated() ? 1 : 0;
            }
            return new Part(r.lead(), r.waits(), undated, automated);
        }
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Counts counts() {
        return counts;
    }

    @Override
    public List<Lead> leads() {
        return leads;
    }

    @Override
    public List<Wait> waits() {
        return waits;
    }
}
