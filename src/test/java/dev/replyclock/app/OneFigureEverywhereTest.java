package dev.replyclock.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.Scenarios;
import dev.replyclock.alert.AlertComposer;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.demo.DemoWorld;
import dev.replyclock.demo.MailSimulator;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.AuditRoutes;
import dev.replyclock.web.HttpServer;
import dev.replyclock.web.auth.Access;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One figure everywhere: for every shared scenario and for a seeded demo world, each figure that {@code /api/teams}
 * (JSON and CSV), {@code /api/reps}, {@code /metrics}, the overview, team and rep pages, the wall and the digest show
 * equals the query layer's, for every period a page offers and a custom range ({@link FigureViews}).
 */
class OneFigureEverywhereTest {

    @TestFactory
    Stream<DynamicTest> everyScenario(@TempDir Path dir) throws IOException {
        return Scenarios.folders().stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            Path copy = Files.createDirectories(dir.resolve(folder.getFileName().toString()));
            Config config = ServiceMetricsTest.scenarioConfig(folder, copy);
            check(config, Scenarios.now(folder), null);
        }));
    }

    @Test
    void aSeededDemoWorld(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-03-12T10:15:00Z");
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            new MailSimulator(greenMail, DemoWorld.boxes(), DemoWorld.ZONE, Duration.ofMinutes(5), 1, DemoWorld.IMAP_PASSWORD)
                    .backfill(now, Duration.ofDays(30));
            String hash = BCrypt.withDefaults().hashToString(4, DemoWorld.PASSWORD.toCharArray());
            String sha = HexFormat.of().formatHex(Access.sha256(DemoWorld.TOKEN));
            Path yaml = dir.resolve("config.yaml");
            Files.writeString(yaml, DemoWorld.configYaml(greenMail.getImap().getPort(), 9465, dir.resolve("replyclock.db"),
                    DemoWorld.holiday(now), hash, sha));
            check(ConfigLoader.load(yaml), now, DemoWorld.TOKEN);
        } finally {
            greenMail.stop();
        }
    }

    private static void check(Config config, Instant now, String token) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        try (Service service = Service.open(config, clock)) {
            service.pollAll().forEach(o -> assertFalse(o.failed(), o.error()));
            try (HttpServer http = new HttpServer(service.results(), service.readiness(), clock, service.scraper(),
                    new AuditRoutes(service.figures(), id -> List.<AuditData.Transition>of(), new StoreCredentials(service.store()), clock)).start("127.0.0.1", 0)) {
                FigureViews views = new FigureViews(service.figures(), new AlertComposer(service.figures(), service.store()),
                        "http://127.0.0.1:" + http.port(), token, now);
                views.all();
                assertTrue(views.compared > 50, "compared " + views.compared + " figures");
                assertTrue(views.differences.isEmpty(), () -> views.differences.size() + " of " + views.compared
                        + " figures differ:\n  " + String.join("\n  ", views.differences.subList(0, Math.min(40, views.differences.size()))));
            }
        }
    }
}
