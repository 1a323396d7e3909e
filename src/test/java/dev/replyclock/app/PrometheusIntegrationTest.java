package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.web.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service on scenario mail, scraped by a real Prometheus on loopback that also evaluates
 * deploy/prometheus/rules: every PromQL expression of both dashboards and of the rules is valid, every metric
 * (and recording rule) they name returns data, every dashboard panel query returns data, and every metric name
 * the dashboards use is one the service exports.
 *
 * <p>Three services, each at its scenario's {@code now}, cover every figure: 13 (every SLA state, 7-day
 * figures), 12 (attempts decided), 10 (answers within the last day).
 */
class PrometheusIntegrationTest {

    private static final List<String> SCENARIOS = List.of("13-sla-states", "12-attempts-sla", "10-rep-attribution");
    /** Metrics of Prometheus or Alertmanager themselves: valid PromQL here, data only where those are scraped. */
    private static final Pattern EXTERNAL = Pattern.compile("^(prometheus|alertmanager)_");
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:\"$.{])([a-z_][a-z0-9_]*:[a-z0-9_:]+|replyclock_[a-z0-9_]+|prometheus_[a-z0-9_]+|alertmanager_[a-z0-9_]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static final List<Service> services = new ArrayList<>();
    private static final List<HttpServer> servers = new ArrayList<>();
    private static Process prometheus;
    private static String api;
    private static Path prometheusLog;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        String binary = dev.replyclock.metrics.PromtoolTestAccess.executable("prometheus");
        List<String> targets = new ArrayList<>();
        for (String name : SCENARIOS) {
            Path scenario = SharedFiles.scenarios().resolve(name);
            Path copy = Files.createDirectories(dir.resolve(name));
            Config config = ServiceMetricsTest.scenarioConfig(scenario, copy);
            Clock clock = Clock.fixed(ServiceMetricsTest.scenarioNow(scenario), ZoneOffset.UTC);
            Service service = Service.open(config, clock);
            services.add(service);
            service.pollAll().forEach(o -> assertFalse(o.failed(), name + ": " + o.error()));
            HttpServer http = new HttpServer(service.results(), Optional::empty, clock, service.scraper(), null).start("127.0.0.1", 0);
            servers.add(http);
            targets.add("\"127.0.0.1:" + http.port() + "\"");
        }
        Path rules = Path.of("deploy/prometheus/rules/replyclock.rules.yml").toAbsolutePath();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: replyclock
                    static_configs: [{targets: [%s]}]
                """.formatted(rules, String.join(", ", targets)));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        prometheusLog = dir.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
        // Ready when every target was scraped and the recording rules have run at least once.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!prometheus.isAlive()) {
                fail("prometheus exited " + prometheus.exitValue() + ":\n" + Files.readString(prometheusLog));
            }
            try {
                if (result("count(up{job=\"replyclock\"} == 1)").path(0).path("value").path(1).asText().equals(String.valueOf(SCENARIOS.size()))
                        && result("team_state:replyclock_leads_open:sum").size() > 0
                        && result("mailbox:replyclock_sync_age_seconds").size() > 0) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                fail("prometheus did not scrape the service in 60 s:\n" + Files.readString(prometheusLog));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        servers.forEach(HttpServer::close);
        services.forEach(Service::close);
    }

    /** Runs an instant query; fails with Prometheus's error when the expression is invalid. */
    private static JsonNode result(String expr) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("success", body.path("status").asText(), () -> "invalid PromQL: " + expr + "\n" + response.body());
        return body.path("data").path("result");
    }

    /** Grafana's variables, as Grafana would fill them for "All" and the default window. */
    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "15s")
                .replace("$team", ".*").replace("$rep", ".*").replace("$window", "30d");
    }

    /** Panel queries of a dashboard, by panel title; label_values(...) variable queries as their selector. */
    static Map<String, String> dashboardExpressions(Path file) throws IOException {
        JsonNode board = JSON.readTree(file.toFile());
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : board.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.put(file.getFileName() + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*[a-z_]+\\)");
        for (JsonNode variable : board.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                Matcher m = labelValues.matcher(variable.path("query").path("query").asText());
                assertTrue(m.matches(), "variable query " + variable);
                out.put(file.getFileName() + " / variable " + variable.path("name").asText(), m.group(1));
            }
        }
        return out;
    }

    static Map<String, String> ruleExpressions() throws IOException {
        JsonNode rules = new YAMLMapper().readTree(Path.of("deploy/prometheus/rules/replyclock.rules.yml").toFile());
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                out.put("rules / " + name, rule.path("expr").asText());
            }
        }
        return out;
    }

    static Set<String> names(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Map<String, String> allExpressions() throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-wall.json")));
        all.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-reps.json")));
        all.putAll(ruleExpressions());
        return all;
    }

    @Test
    void everyExpressionIsValidAndEveryMetricItNamesHasData() throws Exception {
        Map<String, String> all = allExpressions();
        assertTrue(all.size() > 25, "found " + all.size() + " expressions");
        List<String> problems = new ArrayList<>();
        Set<String> checkedNames = new TreeSet<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String expr = substitute(e.getValue());
            assertFalse(expr.contains("$"), e.getKey() + ": unsubstituted variable in " + expr);
            result(expr); // valid PromQL, or the assertion names it
            for (String name : names(expr)) {
                if (EXTERNAL.matcher(name).find() || !checkedNames.add(name)) {
                    continue;
                }
                if (result("count({__name__=\"" + name + "\"})").isEmpty()) {
                    problems.add(e.getKey() + ": no data for " + name);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checkedNames.size() > 15, checkedNames.toString());
    }

    @Test
    void everyDashboardPanelQueryReturnsData() throws Exception {
        List<String> empty = new ArrayList<>();
        Map<String, String> panels = new LinkedHashMap<>();
        panels.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-wall.json")));
        panels.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-reps.json")));
        for (Map.Entry<String, String> e : panels.entrySet()) {
            if (result(substitute(e.getValue())).isEmpty()) {
                empty.add(e.getKey() + ": " + e.getValue());
            }
        }
        assertTrue(empty.isEmpty(), "queries without data:\n" + String.join("\n", empty));
    }

    @Test
    void everyMetricTheDashboardsUseIsExported() throws Exception {
        String exposition = String.join("\n", services.stream().map(s -> s.metrics().scrape(null).body()).toList());
        Set<String> exported = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> recorded = new TreeSet<>();
        for (String key : ruleExpressions().keySet()) {
            if (key.contains(":")) {
                recorded.add(key.substring("rules / ".length()));
            }
        }
        Set<String> missing = new TreeSet<>();
        Map<String, String> all = new LinkedHashMap<>();
        all.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-wall.json")));
        all.putAll(dashboardExpressions(Path.of("grafana/dashboards/replyclock-reps.json")));
        for (String expr : all.values()) {
            for (String name : names(expr)) {
                if (!exported.contains(name) && !recorded.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "dashboards use metrics the service does not export: " + missing);
        // Recording rules used by the dashboards are built from exported metrics only.
        for (Map.Entry<String, String> rule : ruleExpressions().entrySet()) {
            for (String name : names(rule.getValue())) {
                assertTrue(exported.contains(name) || recorded.contains(name) || EXTERNAL.matcher(name).find(),
                        rule.getKey() + " uses " + name + ", which is not exported");
            }
        }
    }
}
