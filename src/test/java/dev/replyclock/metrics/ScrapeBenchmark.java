package dev.replyclock.metrics;

import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;
import dev.replyclock.report.Counts;
import dev.replyclock.report.Results;
import dev.replyclock.web.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * {@code GET /metrics} with 20 mailboxes (one team each) and 200 reps (10 per team), every rep with live
 * histograms and outcomes, LEADS leads over the last 30 days. Prints refresh and scrape times.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.metrics.ScrapeBenchmark [leads]</pre>
 */
public final class ScrapeBenchmark {

    public record Figures(int series, int bytes, double refreshMs, double medianMs, double p95Ms, double openMetricsMedianMs) {
    }

    private static double directMedian;

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Figures f = run(leads, 50);
        System.out.printf(Locale.ROOT, "20 mailboxes x 200 reps, %d leads: %d series, %d KB; refresh %.1f ms; "
                        + "GET /metrics median %.1f ms, p95 %.1f ms; OpenMetrics+gzip (as Prometheus asks) median %.1f ms; in-process render median %.1f ms%n",
                leads, f.series(), f.bytes() / 1024, f.refreshMs(), f.medianMs(), f.p95Ms(), f.openMetricsMedianMs(), directMedian);
    }

    public static Figures run(int leadCount, int scrapes) throws Exception {
        Config config = twentyMailboxesTwoHundredReps();
        Instant now = Instant.parse("2024-06-15T12:00:00Z");
        Random random = new Random(42);
        List<Lead> leads = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        for (int i = 0; i < leadCount; i++) {
            int t = random.nextInt(20);
            Instant start = now.minusSeconds(random.nextInt(30 * 86400));
            Response response = null;
            if (random.nextInt(10) > 0) {
                long seconds = random.nextInt(8 * 3600);
                String rep = random.nextInt(20) == 0 ? "someone@acme.example" : "rep" + t + "_" + random.nextInt(10);
                response = new Response("r" + i + "@acme.example", start.plusSeconds(seconds), rep, seconds, seconds);
            }
            Lead lead = new Lead("l" + i + "@customer.example", "c" + i, "inbox" + t, "team" + t, "x@customer.example", start,
                    start.plusSeconds(4 * 3600), start.plusSeconds(4 * 3600 - 1800), response, 1, start.plusSeconds(7 * 86400),
                    random.nextBoolean());
            leads.add(lead);
            waits.add(new Wait(lead.leadMessageId(), lead.conversationId(), lead.mailboxId(), lead.teamId(), start, response));
        }
        Results results = new Results() {
            public Config config() { return config; }
            public Counts counts() { return null; }
            public List<Lead> leads() { return leads; }
            public List<Wait> waits() { return waits; }
        };
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "bench")) {
            for (Lead lead : leads) {
                metrics.transitionStored(lead, "first_response", lead.firstResponseState(now), now, now, true);
            }
            for (int i = 0; i < 20; i++) {
                metrics.pollFinished("inbox" + i, 40, null, now);
                metrics.pollFinished("inbox" + i, 40, "Connection refused", now);
            }
            dev.replyclock.figures.Figures figures = new dev.replyclock.figures.Figures(results);
            double[] refresh = new double[30];
            for (int i = 0; i < refresh.length; i++) {
                long t0 = System.nanoTime();
                metrics.refresh(figures, now);
                refresh[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] direct = new double[scrapes];
            for (int i = 0; i < scrapes + 100; i++) {
                long t0 = System.nanoTime();
                String b = metrics.scrape(null).body();
                if (i >= 100) {
                    direct[i - 100] = (System.nanoTime() - t0) / 1e6;
                }
                if (i == 0 && System.getProperty("bench.dump") != null) {
                    Files.writeString(Path.of(System.getProperty("bench.dump")), b);
                }
            }
            Arrays.sort(direct);
            directMedian = direct[scrapes / 2];
            HttpServer.Scraper scraper = accept -> {
                ReplyclockMetrics.Scrape s = metrics.scrape(accept);
                return new HttpServer.Exposition(s.contentType(), s.bytes());
            };
            try (HttpServer http = new HttpServer(results, Optional::empty, Clock.systemUTC(), scraper, null).start("127.0.0.1", 0)) {
                HttpClient client = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + http.port() + "/metrics");
                String body = "";
                double[] text = new double[scrapes];
                double[] om = new double[scrapes];
                for (int warm = 0; warm < 100; warm++) {
                    client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                }
                for (int i = 0; i < scrapes; i++) {
                    long t0 = System.nanoTime();
                    body = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                    text[i] = (System.nanoTime() - t0) / 1e6;
                    t0 = System.nanoTime();
                    client.send(HttpRequest.newBuilder(uri).header("Accept", "application/openmetrics-text")
                                    .header("Accept-Encoding", "gzip").build(),
                            HttpResponse.BodyHandlers.ofString());
                    om[i] = (System.nanoTime() - t0) / 1e6;
                }
                int series = (int) body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
                Arrays.sort(text);
                Arrays.sort(om);
                Arrays.sort(refresh);
                return new Figures(series, body.length(), refresh[refresh.length / 2], text[scrapes / 2],
                        text[(int) Math.ceil(scrapes * 0.95) - 1], om[scrapes / 2]);
            }
        }
    }

    /**
     * 20 mailboxes {@code inbox0..inbox19@acme.example}, one team each ({@code team0..team19}) of 10 reps
     * {@code rep<team>_<n>@acme.example}, one 24x7 SLA of 4 h: the shape of the service's latency figures.
     */
    public static Config twentyMailboxesTwoHundredReps() throws java.io.IOException {
        Path dir = Files.createTempDirectory("replyclock-bench");
        StringBuilder yaml = new StringBuilder("""
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {std: {first_response: 4h, warn_before: 30m, attempts: {count: 3, within: 7d}, leads_per_rep_per_month: 50}}
                teams:
                """);
        for (int t = 0; t < 20; t++) {
            yaml.append("  team").append(t).append(":\n    members:\n");
            for (int r = 0; r < 10; r++) {
                yaml.append("      - {id: rep").append(t).append('_').append(r).append(", addresses: [rep").append(t).append('_')
                        .append(r).append("@acme.example]}\n");
            }
        }
        yaml.append("mailboxes:\n");
        for (int t = 0; t < 20; t++) {
            yaml.append("  - {id: inbox").append(t).append(", address: inbox").append(t).append("@acme.example, team: team")
                    .append(t).append(", sla: std, calendar: utc, source: {type: files, paths: [x]}}\n");
        }
        return ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), yaml));
    }
}
