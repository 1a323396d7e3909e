package dev.replyclock.app;

import com.sun.net.httpserver.HttpServer;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alert latency of the running service (not a test): from the instant a lead becomes at risk to the webhook
 * request, through the real Quartz scheduler (SLA tick every 30 s, outbox drained every 1 s), a files mailbox and a
 * local webhook. Leads are placed so their at-risk instants spread over a whole tick period.
 *
 * <pre>mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.replyclock.app.AlertLatencyBenchmark [leads] [poll_interval]</pre>
 */
public final class AlertLatencyBenchmark {

    public static void main(String[] args) throws Exception {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        // A short poll interval ticks after every poll too; a long one leaves the 30 s SLA tick alone (the bound).
        String pollInterval = args.length > 1 ? args[1] : "600s";
        Path dir = Files.createTempDirectory("replyclock-latency");
        Map<String, Instant> arrivals = new ConcurrentHashMap<>();
        Pattern party = Pattern.compile("At risk: (p\\d+@buyer\\.example)");
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            Instant at = Instant.now();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher m = party.matcher(body);
            if (m.find()) {
                arrivals.putIfAbsent(m.group(1), at);
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        webhook.start();
        Files.createDirectories(dir.resolve("mail"));
        Path configFile = Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 90s, warn_before: 30s}}
                teams: {sales: {members: []}}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                poll_interval: POLL
                alerts:
                  channels:
                    - {name: bench, type: slack, webhook_url: "URL", events: [at_risk]}
                """.replace("URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook").replace("POLL", pollInterval));
        // Lead i started (30 s * i / leads) before now and is at risk 60 s after its start: well after the first sync
        // even on a busy machine (a lead already at risk at the first sync is history and alerts nobody).
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Instant> atRisk = new TreeMap<>();
        for (int i = 0; i < leads; i++) {
            Instant start = now.minusSeconds(30L * i / leads);
            String p = "p" + i + "@buyer.example";
            atRisk.put(p, start.plusSeconds(60));
            Files.writeString(dir.resolve("mail").resolve(i + ".eml"), """
                    Message-ID: <lead-%d@buyer.example>
                    Date: %s
                    From: %s
                    To: sales@acme.example
                    Subject: Lead %d

                    """.formatted(i, DateTimeFormatter.RFC_1123_DATE_TIME.format(start.atOffset(ZoneOffset.UTC)), p, i));
        }
        Config config = ConfigLoader.load(configFile);
        try (Service service = Service.open(config, Clock.systemUTC());
             PollScheduler scheduler = new PollScheduler(service)) {
            scheduler.start();
            Instant end = now.plusSeconds(60).plus(PollScheduler.SLA_TICK).plusSeconds(40);
            while (arrivals.size() < leads && Instant.now().isBefore(end)) {
                Thread.sleep(200);
            }
        } finally {
            webhook.stop(0);
        }
        long max = 0;
        long sum = 0;
        for (Map.Entry<String, Instant> e : atRisk.entrySet()) {
            Instant got = arrivals.get(e.getKey());
            if (got == null) {
                System.out.printf("%-20s at risk %s: NO ALERT%n", e.getKey(), e.getValue());
                continue;
            }
            long ms = Duration.between(e.getValue(), got).toMillis();
            max = Math.max(max, ms);
            sum += ms;
            System.out.printf("%-20s at risk %s, webhook %s: %6d ms%n", e.getKey(), e.getValue(), got, ms);
        }
        System.out.printf("leads %d, alerted %d, mean %d ms, max %d ms; bound (SLA tick + 2 s) %d ms%n", leads,
                arrivals.size(), arrivals.isEmpty() ? 0 : sum / arrivals.size(), max,
                PollScheduler.SLA_TICK.toMillis() + 2000);
    }
}
