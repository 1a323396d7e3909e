#!/usr/bin/env python3
"""Writes grafana/dashboards/*.json. Edit here, run `python3 grafana/build_dashboards.py`, commit both.

Every query goes through the ${datasource} variable; the wall is dark, 24x27 grid units (one 1080p TV, no
scrolling): one card per team side by side (repeated over $team, up to 4 a row), then time series over the
dashboard range. Colours come from the targets the service exports (compliance_target_percent, first_response);
links go to the audit pages under ${replyclock_url}, read from replyclock_public_url_info (http.public_url).
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

# Targets come from the service's own gauges (the config's sla_policies), never from numbers written here.
COMPLIANCE_TARGET = "team:replyclock_first_response_compliance_target_ratio:max"
RESPONSE_TARGET = "team:replyclock_first_response_target_seconds:min"
URL = "${replyclock_url}"


def url_var():
    """The audit pages' base URL, read from replyclock_public_url_info{url} (http.public_url)."""
    v = query_var("replyclock_url", "Replyclock URL", "label_values(replyclock_public_url_info, url)",
                  multi=False, include_all=False)
    v["hide"] = 2
    return v


def team_var(hide=0):
    v = query_var("team", "Team", "label_values(replyclock_mailbox_info, team)")
    v["hide"] = hide
    v["current"] = {"text": "All", "value": "$__all", "selected": True}
    return v


def link(title, url):
    """A data link (fields) to an audit page; opens in a new tab."""
    return {"title": title, "url": url, "targetBlank": True}


def panel_link(title, url):
    return {"title": title, "type": "link", "url": url, "icon": "external link", "targetBlank": True,
            "tooltip": title, "asDropdown": False, "includeVars": False, "keepTime": False, "tags": []}


def from_query(ref, handler, apply_to, handler_arguments=None):
    """configFromData: the value of query `ref` becomes `handler` (min, max, threshold1) of frame `apply_to`."""
    mapping = {"fieldName": "target", "handlerKey": handler}
    if handler_arguments:
        mapping["handlerArguments"] = handler_arguments
    return {"id": "configFromData", "options": {"configRefId": ref, "mappings": [mapping],
                                                "applyTo": {"id": "byFrameRefID", "options": apply_to}}}


def compliance_colors(target_ref, lower_ref, apply_to):
    """Red at or below twice the allowed breach share (2 x target - 1), green from the target up: min and max of a
    continuous red-yellow-green scale, both from the exported compliance target."""
    return [from_query(target_ref, "max", apply_to), from_query(lower_ref, "min", apply_to)]


def by_frame(ref, *properties):
    return {"matcher": {"id": "byFrameRefID", "options": ref}, "properties": list(properties)}


def prop(key, value):
    return {"id": key, "value": value}


CONTINUOUS_RYG = {"mode": "continuous-RdYlGr"}


def table_target(expr, ref):
    t = target(expr, "", ref, instant=True)
    t["format"] = "table"
    return t


def ts_target(expr, legend, ref="A", interval=None):
    t = target(expr, legend, ref)
    if interval:
        t["interval"] = interval
    return t


def dashed_targets():
    """Target lines: dashed, no fill, grey."""
    return {"matcher": {"id": "byRegexp", "options": ".*target$"},
            "properties": [prop("custom.lineStyle", {"fill": "dash", "dash": [10, 10]}),
                           prop("color", {"mode": "fixed", "fixedColor": "#9fa7b3"}), prop("custom.fillOpacity", 0)]}


