package dev.replyclock.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replyclock.config.AccessConfig;
import dev.replyclock.domain.Disposition;
import dev.replyclock.domain.DispositionChange;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.figures.Directory;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.DispositionLedger;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code PUT} and {@code DELETE /api/leads/{id}/disposition} (SPEC section 14), and the same through the lead page's
 * form. Only a manager of the lead's team or an admin may change one; each field is checked and named when wrong.
 */
public final class DispositionsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("kind", "reason", "note", "at", "rep");
    private static final int MAX_TEXT = 2_000;

    /** The fields of a request, as text (JSON body or form). */
    public record Request(String kind, String reason, String note, String at, String rep) {
    }

    private final LeadsApi leads;
    private final DispositionLedger ledger;
    private final Directory directory;
    private final Clock clock;

    public DispositionsApi(LeadsApi leads, DispositionLedger ledger, Directory directory, Clock clock) {
        this.leads = leads;
        this.ledger = ledger;
        this.directory = directory;
        this.clock = clock;
    }

    /** {@code PUT /api/leads/{id}/disposition} with a JSON body; answers with the lead as {@code GET} shows it. */
    public void put(Context ctx, Principal who) {
        Lead lead = leadFor(ctx.pathParam("id"), who);
        set(lead, parse(ctx.body()), who);
        Output.json(ctx, leads.timeline(lead.leadMessageId(), who, clock.instant()));
    }

    /** {@code DELETE /api/leads/{id}/disposition}: withdraws it (404 when none stands). */
    public void delete(Context ctx, Principal who) {
        Lead lead = leadFor(ctx.pathParam("id"), who);
        withdraw(lead, who);
        Output.json(ctx, leads.timeline(lead.leadMessageId(), who, clock.instant()));
    }

    /** The lead, when this principal may change its disposition: 403 for viewers and other teams, 404 if unknown. */
    public Lead leadFor(String id, Principal who) {
        if (who.role() == AccessConfig.Role.VIEWER) {
            throw ApiError.forbidden(who.name() + " is a viewer: only a manager of the lead's team or an admin may "
                    + "change its disposition");
        }
        Lead lead = leads.lead(id, who);
        if (!who.audits(lead.teamId())) {
            throw ApiError.forbidden(who.name() + " may not change dispositions of team " + lead.teamId());
        }
        return lead;
    }

    /** Validates and stores; a field at fault answers 400 naming it. */
    public Disposition set(Lead lead, Request r, Principal who) {
        Instant now = clock.instant();
        Disposition.Kind kind = Disposition.Kind.ofLabel(r.kind());
        if (kind == null) {
            throw ApiError.badParameter("kind", r.kind() == null ? "required: not_a_lead or handled_elsewhere"
                    : "must be not_a_lead or handled_elsewhere, not '" + r.kind() + "'");
        }
        String reason = text("reason", r.reason());
        if (reason == null) {
            throw ApiError.badParameter("reason", "required: say why (e.g. 'vendor pitch', 'called back')");
        }
        String note = text("note", r.note());
        Instant at = null;
        String rep = null;
        if (kind == Disposition.Kind.HANDLED_ELSEWHERE) {
            at = at(r.at(), lead, now);
            rep = rep(r.rep());
        } else if (blank(r.at()) != null || blank(r.rep()) != null) {
            throw ApiError.badParameter(blank(r.at()) != null ? "at" : "rep", "only a handled_elsewhere disposition has it");
        }
        Disposition d = new Disposition(lead.leadMessageId(), kind, reason, note, at, rep, who.name(), now);
        ledger.set(d);
        return d;
    }

    public void withdraw(Lead lead, Principal who) {
        if (ledger.withdraw(lead.leadMessageId(), who.name(), clock.instant()).isEmpty()) {
            throw ApiError.notFound("lead '" + lead.leadMessageId() + "' has no disposition to withdraw");
        }
    }

    /** {@code disposition} and {@code disposition_history} of a lead, as {@code GET /api/leads/{id}} shows them. */
    public static void describe(Map<String, Object> body, DispositionLedger ledger, String leadMessageId) {
        body.put("disposition", ledger.standing(leadMessageId).map(DispositionsApi::view).orElse(null));
        List<Map<String, Object>> history = new ArrayList<>();
        for (DispositionChange change : ledger.history(leadMessageId)) {
            Map<String, Object> m = view(change.disposition());
            m.remove("set_by");
            m.remove("set_at");
            m.put("action", change.action());
            m.put("by", change.disposition().setBy());
            m.put("when", ReportJson.instant(change.disposition().setAt()));
            history.add(m);
        }
        body.put("disposition_history", history);
    }

    private static Map<String, Object> view(Disposition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", d.kind().label());
        m.put("reason", d.reason());
        m.put("note", d.note());
        m.put("at", d.at() == null ? null : ReportJson.instant(d.at()));
        m.put("rep", d.rep());
        m.put("set_by", d.setBy());
        m.put("set_at", ReportJson.instant(d.setAt()));
        return m;
    }

    private static Request parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, null, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(400, null, "the body must be a JSON object {\"kind\": ..., \"reason\": ...}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badParameter(name, "unknown field (known: kind, reason, note, at, rep)");
            }
            JsonNode value = root.get(name);
            if (!value.isNull() && !value.isTextual()) {
                throw ApiError.badParameter(name, "must be a string");
            }
        }
        return new Request(string(root, "kind"), string(root, "reason"), string(root, "note"), string(root, "at"),
                string(root, "rep"));
    }

    private static String string(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private Instant at(String text, Lead lead, Instant now) {
        if (blank(text) == null) {
            return now;
        }
        Instant at;
        try {
            at = Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiError.badParameter("at", "not an ISO-8601 instant like 2024-03-04T10:15:00Z: '" + text + "'");
        }
        if (at.isBefore(lead.start()) || at.isAfter(now)) {
            throw ApiError.badParameter("at", "must lie between the lead's start " + ReportJson.instant(lead.start())
                    + " and now " + ReportJson.instant(now));
        }
        return at;
    }

    private String rep(String text) {
        String rep = blank(text);
        if (rep == null) {
            return Response.UNATTRIBUTED;
        }
        if (!directory.isMember(rep)) {
            throw ApiError.badParameter("rep", "no member with id '" + rep + "'");
        }
        return rep;
    }

    private static String text(String field, String value) {
        String v = blank(value);
        if (v != null && v.length() > MAX_TEXT) {
            throw ApiError.badParameter(field, "at most " + MAX_TEXT + " characters");
        }
        return v;
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
