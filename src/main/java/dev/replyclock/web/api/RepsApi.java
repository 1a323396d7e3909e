package dev.replyclock.web.api;

import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.Params;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/reps?team=&window=} and {@code GET /api/reps/{rep}?window=}: per-rep figures (SPEC section 10). */
public final class RepsApi {

    public static final List<String> CSV_HEADER = List.of("rep", "name", "team", "window", "first_responses",
            "median_business_seconds", "p90_business_seconds", "compliance", "attempts_per_lead", "waits_closed");
    public static final List<String> RESPONSES_HEADER = List.of("kind", "rep", "team", "mailbox", "id",
            "conversation_id", "opened", "message_id", "at", "business_seconds", "wall_seconds", "state");

    private final AuditData data;
    private final Clock clock;

    public RepsApi(AuditData data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    public void list(Context ctx, Principal who) {
        Params p = new Params(ctx, "team", "window", "from", "to");
        Instant now = p.now(clock);
        String team = p.string("team");
        if (team != null && !data.config().teams().containsKey(team)) {
            throw ApiError.badParameter("team", "unknown team '" + team + "'");
        }
        LeadsApi.requireAudit(who, team);
        Params.Window window = p.window(now);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuditData.RepFigures f : data.reps(window, t -> who.audits(t) && (team == null || team.equals(t)), now)) {
            rows.add(row(f, window));
        }
        if (p.csv()) {
            Output.csv(ctx, "reps", CSV_HEADER, rows);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", ReportJson.instant(now));
        body.put("window", window(window));
        body.put("reps", rows);
        Output.json(ctx, body);
    }

    public void one(Context ctx, Principal who) {
        Params p = new Params(ctx, "window", "from", "to");
        Instant now = p.now(clock);
        AuditData.RepFigures f = figures(ctx.pathParam("rep"), who, p.window(now), now);
        List<Map<String, Object>> responses = f.responses().stream().map(r -> response(r, now)).toList();
        if (p.csv()) {
            Output.csv(ctx, "rep-responses", RESPONSES_HEADER, responses);
            return;
        }
        Map<String, Object> body = row(f, p.window(now));
        body.put("now", ReportJson.instant(now));
        body.put("responses", responses);
        Output.json(ctx, body);
    }

    /** The rep's figures over the teams this principal audits; 403 for a member of another team, 404 for nobody. */
    public AuditData.RepFigures figures(String rep, Principal who, Params.Window window, Instant now) {
        String memberTeam = data.memberTeam(rep);
        if (memberTeam != null && !who.audits(memberTeam)) {
            throw ApiError.forbidden(who.name() + " may not see the reps of team " + memberTeam);
        }
        LeadsApi.requireAudit(who, memberTeam);
        List<AuditData.RepResponse> responses = data.responses(window, who::audits);
        if (memberTeam == null && responses.stream().noneMatch(r -> r.rep().equals(rep))) {
            throw ApiError.notFound("no rep '" + rep + "' with responses in the teams you may see");
        }
        String team = memberTeam != null ? memberTeam
                : responses.stream().filter(r -> r.rep().equals(rep)).findFirst().map(AuditData.RepResponse::team).orElse(null);
        return data.figures(rep, team, responses, now);
    }

    Map<String, Object> row(AuditData.RepFigures f, Params.Window window) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rep", f.rep());
        m.put("name", data.memberName(f.rep()));
        m.put("team", f.team());
        m.put("window", window.label() == null ? null : window.label());
        Map<String, Object> stats = Output.stats(f.stats());
        m.put("first_responses", stats.get("answered"));
        m.put("median_business_seconds", stats.get("median_business_seconds"));
        m.put("p90_business_seconds", stats.get("p90_business_seconds"));
        m.put("compliance", stats.get("compliance"));
        m.put("attempts_per_lead", Double.isNaN(f.attemptsPerLead()) ? null : Math.round(f.attemptsPerLead() * 100) / 100.0);
        m.put("waits_closed", f.waitsClosed());
        return m;
    }

    static Map<String, Object> response(AuditData.RepResponse r, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("rep", r.rep());
        m.put("team", r.team());
        m.put("mailbox", r.mailbox());
        m.put("id", r.leadOrWaitId());
        m.put("conversation_id", r.conversationId());
        m.put("opened", ReportJson.instant(r.opened()));
        m.put("message_id", r.response().messageId());
        m.put("at", ReportJson.instant(r.response().at()));
        m.put("business_seconds", r.response().businessSeconds());
        m.put("wall_seconds", r.response().wallSeconds());
        m.put("state", r.lead() == null ? null : r.lead().firstResponseState(now).label());
        return m;
    }

    static Map<String, Object> window(Params.Window w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", w.from() == null ? null : ReportJson.instant(w.from()));
        m.put("to", w.to() == null ? null : ReportJson.instant(w.to()));
        return m;
    }
}
