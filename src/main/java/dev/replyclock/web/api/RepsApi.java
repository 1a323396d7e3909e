package dev.replyclock.web.api;

import dev.replyclock.figures.Figures;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.RepFigures;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.Params;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/reps?team=&period=} and {@code GET /api/reps/{rep}?period=}: per-rep figures from {@link Figures}. */
public final class RepsApi {

    public static final List<String> CSV_HEADER = List.of("rep", "name", "team", "window", "first_responses",
            "median_business_seconds", "p90_business_seconds", "compliance", "attempts_per_lead", "waits_closed");
    public static final List<String> RESPONSES_HEADER = List.of("kind", "rep", "team", "mailbox", "id",
            "conversation_id", "opened", "message_id", "at", "business_seconds", "wall_seconds", "state");

    private final Figures figures;
    private final Clock clock;

    public RepsApi(Figures figures, Clock clock) {
        this.figures = figures;
        this.clock = clock;
    }

    public void list(Context ctx, Principal who) {
        Params p = new Params(ctx, "team", "period", "window", "from", "to");
        Instant now = p.now(clock);
        String team = p.string("team");
        if (team != null && !figures.directory().isTeam(team)) {
            throw ApiError.badParameter("team", "unknown team '" + team + "'");
        }
        LeadsApi.requireAudit(who, team);
        Period period = p.period(now, figures.directory().zoneOf(team));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RepFigures f : figures.reps(period, t -> who.audits(t) && (team == null || team.equals(t)), now)) {
            rows.add(row(f));
        }
        if (p.csv()) {
            Output.csv(ctx, "reps-" + period.name(), CSV_HEADER, rows);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", ReportJson.instant(now));
        body.put("window", Output.period(period));
        body.put("reps", rows);
        Output.json(ctx, body);
    }

    public void one(Context ctx, Principal who) {
        Params p = new Params(ctx, "period", "window", "from", "to");
        Instant now = p.now(clock);
        String rep = ctx.pathParam("rep");
        RepFigures f = figures(rep, who, period(p, rep, now), now);
        List<Map<String, Object>> responses = f.responses().stream().map(r -> response(f.rep(), r, now)).toList();
        if (p.csv()) {
            Output.csv(ctx, "rep-responses", RESPONSES_HEADER, responses);
            return;
        }
        Map<String, Object> body = row(f);
        body.put("now", ReportJson.instant(now));
        body.put("period", Output.period(f.period()));
        body.put("responses", responses);
        Output.json(ctx, body);
    }

    /** The period asked for, calendar periods in the zone of the rep's team. */
    public Period period(Params p, String rep, Instant now) {
        String team = figures.directory().memberTeam(rep);
        return p.period(now, figures.directory().zoneOf(team));
    }

    /** The rep's figures over the teams this principal audits; 403 for a member of another team, 404 for nobody. */
    public RepFigures figures(String rep, Principal who, Period period, Instant now) {
        String memberTeam = figures.directory().memberTeam(rep);
        if (memberTeam != null && !who.audits(memberTeam)) {
            throw ApiError.forbidden(who.name() + " may not see the reps of team " + memberTeam);
        }
        LeadsApi.requireAudit(who, memberTeam);
        return figures.rep(rep, period, who::audits, now)
                .orElseThrow(() -> ApiError.notFound("no rep '" + rep + "' with responses in the teams you may see"));
    }

    static Map<String, Object> row(RepFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rep", f.rep());
        m.put("name", f.name());
        m.put("team", f.team());
        m.put("window", f.period().name());
        Map<String, Object> stats = Output.stats(f.stats());
        m.put("first_responses", stats.get("answered"));
        m.put("median_business_seconds", stats.get("median_business_seconds"));
        m.put("p90_business_seconds", stats.get("p90_business_seconds"));
        m.put("compliance", stats.get("compliance"));
        m.put("attempts_per_lead", f.attemptsPerLead().isPresent() ? Math.round(f.attemptsPerLead().getAsDouble() * 100) / 100.0 : null);
        m.put("waits_closed", f.waitsClosed());
        return m;
    }

    static Map<String, Object> response(String rep, RepFigures.RepResponse r, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("rep", rep);
        m.put("team", r.team());
        m.put("mailbox", r.mailbox());
        m.put("id", r.id());
        m.put("conversation_id", r.conversationId());
        m.put("opened", ReportJson.instant(r.opened()));
        m.put("message_id", r.response().messageId());
        m.put("at", ReportJson.instant(r.response().at()));
        m.put("business_seconds", r.response().businessSeconds());
        m.put("wall_seconds", r.response().wallSeconds());
        m.put("state", r.lead() == null ? null : r.lead().firstResponseState(now).label());
        return m;
    }
}
