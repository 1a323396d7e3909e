package dev.replyclock.bench;

import dev.replyclock.config.Config;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.metrics.ReplyclockMetrics;
import dev.replyclock.metrics.ScrapeBenchmark;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.app.StoreCredentials;
import dev.replyclock.store.Store;
import dev.replyclock.web.AuditRoutes;
import dev.replyclock.web.HttpServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Latency of {@code GET /metrics} and {@code GET /api/reps} as the service serves them: 20 mailboxes, 200 reps,
 * LEADS leads over 30 days (90 % answered) loaded as at a restart, metrics refreshed as an SLA tick does.
 * REQUESTS measured requests per path (after 100 warm-up ones), one at a time, over loopback HTTP. One line per figure:
 * <pre>http path=/metrics requests=1000 p50_ms=.. p99_ms=.. max_ms=.. bytes=..</pre>
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.bench.HttpLatencyBenchmark [leads] [requests]</pre>
 */
public final class HttpLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        int leadCount = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Config config = ScrapeBenchmark.twentyMailboxesTwoHundredReps();
        Instant now = Instant.parse("2024-06-15T12:00:00Z");
        LiveAnalysis live = new LiveAnalysis(config);
        List<MailMessage> messages = messages(leadCount, now);
        live.restore(messages, messages.size(), 0, 0);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (ReplyclockMetrics metrics = new ReplyclockMetrics(config, "bench")) {
            metrics.refresh(new dev.replyclock.figures.Figures(live), now);
            HttpServer.Scraper scraper = accept -> {
                ReplyclockMetrics.Scrape s = metrics.scrape(accept);
                return new HttpServer.Exposition(s.contentType(), s.bytes());
            };
            try (Store store = Store.open(java.nio.file.Files.createTempDirectory("http-bench").resolve("credentials.db"));
                 HttpServer server = new HttpServer(live, Optional::empty, clock, scraper,
                         new AuditRoutes(new dev.replyclock.figures.Figures(live, live::conversationOf, m -> Optional.of(now)),
                                 id -> List.of(), new StoreCredentials(store), clock))
                         .start("127.0.0.1", 0)) {
                HttpClient http = HttpClient.newHttpClient();
                System.out.printf(Locale.ROOT, "http setup mailboxes=%d reps=20x10 leads=%d messages=%d%n",
                        config.mailboxes().size(), live.leads().size(), messages.size());
                for (String path : List.of("/metrics", "/api/reps")) {
                    time(http, URI.create("http://127.0.0.1:" + server.port() + path), path, requests);
                }
            }
        }
    }

    private static void time(HttpClient http, URI uri, String path, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).build();
        long[] micros = new long[requests];
        int bytes = 0;
        for (int i = -100; i < requests; i++) {
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + ": HTTP " + response.statusCode());
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - started) / 1000;
            }
            bytes = response.body().length;
        }
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "http path=%s requests=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f bytes=%d%n", path, requests,
                rank(micros, 0.50) / 1000.0, rank(micros, 0.99) / 1000.0, micros[requests - 1] / 1000.0, bytes);
    }

    /** Nearest rank: the value at rank ceil(p * n). */
    private static long rank(long[] sorted, double p) {
        return sorted[Math.max(1, (int) Math.ceil(p * sorted.length)) - 1];
    }

    /** Leads to the 20 mailboxes, 90 % answered by one of the mailbox team's 10 reps within 8 hours. */
    private static List<MailMessage> messages(int leads, Instant now) {
        Random random = new Random(42);
        List<MailMessage> messages = new ArrayList<>();
        for (int i = 0; i < leads; i++) {
            int t = random.nextInt(20);
            String mailbox = "inbox" + t;
            String customer = "buyer" + i + "@customer" + (i % 700) + ".example";
            String id = "lead-" + i + "@customer.example";
            Instant start = now.minusSeconds(random.nextInt(30 * 86400));
            messages.add(new MailMessage(id, List.of(), "Offer " + i, List.of(customer), null, List.of(),
                    List.of(mailbox + "@acme.example"), List.of(), start, null, null, 0, null,
                    List.of(new Place(mailbox, "inbox", true))));
            if (random.nextInt(10) > 0) {
                messages.add(new MailMessage("re-" + i + "@acme.example", List.of(id), "Re: Offer " + i,
                        List.of("rep" + t + "_" + random.nextInt(10) + "@acme.example"), null, List.of(), List.of(customer),
                        List.of(), start.plusSeconds(60 + random.nextInt(8 * 3600)), null, null, 0, null,
                        List.of(new Place(mailbox, "sent", false))));
            }
        }
        return messages;
    }
}
