package dev.replyclock.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    public static void write(Results analysis, Instant now, Writer out) throws IOException {
        JSON.writeValue(out, tree(analysis, now));
    }

    public static String toJson(Results analysis, Instant now) throws IOException {
        return JSON.writeValueAsString(tree(analysis, now));
    }

    public static Map<String, Object> tree(Results analysis, Instant now) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("now", instant(now));
        Counts c = analysis.counts();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("files", c.files());
        counts.put("unreadable", c.unreadable());
        counts.put("messages", c.messages());
        counts.put("duplicates", c.duplicates());
        counts.put("undated", c.undated());
        counts.put("automated", c.automated());
        counts.put("conversations", c.conversations());
        root.put("counts", counts);
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
