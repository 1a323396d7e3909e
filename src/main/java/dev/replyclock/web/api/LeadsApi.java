package dev.replyclock.web.api;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.Response;
import dev.replyclock.figures.Figures;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.TimelineMessage;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.DispositionLedger;
import dev.replyclock.web.Params;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** {@code GET /api/leads} (filtered, newest first, cursor pagination) and {@code GET /api/leads/{id}} (timeline). */
public final class LeadsApi {

    public static final List<String> CSV_HEADER = List.of("lead_message_id", "conversation_id", "mailbox", "team",
            "party", "start", "deadline", "first_response_message_id", "first_response_at", "first_response_rep",
            "first_response_business_seconds", "first_response_wall_seconds", "first_response_state", "attempts",
            "attempts_state");
    static final Set<String> STATES = Set.of("pending", "at_risk", "met", "breached");

    private final AuditData data;
    private final Figures figures;
    private final Clock clock;
    private final DispositionLedger dispositions;

    public LeadsApi(AuditData data, Clock clock) {
        this(data, clock, DispositionLedger.NONE);
    }

    public LeadsApi(AuditData data, Clock clock, DispositionLedger dispositions) {
        this.data = data;
        this.figures = data.figures();
        this.clock = clock;
        this.dispositions = dispositions;
    }

    /** A page of leads: the filtered leads after the cursor, and the cursor of the next page (null at the end). */
    public record Page(List<Lead> leads, String nextCursor) {
    }

    /** Filters and paginates for the principal; also used by the pages. */
    public Page page(Params p, Principal who, Instant now) {
        String team = p.string("team");
        String mailbox = p.string("mailbox");
        String rep = p.string("rep");
        String state = p.choice("state", null, STATES);
        Period window = p.period(now, figures.directory().zoneOf(team));
        int limit = p.integer("limit", 100, 1, 1000);
        String cursor = p.string("cursor");
        if (team != null && !figures.directory().isTeam(team)) {
            throw ApiError.badParameter("team", "unknown team '" + team + "'");
        }
        if (mailbox != null && figures.directory().mailbox(mailbox) == null) {
            throw ApiError.badParameter("mailbox", "unknown mailbox '" + mailbox + "'");
        }
        requireAudit(who, team);
        Lead after = cursor == null ? null : decodeCursor(cursor);
        Predicate<Lead> filter = l -> who.audits(l.teamId())
                && (team == null || team.equals(l.teamId()))
                && (mailbox == null || mailbox.equals(l.mailboxId()))
                && (rep == null || (l.firstResponse() != null && rep.equals(l.firstResponse().rep())))
                && (state == null || state.equals(l.firstResponseState(now).label()))
                && window.contains(l.start());
        List<Lead> out = new ArrayList<>(Math.min(limit, 1000));
        boolean more = false;
        for (Lead l : figures.leadsNewestFirst()) {
            if (after != null && Figures.NEWEST_FIRST.compare(l, after) <= 0) {
                continue;
            }
            if (filter.test(l)) {
                if (out.size() == limit) {
                    more = true;
                    break;
                }
                out.add(l);
            }
        }
        return new Page(out, more ? encodeCursor(out.get(out.size() - 1)) : null);
    }

    static void requireAudit(Principal who, String team) {
        if (team != null ? !who.audits(team) : !who.auditsAny()) {
            throw ApiError.forbidden(who.name() + " may not see the leads and reps of " + (team == null ? "any team" : "team " + team));
        }
    }

