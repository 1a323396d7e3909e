package dev.replyclock.web.api;

import dev.replyclock.figures.Figures;
import dev.replyclock.figures.MonthVolume;
import dev.replyclock.figures.OpenNow;
import dev.replyclock.figures.Period;
import dev.replyclock.figures.PeriodFigures;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.Params;
import dev.replyclock.web.auth.Principal;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/teams?period=|window=|from=&to=} and {@code GET /api/teams/{team}?month=}: aggregates, open for
 * every role. Figures of the period (by lead start) and figures of now (open leads and waits) come from
 * {@link Figures}; this class only lays them out.
 */
public final class TeamsApi {

    public static final List<String> CSV_HEADER = List.of("team", "members", "period", "period_from", "period_to", "leads",
            "answered", "median_business_seconds", "p90_business_seconds", "compliance", "attempts_compliance",
            "reply_median_business_seconds", "open_pending", "open_at_risk", "open_breached", "waits_open",
            "oldest_open_business_seconds", "breached_today");

    private final Figures figures;
    private final Clock clock;

    public TeamsApi(Figures figures, Clock clock) {
        this.figures = figures;
        this.clock = clock;
    }

    public void list(Context ctx, Principal who) {
        Params p = new Params(ctx, "period", "window", "from", "to");
        Instant now = p.now(clock);
        Period period = p.period(now, figures.directory().homeZone());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String team : figures.directory().teams()) {
            rows.add(aggregate(team, period, now));
        }
        if (p.csv()) {
            Output.csv(ctx, "teams-" + period.name(), CSV_HEADER, rows);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", ReportJson.instant(now));
        body.put("window", Output.period(period));
        body.put("teams", rows);
        Output.json(ctx, body);
    }

    public void one(Context ctx, Principal who) {
        Params p = new Params(ctx, "month", "period", "window", "from", "to");
        Instant now = p.now(clock);
        String team = ctx.pathParam("team");
        if (!figures.directory().isTeam(team)) {
            throw ApiError.notFound("no team '" + team + "'");
        }
        YearMonth month = p.month("month");
        Map<String, Object> body = aggregate(team, p.period(now, figures.directory().teamZone(team)), now);
        Map<String, Object> volume = volume(figures.volume(team, month == null ? figures.currentMonth(team, now) : month, now));
        if (p.csv()) {
            body.putAll(volume);
            List<String> header = new ArrayList<>(CSV_HEADER);
            header.addAll(List.of("month", "month_leads", "leads_per_rep", "leads_per_rep_per_month"));
            Output.csv(ctx, "team-" + team, header, List.of(body));
            return;
        }
        body.put("now", ReportJson.instant(now));
        body.put("volume", volume);
        Output.json(ctx, body);
    }

    /** A team's figures of the period, and its open work now (whatever the period). */
    public Map<String, Object> aggregate(String team, Period period, Instant now) {
        PeriodFigures f = figures.team(team, period, now);
        OpenNow open = figures.teamOpen(team, now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("team", team);
        m.put("members", figures.directory().memberCount(team));
        m.put("period", period.name());
        m.put("period_from", period.from() == null ? null : ReportJson.instant(period.from()));
        m.put("period_to", period.to() == null ? null : ReportJson.instant(period.to()));
        m.putAll(Output.stats(f.stats()));
        m.put("attempts_compliance", Output.ratio(f.attemptsCompliance()));
        m.put("reply_median_business_seconds", f.replyMedian().isPresent() ? f.replyMedian().getAsLong() : null);
        m.put("open_pending", open.pending());
        m.put("open_at_risk", open.atRisk());
        m.put("open_breached", open.breached());
        m.put("waits_open", open.waits());
        m.put("oldest_open_business_seconds", open.oldest() == null ? null : open.oldestBusinessSeconds());
        m.put("breached_today", figures.breachedToday(team, now));
        return m;
    }

    static Map<String, Object> volume(MonthVolume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", v.month().toString());
        m.put("month_leads", v.leads());
        m.put("leads_per_rep", v.perRep() == null ? null : Math.round(v.perRep() * 100) / 100.0);
        m.put("leads_per_rep_per_month", v.target());
        return m;
    }
}
