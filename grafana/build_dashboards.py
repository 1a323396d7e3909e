#!/usr/bin/env python3
"""Writes grafana/dashboards/*.json. Edit here, run `python3 grafana/build_dashboards.py`, commit both.

Every query goes through the ${datasource} variable; the wall is dark, 24x27 grid units (one 1080p TV, no
scrolling) and shows every team at once (one value per team), so adding a team never adds scrolling.
"""
import json
import pathlib

DS = {"type": "prometheus", "uid": "${datasource}"}
OUT = pathlib.Path(__file__).parent / "dashboards"
_ids = iter(range(1, 1000))


def target(expr, legend="", ref="A", instant=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": not instant}
    if instant:
        t["instant"] = True
    return t


def thresholds(*steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in steps]}


def panel(kind, title, x, y, w, h, targets, unit=None, steps=None, options=None, decimals=None,
          mappings=None, overrides=None, description=None, min_=None, max_=None):
    defaults = {"color": {"mode": "thresholds"}, "mappings": mappings or []}
    if steps:
        defaults["thresholds"] = thresholds(*steps)
    if unit:
        defaults["unit"] = unit
    if decimals is not None:
        defaults["decimals"] = decimals
    if min_ is not None:
        defaults["min"] = min_
    if max_ is not None:
        defaults["max"] = max_
    p = {"id": next(_ids), "type": kind, "title": title, "datasource": DS,
         "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
         "fieldConfig": {"defaults": defaults, "overrides": overrides or []}, "options": options or {}}
    if description:
        p["description"] = description
    return p


def stat_options(text_size=48, color_mode="background", text_mode="value_and_name", orientation="auto"):
    return {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": color_mode, "graphMode": "none", "justifyMode": "center", "textMode": text_mode,
            "orientation": orientation, "text": {"titleSize": max(16, text_size // 2), "valueSize": text_size},
            "wideLayout": True, "showPercentChange": False}


def bar_options():
    return {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True, "valueMode": "color",
            "namePlacement": "left", "sizing": "auto", "minVizHeight": 16, "minVizWidth": 8, "maxVizHeight": 300,
            "legend": {"showLegend": False, "displayMode": "list", "placement": "bottom", "calcs": []},
            "text": {"titleSize": 22, "valueSize": 26}}


def ts_options():
    return {"legend": {"showLegend": True, "displayMode": "table", "placement": "right", "calcs": ["lastNotNull"]},
            "tooltip": {"mode": "multi", "sort": "desc"}}


def datasource_var():
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "hide": 0, "refresh": 1, "regex": "", "options": [], "skipUrlSync": False}


def query_var(name, label, query, multi=True, include_all=True):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": f"{name}-var"},
            "hide": 0, "refresh": 2, "regex": "", "sort": 1, "multi": multi,
            "includeAll": include_all, "options": [], "skipUrlSync": False}


def dashboard(uid, title, panels, variables, refresh, time_from, tags, links=None, description=""):
    return {"uid": uid, "title": title, "description": description, "tags": tags, "editable": True,
            "graphTooltip": 1, "timezone": "browser", "refresh": refresh, "schemaVersion": 39,
            "version": 1, "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
            "time": {"from": time_from, "to": "now"}, "timepicker": {},
            "templating": {"list": variables}, "annotations": {"list": []}, "links": links or [],
            "panels": panels}


GREEN, ORANGE, RED, BLUE = "green", "orange", "red", "blue"
RATIO_TO_TARGET = [(GREEN, None), (ORANGE, 0.75), (RED, 1)]