def team_card():
    """One card per team (repeated over $team): at risk now, open breached, 7-day compliance and median, coloured
    against that team's exported targets."""
    sel = 'team=~"$team"'
    targets = [
        target(f'sum(replyclock_leads_open{{{sel}, state="at_risk"}}) or vector(0)', "at risk now", "A", instant=True),
        target(f'sum(replyclock_leads_open{{{sel}, state="breached"}}) or vector(0)', "breached, unanswered", "B", instant=True),
        target(f'min(replyclock_window_first_response_compliance_ratio{{{sel}, window="7d"}})', "compliance 7 d", "C", instant=True),
        target(f'max(replyclock_window_first_response_business_seconds{{{sel}, window="7d", quantile="0.5"}})',
               "median 7 d", "D", instant=True),
        target(f'max({COMPLIANCE_TARGET}{{{sel}}})', "target", "T", instant=True),
        target(f'2 * max({COMPLIANCE_TARGET}{{{sel}}}) - 1', "target", "L", instant=True),
        target(f'min({RESPONSE_TARGET}{{{sel}}})', "target", "M", instant=True),
    ]
    p = panel("stat", "$team", 0, 3, 24, 7, targets, steps=[("text", None)], decimals=0,
              options=stat_options(56, color_mode="background", text_mode="value_and_name"),
              overrides=[by_frame("A", prop("color", {"mode": "fixed", "fixedColor": "#b35c00"})),
                         by_frame("B", prop("color", {"mode": "fixed", "fixedColor": "#b3261e"})),
                         by_frame("C", prop("unit", "percentunit"), prop("color", CONTINUOUS_RYG)),
                         by_frame("D", prop("unit", "s"))],
              description="At risk now and breached but unanswered (open leads); compliance (met / decided) and median "
                          "business time to the first response of leads started in the last 7 days. Compliance is green "
                          "from the team's compliance_target_percent up; the median turns red at its first_response.")
    p["transformations"] = compliance_colors("T", "L", "C") + [
        from_query("M", "threshold1", "D", {"threshold": {"color": "red"}})]
    p["repeat"] = "team"
    p["repeatDirection"] = "h"
    p["maxPerRow"] = 4
    p["links"] = [panel_link("$team: audit page", URL + "/teams/${team}"),
                  panel_link("$team: open leads (API)", URL + "/api/leads?team=${team}&state=at_risk")]
    p["fieldConfig"]["defaults"]["links"] = [link("Team ${team}", URL + "/teams/${team}")]
    return p


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
    team_link = [link("${__field.labels.team}: audit page", URL + "/teams/${__field.labels.team}")]
    compliance = panel("timeseries", "First-response compliance per team (rolling 24 h)", 0, 10, 12, 8,
                       [ts_target('min by (team) (replyclock_window_first_response_compliance_ratio{team=~"$team", window="1d"})', "{{team}}"),
                        ts_target(f'{COMPLIANCE_TARGET}{{team=~"$team"}}', "{{team}} target", "B")],
                       unit="percentunit", min_=0, max_=1, steps=[(BLUE, None)], options=ts_options(),
                       overrides=[dashed_targets()],
                       description="met / (met + breached) of the leads started in the 24 h before each point (the "
                                   "team's worst mailbox); dashed: the team's compliance target.")
    compliance["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
    compliance["fieldConfig"]["defaults"]["links"] = team_link
    median = panel("timeseries", "Median first response per team (rolling 24 h, business time)", 12, 10, 12, 8,
                   [ts_target('max by (team) (replyclock_window_first_response_business_seconds{team=~"$team", window="1d", quantile="0.5"})', "{{team}}"),
                    ts_target(f'{RESPONSE_TARGET}{{team=~"$team"}}', "{{team}} target", "B")],
                   unit="s", min_=0, steps=[(BLUE, None)], options=ts_options(), overrides=[dashed_targets()],
                   description="Median business time to the first response of leads started in the 24 h before each "
                               "point; dashed: the team's first_response target.")
    median["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
    median["fieldConfig"]["defaults"]["links"] = team_link
    flow = panel("timeseries", "Leads arriving vs answered per hour", 0, 18, 12, 9,
                 [ts_target('sum by (team) (increase(replyclock_leads_detected_total{team=~"$team"}[1h]))', "{{team}} arriving", "A", "1h"),
                  ts_target('sum by (team) (increase(replyclock_first_response_business_seconds_count{team=~"$team"}[1h]))',
                            "{{team}} answered", "B", "1h")],
                 decimals=0, min_=0, steps=[(BLUE, None)], options=ts_options(),
                 overrides=[{"matcher": {"id": "byRegexp", "options": ".*answered$"},
                             "properties": [prop("custom.transform", "negative-Y")]}],
                 description="New leads (up) and first responses (down) in each hour, per team.")
    flow["interval"] = "1h"
    flow["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
    flow["fieldConfig"]["defaults"]["custom"] = {"drawStyle": "bars", "fillOpacity": 80, "lineWidth": 1}
    flow["fieldConfig"]["defaults"]["links"] = team_link
    board = leaderboard("Rep leaderboard by compliance, 7 days", 12, 18, 12, 9, 'team=~"$team"', "7d", limit=10)
    return dashboard("replyclock-wall", "Replyclock - office wall",
                     [banner, team_card(), compliance, median, flow, board],
                     [datasource_var(), team_var(hide=2), url_var()], "30s", "now-7d", ["replyclock", "wall"],
                     description="For a TV across the room: kiosk mode, dark theme, no scrolling. One card per team; "
                                 "thresholds from the exported SLA targets.")


def leaderboard(title, x, y, w, h, sel, window, limit=None):
    """Reps ranked by first-response compliance; names link to the rep and team pages."""
    reps = f'{sel}, rep!="other", window="{window}"'
    p = panel("table", title, x, y, w, h,
              [table_target(f"replyclock_rep_window_first_response_compliance_ratio{{{reps}}}", "A"),
               table_target(f"replyclock_rep_window_first_responses{{{reps}}}", "B"),
               table_target(f'replyclock_rep_window_first_response_business_seconds{{{reps}, quantile="0.5"}}', "C"),
               target(f"max({COMPLIANCE_TARGET}{{{sel}}})", "target", "T", instant=True),
               target(f"2 * max({COMPLIANCE_TARGET}{{{sel}}}) - 1", "target", "L", instant=True)],
              steps=[("text", None)], options={"showHeader": True, "cellHeight": "md",
                                               "sortBy": [{"displayName": "Compliance", "desc": True}],
                                               "footer": {"show": False, "reducer": ["sum"], "fields": ""}},
              overrides=[{"matcher": {"id": "byName", "options": "Compliance"},
                          "properties": [prop("unit", "percentunit"), prop("decimals", 0), prop("color", CONTINUOUS_RYG),
                                         prop("custom.cellOptions", {"type": "color-background"})]},
                         {"matcher": {"id": "byName", "options": "Median"},
                          "properties": [prop("unit", "s")]},
                         {"matcher": {"id": "byName", "options": "First responses"},
                          "properties": [prop("decimals", 0)]},
                         {"matcher": {"id": "byName", "options": "Rep"},
                          "properties": [prop("links", [link("${__value.raw}: rep page", URL + "/reps/${__value.raw}")])]},
                         {"matcher": {"id": "byName", "options": "Team"},
                          "properties": [prop("links", [link("${__value.raw}: team page", URL + "/teams/${__value.raw}")])]}],
              description="Ranked by compliance (met / decided first responses); green from the compliance target "
                          "up, red at twice the allowed share of breaches.")
    p["transformations"] = compliance_colors("T", "L", "A") + [
        {"id": "merge", "options": {}},
        {"id": "organize", "options": {
            "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True, "window": True,
                              "quantile": True},
            "indexByName": {"rep": 0, "team": 1, "Value #A": 2, "Value #B": 3, "Value #C": 4},
            "renameByName": {"rep": "Rep", "team": "Team", "Value #A": "Compliance", "Value #B": "First responses",
                             "Value #C": "Median"}}},
        {"id": "sortBy", "options": {"fields": {}, "sort": [{"field": "Compliance", "desc": True}]}}]
    if limit:
        p["transformations"].append({"id": "limit", "options": {"limitField": limit}})
    return p


# Bucket edges (seconds) of replyclock_first_response_business_seconds that are always there, in words; a
# configured first_response that is none of these shows as seconds.
HUMAN_EDGES = [(60, "1 min"), (300, "5 min"), (900, "15 min"), (1800, "30 min"), (3600, "1 h"), (7200, "2 h"),
               (14400, "4 h"), (28800, "8 h"), (86400, "1 d"), (172800, "2 d")]


def distribution(x, y, w, h):
    """First responses per bucket (not cumulative: the heatmap format takes the buckets apart), in human units."""
    p = panel("bargauge", "Time to first response (business time, dashboard range)", x, y, w, h,
              [target('sum by (le) (increase(replyclock_first_response_business_seconds_bucket{team=~"$team", rep=~"$rep"}[$__range]))',
                      "{{le}}", instant=True)],
              decimals=0, steps=[(BLUE, None)], options={**bar_options(), "orientation": "vertical"}, min_=0,
              description="How many first responses took up to each bucket edge (and more than the previous one); "
                          "every SLA target is an edge.")
    p["targets"][0]["format"] = "heatmap"
    renames = [{"id": "renameByRegex", "options": {"regex": f"^{edge}(\\.0)?$", "renamePattern": f"≤ {words}"}}
               for edge, words in HUMAN_EDGES]
    renames.append({"id": "renameByRegex", "options": {"regex": "^\\+Inf$", "renamePattern": "longer"}})
    renames.append({"id": "renameByRegex", "options": {"regex": "^([0-9]+)(\\.0)?$", "renamePattern": "≤ $1 s"}})
    p["transformations"] = renames
    return p


def reps():
    sel = 'team=~"$team", rep=~"$rep", window="$window"'
    rep_links = [link("${__field.labels.rep}: rep page", URL + "/reps/${__field.labels.rep}")]
    compliance = panel("timeseries", "First-response compliance per rep ($window window)", 12, 9, 12, 8,
                       [ts_target(f"replyclock_rep_window_first_response_compliance_ratio{{{sel}}}", "{{rep}}"),
                        ts_target(f'{COMPLIANCE_TARGET}{{team=~"$team"}}', "{{team}} target", "B")],
                       unit="percentunit", min_=0, max_=1, steps=[(BLUE, None)], options=ts_options(),
                       overrides=[dashed_targets()])
    median = panel("timeseries", "Median first response per rep ($window window, business time)", 0, 17, 12, 8,
                   [ts_target(f'replyclock_rep_window_first_response_business_seconds{{{sel}, quantile="0.5"}}', "{{rep}}"),
                    ts_target(f'{RESPONSE_TARGET}{{team=~"$team"}}', "{{team}} target", "B")],
                   unit="s", min_=0, steps=[(BLUE, None)], options=ts_options(), overrides=[dashed_targets()])
    for p in (compliance, median):
        p["fieldConfig"]["defaults"]["color"] = {"mode": "palette-classic"}
        p["fieldConfig"]["defaults"]["links"] = rep_links
    outcomes = panel("table", "Outcomes by rep (dashboard range)", 12, 17, 12, 8,
                     [table_target('sum by (rep, outcome) (increase(replyclock_sla_first_response_total{team=~"$team", rep=~"$rep"}[$__range]))', "A")],
                     decimals=0, steps=[("text", None)], options={"showHeader": True, "cellHeight": "sm"},
                     overrides=[{"matcher": {"id": "byName", "options": "rep\\outcome"},
                                 "properties": [prop("displayName", "Rep"),
                                                prop("links", [link("${__value.raw}: rep page", URL + "/reps/${__value.raw}")])]}],
                     description="First-response SLAs that ended in the dashboard range, met or breached, per rep.")
    outcomes["transformations"] = [{"id": "groupingToMatrix", "options": {
        "columnField": "outcome", "rowField": "rep", "valueField": "Value", "emptyValue": "zero"}}]
    panels = [
        leaderboard("Reps ($window window)", 0, 0, 24, 9, 'team=~"$team", rep=~"$rep"', "$window"),
        distribution(0, 9, 12, 8),
        compliance, median, outcomes,
        panel("timeseries", "Team compliance ($window window)", 0, 25, 24, 8,
              [ts_target('replyclock_window_first_response_compliance_ratio{team=~"$team", window="$window"}', "{{mailbox}} first response"),
               ts_target('replyclock_window_attempts_compliance_ratio{team=~"$team", window="$window"}', "{{mailbox}} attempts", "B"),
               ts_target(f'{COMPLIANCE_TARGET}{{team=~"$team"}}', "{{team}} target", "C")],
              unit="percentunit", min_=0, max_=1, steps=[(BLUE, None)], options=ts_options(), overrides=[dashed_targets()]),
    ]
    window = {"name": "window", "label": "Window", "type": "custom", "query": "1d,7d,30d",
              "current": {"text": "7d", "value": "7d", "selected": True},
              "options": [{"text": w, "value": w, "selected": w == "7d"} for w in ("1d", "7d", "30d")],
              "hide": 0, "multi": False, "includeAll": False, "skipUrlSync": False}
    links = [panel_link("Replyclock audit pages", URL + "/")]
    return dashboard("replyclock-reps", "Replyclock - reps",
                     panels, [datasource_var(), team_var(),
                              query_var("rep", "Rep", 'label_values(replyclock_rep_window_first_responses{team=~"$team"}, rep)'),
                              window, url_var()],
                     "1m", "now-30d", ["replyclock", "reps"], links,
                     description="For managers: reps ranked by compliance, their trends against the targets, the "
                                 "distribution of first responses and outcomes; names link to the audit pages.")


if __name__ == "__main__":
    for name, board in (("replyclock-wall.json", wall()), ("replyclock-reps.json", reps())):
        (OUT / name).write_text(json.dumps(board, indent=2) + "\n")
        print("wrote", OUT / name)