    public void list(Context ctx, Principal who) {
        Params p = new Params(ctx, "team", "mailbox", "rep", "state", "period", "window", "from", "to", "limit", "cursor");
        Instant now = p.now(clock);
        Page page = page(p, who, now);
        List<Map<String, Object>> rows = page.leads().stream().map(l -> view(l, now)).toList();
        if (p.csv()) {
            if (page.nextCursor() != null) {
                ctx.header("X-Next-Cursor", page.nextCursor());
            }
            Output.csv(ctx, "leads", CSV_HEADER, rows);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", ReportJson.instant(now));
        body.put("leads", rows);
        body.put("next_cursor", page.nextCursor());
        Output.json(ctx, body);
    }

    public void timeline(Context ctx, Principal who) {
        Params p = new Params(ctx);
        Instant now = p.now(clock);
        Map<String, Object> body = timeline(ctx.pathParam("id"), who, now);
        if (p.csv()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> messages = (List<Map<String, Object>>) body.get("messages");
            Output.csv(ctx, "lead-timeline", List.of("message_id", "time", "direction", "author", "party", "rep",
                    "role", "automated", "automated_why", "seen_in", "subject"), messages);
            return;
        }
        Output.json(ctx, body);
    }

    /** The lead found and checked for this principal; 404 or 403 otherwise. */
    public Lead lead(String id, Principal who) {
        Lead lead = figures.lead(id).orElseThrow(() -> ApiError.notFound("no lead with message id '" + id + "'"));
        if (!who.audits(lead.teamId())) {
            throw ApiError.forbidden(who.name() + " may not see the leads of team " + lead.teamId());
        }
        return lead;
    }

    public Map<String, Object> timeline(String id, Principal who, Instant now) {
        Lead lead = lead(id, who);
        Map<String, Object> body = view(lead, now);
        body.put("now", ReportJson.instant(now));
        body.put("zone", figures.directory().zone(lead.mailboxId()).getId());
        body.put("at_risk_from", ReportJson.instant(lead.atRiskFrom()));
        body.put("attempts_window_end", lead.attemptsWindowEnd() == null ? null : ReportJson.instant(lead.attemptsWindowEnd()));
        List<Map<String, Object>> messages = new ArrayList<>();
        for (TimelineMessage m : figures.timeline(lead)) {
            messages.add(message(m));
        }
        if (lead.firstResponse() != null && lead.firstResponse().handledElsewhere()) {
            messages.add(handledElsewhere(lead.firstResponse()));
            messages.sort(java.util.Comparator.comparing((Map<String, Object> m) -> m.get("time") == null ? "~" : (String) m.get("time"))
                    .thenComparing(m -> (String) m.get("message_id")));
        }
        body.put("messages", messages);
        List<Map<String, Object>> transitions = new ArrayList<>();
        for (AuditData.Transition t : data.transitions(lead.leadMessageId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", t.kind());
            m.put("state", t.state().label());
            m.put("at", ReportJson.instant(t.at()));
            transitions.add(m);
        }
        body.put("transitions", transitions);
        DispositionsApi.describe(body, dispositions, lead.leadMessageId());
        return body;
    }

    private static Map<String, Object> message(TimelineMessage t) {
        MailMessage msg = t.message();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", msg.id());
        m.put("time", msg.eventTime() == null ? null : ReportJson.instant(msg.eventTime()));
        m.put("direction", t.outbound() ? "outbound" : "inbound");
        m.put("author", t.author());
        m.put("party", t.party());
        m.put("rep", t.rep());
        m.put("role", t.role());
        m.put("automated", t.automated());
        m.put("automated_why", t.automatedWhy());
        List<String> seen = new ArrayList<>();
        for (Place place : msg.places()) {
            seen.add(place.mailboxId() + "/" + place.folder());
        }
        m.put("seen_in", seen);
        m.put("subject", msg.subject());
        return m;
    }

    /** The timeline entry of the attempt a handled_elsewhere disposition stands for (no email carries it). */
    private static Map<String, Object> handledElsewhere(Response r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_id", r.messageId());
        m.put("time", ReportJson.instant(r.at()));
        m.put("direction", "outbound");
        m.put("author", null);
        m.put("party", null);
        m.put("rep", r.rep());
        m.put("role", "first_response");
        m.put("automated", false);
        m.put("automated_why", List.of());
        m.put("seen_in", List.of());
        m.put("subject", "(handled elsewhere: phone, chat or CRM)");
        return m;
    }

    /** A lead as in SPEC section 12, plus its conversation id and deadline. */
    public static Map<String, Object> view(Lead l, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> report = ReportJson.lead(l, now);
        m.put("lead_message_id", report.remove("lead_message_id"));
        m.put("conversation_id", l.conversationId());
        m.putAll(report);
        m.put("deadline", ReportJson.instant(l.deadline()));
        m.put("open", l.open(now));
        m.put("expired", l.expired(now));
        m.putIfAbsent("disposition", null);
        return m;
    }

    static String encodeCursor(Lead l) {
        String raw = l.start().getEpochSecond() + ":" + l.start().getNano() + ":" + l.leadMessageId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Lead decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            Instant start = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            return new Lead(parts[2], null, null, null, null, start, null, null, null, 0, null, false);
        } catch (RuntimeException e) {
            throw ApiError.badParameter("cursor", "not a cursor given by this API");
        }
    }

}