def wall():
    stale = ("count(mailbox:replyclock_sync_stale) "
             "or count(replyclock_mailbox_last_sync_success_timestamp_seconds != replyclock_mailbox_last_sync_success_timestamp_seconds) "
             "or vector(0)")
    banner = panel("stat", "Mailbox sync", 0, 0, 24, 3, [target(stale, "mailboxes not synced", instant=True)],
                   steps=[("#1a7f37", None), (RED, 1)],
                   mappings=[{"type": "value", "options": {"0": {"text": "All mailboxes synced", "color": "#1a7f37"}}},
                             {"type": "range", "options": {"from": 1, "to": 1e9, "result": {
                                 "text": "MAILBOX NOT SYNCED FOR 3 POLL INTERVALS - figures are stale", "color": RED}}}],
                   options=stat_options(40, text_mode="value"),
                   description="Red when any mailbox has not synced for 3 poll intervals (or never synced).")
    state_colors = [{"matcher": {"id": "byRegexp", "options": f".*{s}.*"},
                     "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": c}}]}
                    for s, c in (("pending", BLUE), ("at_risk", ORANGE), ("breached", RED))]
    waiting = panel("stat", "Leads waiting now", 0, 3, 9, 8,
                    [target("team_state:replyclock_leads_open:sum", "{{team}} {{state}}", instant=True)],
                    steps=[(BLUE, None)], overrides=state_colors, decimals=0,
                    options=stat_options(44, color_mode="background"))
    oldest = panel("stat", "Oldest wait (business time)", 9, 3, 5, 8,
                   [target("team:replyclock_oldest_open_lead_business_seconds:max", "{{team}}", instant=True)],
                   unit="s", steps=[("text", None)], options=stat_options(44, color_mode="value"),
                   description="Business time the oldest unanswered lead of each team has waited.")
    oldest_share = panel("stat", "Oldest wait, share of SLA", 14, 3, 5, 8,
                         [target("team:replyclock_oldest_open_lead_business_seconds:max"
                                 " / on (team) team:replyclock_first_response_target_seconds:min", "{{team}}", instant=True)],
                         unit="percentunit", steps=RATIO_TO_TARGET, options=stat_options(44))
    compliance = panel("stat", "7-day compliance", 19, 3, 5, 8,
                       [target('min by (team) (replyclock_window_first_response_compliance_ratio{window="7d"})',
                               "{{team}}", instant=True)],
                       unit="percentunit", decimals=0, steps=[(RED, None), (ORANGE, 0.8), (GREEN, 0.95)],
                       options=stat_options(44), min_=0, max_=1,
                       description="met / (met + breached) over leads started in the last 7 days (worst mailbox of the team).")
    median_today = panel("stat", "Median first response, last 24 h (share of SLA)", 0, 11, 6, 8,
                         [target('max by (team) (replyclock_window_first_response_business_seconds{window="1d",quantile="0.5"})'
                                 " / on (team) team:replyclock_first_response_target_seconds:min", "{{team}}", instant=True)],
                         unit="percentunit", decimals=0, steps=RATIO_TO_TARGET, options=stat_options(44),
                         description="Median business time to first response of leads started in the last 24 h, as a share of the team's target (100% = at the SLA).")
    median_week = panel("stat", "Median first response, 7 days (target below)", 6, 11, 6, 8,
                        [target('max by (team) (replyclock_window_first_response_business_seconds{window="7d",quantile="0.5"})',
                                "{{team}}", instant=True),
                         target("team:replyclock_first_response_target_seconds:min", "{{team}} target", "B", instant=True)],
                        unit="s", steps=[("text", None)], options=stat_options(36, color_mode="value"))
    leaderboard = panel("bargauge", "Rep leaderboard: first responses, 7 days", 12, 11, 12, 8,
                        [target('topk(10, replyclock_rep_window_first_responses{window="7d", rep!="other"})',
                                "{{rep}} ({{team}})", instant=True)],
                        steps=[(BLUE, None)], decimals=0, options=bar_options(), min_=0)
    volume = panel("bargauge", "Leads per rep this month vs marketing target", 0, 19, 12, 8,
                   [target("max by (team) (replyclock_leads_per_rep_month_to_date)"
                           " / on (team) max by (team) (replyclock_leads_per_rep_month_target)",
                           "{{team}}", instant=True)],
                   unit="percentunit", decimals=0, steps=[(ORANGE, None), (GREEN, 1)], options=bar_options(), min_=0, max_=1.5)
    volume_abs = panel("stat", "Leads month to date", 12, 19, 12, 8,
                       [target("max by (team) (replyclock_leads_month_to_date)", "{{team}}", instant=True)],
                       decimals=0, steps=[(BLUE, None)], options=stat_options(44, color_mode="value"))
    return dashboard("replyclock-wall", "Replyclock - office wall",
                     [banner, waiting, oldest, oldest_share, compliance, median_today, median_week, leaderboard,
                      volume, volume_abs],
                     [datasource_var()], "30s", "now-6h", ["replyclock", "wall"],
                     description="For a TV across the room: kiosk mode, dark theme, no scrolling.")


