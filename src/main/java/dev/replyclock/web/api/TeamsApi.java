package dev.replyclock.web.api;

import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.report.LeadStats;
import dev.replyclock.report.ReportJson;
import dev.replyclock.web.ApiError;
import dev.replyclock.web.AuditData;
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

/** {@code GET /api/teams?window=} and {@code GET /api/teams/{team}?month=&window=}: aggregates, open for every role. */
public final class TeamsApi {

    public static final List<String> CSV_HEADER = List.of("team", "members", "leads", "answered",
            "median_business_seconds", "p90_business_seconds", "compliance", "open_pending", "open_at_risk",
            "open_breached", "waits_open");

    private final AuditData data;
    private final Clock clock;

    public TeamsApi(AuditData data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    public void list(Context ctx, Principal who) {
        Params p = new Params(ctx, "window", "from", "to");
        Instant now = p.now(clock);
        Params.Window window = p.window(now);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String team : data.config().teams().keySet()) {
            rows.add(aggregate(team, window, now));
        }
        if (p.csv()) {
            Output.csv(ctx, "teams", CSV_HEADER, rows);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("now", ReportJson.instant(now));
        body.put("window", RepsApi.window(window));
        body.put("teams", rows);
        Output.json(ctx, body);
    }

    public void one(Context ctx, Principal who) {
        Params p = new Params(ctx, "month", "window", "from", "to");
        Instant now = p.now(clock);
        String team = ctx.pathParam("team");
        if (!data.config().teams().containsKey(team)) {
            throw ApiError.notFound("no team '" + team + "'");
        }
        YearMonth month = p.month("month");
        Map<String, Object> body = aggregate(team, p.window(now), now);
        Map<String, Object> volume = volume(team, month == null ? YearMonth.from(now.atZone(data.teamZone(team))) : month);
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

    /** Team figures over the window (leads by start, SPEC section 10), open leads by state now, open waits. */
    public Map<String, Object> aggregate(String team, Params.Window window, Instant now) {
        List<Lead> leads = data.leads(l -> team.equals(l.teamId()) && window.contains(l.start()));
        LeadStats stats = LeadStats.of(leads, now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("team", team);
        m.put("members", data.memberCount(team));
        m.putAll(Output.stats(stats));
        m.put("open_pending", stats.open(SlaState.PENDING));
        m.put("open_at_risk", stats.open(SlaState.AT_RISK));
        m.put("open_breached", stats.open(SlaState.BREACHED));
        m.put("waits_open", data.waits().stream().filter(w -> team.equals(w.teamId()) && w.waiting(now) && window.contains(w.opened())).count());
        return m;
    }

    /** Lead volume of one month in the calendar's zone, per member, against leads_per_rep_per_month. */
    public Map<String, Object> volume(String team, YearMonth month) {
        int count = data.leadsInMonth(team, month).size();
        int members = data.memberCount(team);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", month.toString());
        m.put("month_leads", count);
        m.put("leads_per_rep", members == 0 ? null : Math.round(count * 100.0 / members) / 100.0);
        m.put("leads_per_rep_per_month", data.leadsPerRepTarget(team));
        return m;
    }

}
