package dev.replyclock.app;

import com.sun.net.httpserver.HttpServer;
import dev.replyclock.MutableClock;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts through the real service: files source, poll, SLA tick, outbox, sender, webhook; and alert-test. */
class AlertServiceTest {

    @TempDir
    Path dir;
    HttpServer webhook;
    final List<String> requests = new CopyOnWriteArrayList<>();
    Path configFile;

    @BeforeEach
    void start() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        webhook.start();
        Files.createDirectories(dir.resolve("mail"));
        configFile = Files.writeString(dir.resolve("config.yaml"), """
                internal_domains: [acme.example]
                calendars: {utc: {zone: UTC, hours: 24x7}}
                sla_policies: {sales: {first_response: 60s, warn_before: 30s}}
                teams: {sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                http: {public_url: "https://rc.acme.example"}
                alerts:
                  channels:
                    - {name: sales-slack, type: slack, webhook_url: "URL", events: [at_risk, breached]}
                """.replace("URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
    }

    private void mail(String id, String from, String subject, Instant date) throws IOException {
        Files.writeString(dir.resolve("mail").resolve(id + ".eml"), """
                Message-ID: <%s>
                Date: %s
                From: %s
                To: Sales <sales@acme.example>
                Subject: %s

                (body)
                """.formatted(id, DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)), from, subject));
    }

    @Test
    void aNewLeadIsAlertedAtRiskThenBreachedOnceAndTheBackFillIsNot() throws Exception {
        Config config = ConfigLoader.load(configFile);
        Instant t0 = Instant.parse("2024-12-09T09:00:00Z");
        MutableClock clock = new MutableClock(t0);
        // The export holds a lead at risk and breached long before the first sync (a back-fill: recorded, not
        // sent) and one that arrived 5 s before it (at risk at t0 + 25 s, breached at t0 + 55 s).
        mail("old@buyer.example", "Old Buyer <old@buyer.example>", "Old request", t0.minusSeconds(600));
        mail("new@buyer.example", "New Buyer <new@buyer.example>", "Quote <for> 40 & more", t0.minusSeconds(5));
        try (Service service = Service.open(config, clock)) {
            service.pollAll(); // the first sync, at t0
            assertEquals(2, service.results().leads().size());
            assertEquals(0, service.sendAlerts());
            clock.set(t0.plusSeconds(26));
            service.tick();
            assertEquals(1, service.sendAlerts());
            clock.set(t0.plusSeconds(56));
            service.tick();
            assertEquals(1, service.sendAlerts());
            assertEquals("breached", service.store().latestState("old@buyer.example", "first_response").orElseThrow().label());
        }
        try (Service service = Service.open(config, clock)) { // restart
            clock.set(t0.plusSeconds(100));
            service.pollAll();
            assertEquals(0, service.sendAlerts());
        }
        assertEquals(2, requests.size(), String.join("\n", requests));
        assertTrue(requests.get(0).contains("At risk: new@buyer.example"), requests.get(0));
        assertTrue(requests.get(0).contains("Quote &lt;for&gt; 40 &amp; more"), requests.get(0));
        assertTrue(requests.get(0).contains("https://rc.acme.example/leads/new%40buyer.example"), requests.get(0));
        assertTrue(requests.get(1).contains("Breached: new@buyer.example"), requests.get(1));
    }

    @Test
    void alertTestSendsASampleThroughTheNamedChannel() {
        assertEquals(0, Main.run("alert-test", "--config", configFile.toString(), "--channel", "sales-slack"));
        assertEquals(1, requests.size());
        assertTrue(requests.get(0).contains("Replyclock test alert"), requests.get(0));
        assertEquals(2, Main.run("alert-test", "--config", configFile.toString(), "--channel", "nope"));
        assertEquals(1, requests.size());
    }
}
