package dev.replyclock.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the dashboards promise, read from their JSON (Grafana itself cannot run here; PrometheusIntegrationTest runs
 * every query against a real Prometheus, DashboardSchemaTest type-checks them): the wall is built on time series,
 * SLA colours come from the exported targets, the leaderboard ranks by compliance, links go to the audit pages under
 * the exported public URL, tables are shaped by transformations, and the distribution is a histogram in human units.
 */
class DashboardContentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TARGET_METRIC = Pattern.compile("replyclock_first_response_(compliance_target_ratio|target_seconds)");

    private static JsonNode board(String name) throws IOException {
        return JSON.readTree(Path.of("grafana/dashboards", name).toFile());
    }

    private static List<JsonNode> panels(JsonNode board, String type) {
        List<JsonNode> out = new ArrayList<>();
        board.path("panels").forEach(p -> {
            if (type == null || p.path("type").asText().equals(type)) {
                out.add(p);
            }
        });
        return out;
    }

    private static String exprs(JsonNode panel) {
        StringBuilder b = new StringBuilder();
        panel.path("targets").forEach(t -> b.append(t.path("expr").asText()).append('\n'));
        return b.toString();
    }

    private static Map<String, String> byRef(JsonNode panel) {
        Map<String, String> out = new HashMap<>();
        panel.path("targets").forEach(t -> out.put(t.path("refId").asText(), t.path("expr").asText()));
        return out;
    }

    private static List<JsonNode> transformations(JsonNode panel, String id) {
        List<JsonNode> out = new ArrayList<>();
        panel.path("transformations").forEach(t -> {
            if (t.path("id").asText().equals(id)) {
                out.add(t);
            }
        });
        return out;
    }

    @Test
    void theWallShowsComplianceMedianAndFlowPerTeamOverTheDashboardRange() throws Exception {
        JsonNode wall = board("replyclock-wall.json");
        List<JsonNode> series = panels(wall, "timeseries");
        assertTrue(series.stream().anyMatch(p -> exprs(p).contains("min by (team) (replyclock_window_first_response_compliance_ratio")));
        assertTrue(series.stream().anyMatch(p -> exprs(p).contains("max by (team) (replyclock_window_first_response_business_seconds")
                && exprs(p).contains("quantile=\"0.5\"")));
        JsonNode flow = series.stream().filter(p -> exprs(p).contains("replyclock_leads_detected_total")).findFirst().orElseThrow();
        assertTrue(exprs(flow).contains("increase(replyclock_first_response_business_seconds_count"), "answered against arriving");
        assertEquals("1h", flow.path("interval").asText(), "per hour");
        assertEquals("now-7d", wall.path("time").path("from").asText());
        for (JsonNode p : panels(wall, null)) {
            JsonNode pos = p.path("gridPos");
            assertTrue(pos.path("y").asInt() + pos.path("h").asInt() <= 27, p.path("title") + " fits one 1080p screen");
        }
    }

    @Test
    void slaColoursComeFromTheExportedTargetsNeverFromNumbersInTheDashboard() throws Exception {
        int checked = 0;
        for (String name : List.of("replyclock-wall.json", "replyclock-reps.json")) {
            for (JsonNode p : panels(board(name), null)) {
                String all = exprs(p);
                if (!all.contains("compliance_ratio") && !all.contains("first_response_business_seconds{")
                        && !all.contains("first_response_business_seconds\"")) {
                    continue;
                }
                if (!p.path("type").asText().equals("stat") && !p.path("type").asText().equals("table")) {
                    continue;
                }
                checked++;
                p.path("fieldConfig").path("defaults").path("thresholds").path("steps").forEach(step ->
                        assertTrue(step.path("value").isNull(), p.path("title") + ": a threshold written into the dashboard: " + step));
                List<JsonNode> fromData = transformations(p, "configFromData");
                assertFalse(fromData.isEmpty(), p.path("title") + " takes its colours from queries");
                Map<String, String> refs = byRef(p);
                for (JsonNode t : fromData) {
                    String configExpr = refs.get(t.path("options").path("configRefId").asText());
                    assertTrue(configExpr != null && configExpr.contains("team:" ), p.path("title") + ": " + t);
                    assertTrue(TARGET_METRIC.matcher(configExpr).find(), p.path("title") + " config query " + configExpr);
                }
            }
        }
        assertTrue(checked >= 3, "team card, wall leaderboard, reps table: " + checked);
    }

    @Test
    void theLeaderboardRanksRepsByCompliance() throws Exception {
        JsonNode board = panels(board("replyclock-wall.json"), "table").stream()
                .filter(p -> p.path("title").asText().contains("leaderboard")).findFirst().orElseThrow();
        assertTrue(byRef(board).get("A").contains("replyclock_rep_window_first_response_compliance_ratio"));
        JsonNode organize = transformations(board, "organize").get(0).path("options").path("renameByName");
        assertEquals("Compliance", organize.path("Value #A").asText());
        JsonNode sort = transformations(board, "sortBy").get(0).path("options").path("sort");
        assertEquals(1, sort.size());
        assertEquals("Compliance", sort.get(0).path("field").asText());
        assertTrue(sort.get(0).path("desc").asBoolean());
        assertFalse(transformations(board, "merge").isEmpty(), "one row per rep");
    }

    @Test
    void linksGoToTheAuditPagesUnderTheExportedPublicUrl() throws Exception {
        List<String> urls = new ArrayList<>();
        for (String name : List.of("replyclock-wall.json", "replyclock-reps.json")) {
            JsonNode b = board(name);
            JsonNode url = null;
            for (JsonNode v : b.path("templating").path("list")) {
                if (v.path("name").asText().equals("replyclock_url")) {
                    url = v;
                }
            }
            assertTrue(url != null, name + " has the replyclock_url variable");
            assertEquals("label_values(replyclock_public_url_info, url)", url.path("query").path("query").asText());
            b.findValues("url").forEach(u -> urls.add(u.asText()));
        }
        assertFalse(urls.isEmpty());
        for (String u : urls) {
            assertTrue(u.startsWith("${replyclock_url}/"), u);
        }
        for (String page : List.of("/teams/", "/reps/", "/api/leads?")) {
            assertTrue(urls.stream().anyMatch(u -> u.contains(page)), page + " linked: " + urls);
        }
    }

    @Test
    void repsTablesAreShapedByTransformationsAndTheDistributionIsAHistogramInHumanUnits(@TempDir Path dir) throws Exception {
        JsonNode reps = board("replyclock-reps.json");
        List<JsonNode> tables = panels(reps, "table");
        assertTrue(tables.size() >= 2);
        for (JsonNode t : tables) {
            assertFalse(t.path("transformations").isEmpty(), t.path("title") + " renders through transformations");
            t.path("targets").forEach(q -> {
                if (!q.path("expr").asText().contains("target")) {
                    assertEquals("table", q.path("format").asText(), t.path("title") + " queries as a table");
                }
            });
        }
        JsonNode outcomes = tables.stream().filter(t -> t.path("title").asText().startsWith("Outcomes")).findFirst().orElseThrow();
        assertEquals("outcome", transformations(outcomes, "groupingToMatrix").get(0).path("options").path("columnField").asText());

        JsonNode histogram = panels(reps, "bargauge").stream()
                .filter(p -> exprs(p).contains("replyclock_first_response_business_seconds_bucket")).findFirst().orElseThrow();
        assertEquals("heatmap", histogram.path("targets").get(0).path("format").asText(), "buckets taken apart, not cumulative");
        List<JsonNode> renames = transformations(histogram, "renameByRegex");
        double[] edges = ReplyclockMetrics.firstResponseBuckets(ReplyclockMetricsTest.config(dir));
        for (double edge : edges) {
            String le = Double.toString(edge);
            String renamed = renames.stream().filter(r -> le.matches(r.path("options").path("regex").asText()))
                    .map(r -> r.path("options").path("renamePattern").asText()).findFirst().orElse(le);
            assertTrue(renamed.startsWith("≤ "), le + " -> " + renamed);
            if (edge % 60 == 0 && edge >= 60 && Pattern.compile("^(60|300|900|1800|3600|7200|14400|28800|86400|172800)\\.0$").matcher(le).matches()) {
                assertTrue(renamed.matches("≤ [0-9]+ (min|h|d)"), le + " in words: " + renamed);
            }
        }
        assertTrue(renames.stream().anyMatch(r -> "+Inf".matches(r.path("options").path("regex").asText())), "the last bucket");
    }
}
