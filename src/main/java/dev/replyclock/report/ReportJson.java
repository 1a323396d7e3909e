package dev.replyclock.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.SlaState;
import dev.replyclock.domain.Wait;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report of SPEC section 12 as JSON: field names, order and formats exactly as specified. */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the caller owns the stream (stdout)

    private ReportJson() {
    }

    /**
     * The same text as {@link #toJson}, written lead by lead and wait by wait: the whole tree of a report over a
     * million messages does not fit in a 1 GB heap next to the analysis it comes from.
     */
    public static void write(Results analysis, Instant now, Writer out) throws IOException {
        ObjectWriter writer = JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (JsonGenerator g = writer.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("now");
            writer.writeValue(g, instant(now));
            g.writeFieldName("counts");
            writer.writeValue(g, counts(analysis.counts()));
            g.writeFieldName("leads");
            g.writeStartArray();
            for (Lead lead : analysis.leads()) {
                writer.writeValue(g, lead(lead, now));
            }
            g.writeEndArray();
            g.writeFieldName("waits");
            g.writeStartArray();
            for (Wait wait : analysis.waits()) {
                writer.writeValue(g, wait(wait));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public static String toJson(Results analysis, Instant now) throws IOException {
        return JSON.writeValueAsString(tree(analysis, now));
    }

    public static Map<String, Object> tree(Results analysis, Instant now) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("now", instant(now));
        root.put("counts", counts(analysis.counts()));
        List<Object> leads = new ArrayList<>();
        for (Lead lead : analysis.leads()) {
            leads.add(lead(lead, now));
        }
        root.put("leads", leads);
        List<Object> waits = new ArrayList<>();
        for (Wait wait : analysis.waits()) {
            waits.add(wait(wait));
        }
        root.put("waits", waits);
        return root;
    }

    private static Map<String, Object> counts(Counts c) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("files", c.files());
        counts.put("unreadable", c.unreadable());
        counts.put("messages", c.messages());
        counts.put("duplicates", c.duplicates());
        counts.put("undated", c.undated());
        counts.put("automated", c.automated());
        counts.put("conversations", c.conversations());
        return counts;
    }

    public static Map<String, Object> lead(Lead lead, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lead_message_id", lead.leadMessageId());
        m.put("mailbox", lead.mailboxId());
        m.put("team", lead.teamId());
        m.put("party", lead.party());
        m.put("start", instant(lead.start()));
        Response r = lead.firstResponse();
        if (r == null) {
            m.put("first_response", null);
        } else {
            Map<String, Object> fr = new LinkedHashMap<>();
            fr.put("message_id", r.messageId());
            fr.put("at", instant(r.at()));
            fr.put("rep", r.rep());
            fr.put("business_seconds", r.businessSeconds());
            fr.put("wall_seconds", r.wallSeconds());
            m.put("first_response", fr);
        }
        m.put("first_response_state", lead.firstResponseState(now).label());
        m.put("attempts", lead.attempts());
        SlaState attempts = lead.attemptsState(now);
        m.put("attempts_state", attempts == null ? null : attempts.label());
        if (lead.disposition() != null) { // service state only (SPEC section 14): analyze never writes this key
            m.put("disposition", lead.disposition().label());
        }
        return m;
    }

    public static Map<String, Object> wait(Wait wait) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", wait.messageId());
        m.put("mailbox", wait.mailboxId());
        m.put("opened", instant(wait.opened()));
        Response r = wait.closedBy();
        m.put("closed_by", r == null ? null : r.messageId());
        m.put("rep", r == null ? null : r.rep());
        m.put("business_seconds", r == null ? null : r.businessSeconds());
        m.put("wall_seconds", r == null ? null : r.wallSeconds());
        return m;
    }

    /** ISO-8601 UTC with a Z, whole seconds. */
    public static String instant(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
