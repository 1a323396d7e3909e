package dev.replyclock.web;

import dev.replyclock.SharedFiles;
import dev.replyclock.app.StoreCredentials;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.figures.Figures;
import dev.replyclock.metrics.ReplyclockMetrics;
import dev.replyclock.domain.Place;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Page and API response times with many leads. Not a test: run by hand, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.web.AuditPagesBenchmark 50000}.
 * Generates that many leads (60 % answered by scenario 13's reps) over 60 days, loads them the way a restart
 * loads the store ({@link LiveAnalysis#restore}), refreshes the metrics from the query layer as an SLA tick does, then
 * times {@code /metrics}, each page and API call: 10 warm-up requests, 40 measured (median, p95 = 38th, max).
 */
public final class AuditPagesBenchmark {

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        Config config = ConfigLoader.load(SharedFiles.scenarios().resolve("13-sla-states/config.yaml"));
        Instant now = Instant.parse("2024-03-01T12:00:00Z");
        Random random = new Random(7);
        Place inbox = new Place("sales-inbox", "inbox", true);
        Place sent = new Place("sales-inbox", "sent", false);
        String[] reps = {"alice", "bob", "carol"};
        List<MailMessage> messages = new ArrayList<>();
        long span = Duration.ofDays(60).getSeconds();
        for (int i = 0; i < leads; i++) {
            String id = "lead-" + i + "@mail.firma" + (i % 500) + ".example";
            String customer = "kunde" + i + "@firma" + (i % 500) + ".example";
            Instant start = now.minusSeconds(span - span * i / leads);
            messages.add(new MailMessage(id, List.of(), "Anfrage Nr. " + i, List.of(customer), null, List.of(),
                    List.of("sales@acme.example"), List.of(), start, null, null, 0, null, List.of(inbox)));
            if (random.nextInt(10) < 6) {
                messages.add(new MailMessage("re-" + i + "@acme.example", List.of(id), "Re: Anfrage Nr. " + i,
                        List.of(reps[random.nextInt(3)] + "@acme.example"), null, List.of(), List.of(customer), List.of(),
                        start.plusSeconds(600 + random.nextInt(72_000)), null, null, 0, null, List.of(sent)));
            }
        }
        LiveAnalysis live = new LiveAnalysis(config);
        long t0 = System.nanoTime();
        live.restore(messages, messages.size(), 0, 0);
        System.out.printf("%d messages, %d leads analysed in %d ms%n", messages.size(), live.leads().size(),
                (System.nanoTime() - t0) / 1_000_000);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        Figures figures = new Figures(live, live::conversationOf, m -> Optional.of(now));
        ReplyclockMetrics metrics = new ReplyclockMetrics(config, "bench");
        long[] refresh = new long[10];
        for (int i = 0; i < refresh.length; i++) {
            long s = System.nanoTime();
            metrics.refresh(figures, now);
            refresh[i] = (System.nanoTime() - s) / 1_000_000;
        }
        Arrays.sort(refresh);
        System.out.printf("metrics refresh from the query layer (each SLA tick): median %d ms, max %d ms%n", refresh[5], refresh[9]);
        HttpServer.Scraper scraper = accept -> {
            ReplyclockMetrics.Scrape scrape = metrics.scrape(accept);
            return new HttpServer.Exposition(scrape.contentType(), scrape.bytes());
        };
        try (Store store = Store.open(java.nio.file.Files.createTempDirectory("pages-bench").resolve("credentials.db"));
             HttpServer server = new HttpServer(live, Optional::empty, clock, scraper,
                new AuditRoutes(figures, id -> List.of(), new StoreCredentials(store), clock)).start("127.0.0.1", 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String lead = URLEncoder.encode("lead-" + (leads / 2) + "@mail.firma" + (leads / 2 % 500) + ".example", StandardCharsets.UTF_8);
            for (String path : List.of("/metrics", "/", "/?period=7d", "/?period=all", "/teams/sales", "/teams/sales?period=last_month",
                    "/reps/alice", "/leads/" + lead, "/wall", "/wall?fragment=1",
                    "/api/leads", "/api/leads?state=breached&limit=1000", "/api/leads/" + lead, "/api/reps", "/api/reps/alice",
                    "/api/teams", "/api/teams/sales?month=2024-02", "/api/leads?format=csv&limit=1000")) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
                long[] ms = new long[40];
                int bytes = 0;
                for (int i = -10; i < ms.length; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - s) / 1_000;
                    }
                    bytes = r.body().length();
                }
                Arrays.sort(ms);
                System.out.printf("%-45s median %6.1f ms  p95 %6.1f ms  max %6.1f ms  %8d chars%n", path, ms[19] / 1000.0,
                        ms[37] / 1000.0, ms[39] / 1000.0, bytes);
            }
        }
    }
}