def reps():
    sel = 'team=~"$team", rep=~"$rep", window="$window"'
    panels = [
        panel("timeseries", "First responses ($window window)", 0, 0, 12, 8,
              [target(f"replyclock_rep_window_first_responses{{{sel}}}", "{{rep}}")],
              decimals=0, steps=[(BLUE, None)], options=ts_options()),
        panel("timeseries", "First-response compliance ($window window)", 12, 0, 12, 8,
              [target(f"replyclock_rep_window_first_response_compliance_ratio{{{sel}}}", "{{rep}}")],
              unit="percentunit", min_=0, max_=1, steps=[(RED, None), (ORANGE, 0.8), (GREEN, 0.95)], options=ts_options()),
        panel("timeseries", "Median first response ($window window)", 0, 8, 12, 8,
              [target(f'replyclock_rep_window_first_response_business_seconds{{{sel}, quantile="0.5"}}', "{{rep}} p50"),
               target(f'replyclock_rep_window_first_response_business_seconds{{{sel}, quantile="0.9"}}', "{{rep}} p90", "B")],
              unit="s", steps=[(GREEN, None)], options=ts_options()),
        panel("bargauge", "Distribution of first responses (business time, dashboard range)", 12, 8, 12, 8,
              [target('sum by (le) (increase(replyclock_first_response_business_seconds_bucket{team=~"$team", rep=~"$rep"}[$__range]))',
                      "{{le}}", instant=True)],
              decimals=0, steps=[(BLUE, None)], options={**bar_options(), "orientation": "vertical"},
              description="Cumulative histogram: leads answered within each bucket edge; every SLA target is an edge."),
        panel("table", "Outcomes by rep (dashboard range)", 0, 16, 12, 8,
              [target('sum by (rep, outcome) (increase(replyclock_sla_first_response_total{team=~"$team", rep=~"$rep"}[$__range]))',
                      "{{rep}} {{outcome}}", instant=True)],
              decimals=0, steps=[(BLUE, None)], options={"showHeader": True, "cellHeight": "sm"}),
        panel("timeseries", "Team compliance and lead volume ($window window)", 12, 16, 12, 8,
              [target('replyclock_window_first_response_compliance_ratio{team=~"$team", window="$window"}', "{{mailbox}} compliance"),
               target('replyclock_window_attempts_compliance_ratio{team=~"$team", window="$window"}', "{{mailbox}} attempts", "B")],
              unit="percentunit", min_=0, max_=1, steps=[(GREEN, None)], options=ts_options()),
    ]
    window = {"name": "window", "label": "Window", "type": "custom", "query": "1d,7d,30d",
              "current": {"text": "7d", "value": "7d", "selected": True},
              "options": [{"text": w, "value": w, "selected": w == "7d"} for w in ("1d", "7d", "30d")],
              "hide": 0, "multi": False, "includeAll": False, "skipUrlSync": False}
    url = {"name": "replyclock_url", "label": "Replyclock URL", "type": "textbox", "query": "http://localhost:9465",
           "current": {"text": "http://localhost:9465", "value": "http://localhost:9465"}, "hide": 2,
           "options": [], "skipUrlSync": False}
    links = [{"title": "Replyclock report (per lead audit)", "type": "link", "url": "${replyclock_url}/api/report",
              "icon": "external link", "targetBlank": True, "tooltip": "Every lead with its first response and states",
              "asDropdown": False, "includeVars": False, "keepTime": False, "tags": []}]
    return dashboard("replyclock-reps", "Replyclock - reps",
                     panels, [datasource_var(),
                              query_var("team", "Team", "label_values(replyclock_rep_window_first_responses, team)"),
                              query_var("rep", "Rep", 'label_values(replyclock_rep_window_first_responses{team=~"$team"}, rep)'),
                              window, url],
                     "1m", "now-30d", ["replyclock", "reps"], links,
                     description="For managers: per-rep trends, distribution and compliance.")


if __name__ == "__main__":
    for name, board in (("replyclock-wall.json", wall()), ("replyclock-reps.json", reps())):
        (OUT / name).write_text(json.dumps(board, indent=2) + "\n")
        print("wrote", OUT / name)
