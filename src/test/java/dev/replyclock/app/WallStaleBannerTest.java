package dev.replyclock.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.MutableClock;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.demo.DemoWorld;
import dev.replyclock.demo.MailSimulator;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.AuditRoutes;
import dev.replyclock.web.Chromium;
import dev.replyclock.web.HttpServer;
import dev.replyclock.web.auth.Access;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wall in a real Chromium over the service reading a real IMAP server (GreenMail): no banner while mail
 * syncs; once the mail server is stopped and polls fail for more than three poll intervals (at least 5 minutes), a
 * full-width banner
 * says the figures are stale, naming the mailboxes — swapped in by the wall's refresh, without a reload.
 */
class WallStaleBannerTest {

    @Test
    void theWallSaysItsFiguresAreStaleWhenTheMailServerIsDown(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-03-12T10:15:00Z");
        MutableClock clock = new MutableClock(now);
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            new MailSimulator(greenMail, DemoWorld.boxes(), DemoWorld.ZONE, Duration.ofMinutes(5), 2, DemoWorld.IMAP_PASSWORD)
                    .backfill(now, Duration.ofDays(3));
            String hash = BCrypt.withDefaults().hashToString(4, DemoWorld.PASSWORD.toCharArray());
            Path yaml = dir.resolve("config.yaml");
            Files.writeString(yaml, DemoWorld.configYaml(greenMail.getImap().getPort(), 9465, dir.resolve("replyclock.db"),
                    DemoWorld.holiday(now), hash, HexFormat.of().formatHex(Access.sha256(DemoWorld.TOKEN))));
            try (Service service = Service.open(ConfigLoader.load(yaml), clock);
                 HttpServer http = new HttpServer(service.results(), service.readiness(), clock, service.scraper(),
                         new AuditRoutes(service.figures(), id -> List.<AuditData.Transition>of(), new StoreCredentials(service.store()), clock)).start("127.0.0.1", 0);
                 Chromium browser = new Chromium(dir.resolve("profile"))) {
                service.pollAll().forEach(o -> assertFalse(o.failed(), o.error()));
                browser.header("Authorization", "Bearer " + DemoWorld.TOKEN);
                browser.viewport(1920, 1080);
                browser.open("http://127.0.0.1:" + http.port() + "/wall");
                assertEquals(0, browser.eval("document.querySelectorAll('#stale').length").asInt(), "fresh: no banner");
                browser.eval("window.__notReloaded = true");

                greenMail.stop();
                clock.advance(Duration.ofMinutes(6)); // poll_interval 2s: stale after three, at least 5 minutes
                service.pollAll().forEach(o -> assertTrue(o.failed(), "the mail server is down"));
                assertTrue(browser.refreshWall());
                String banner = browser.text("document.getElementById('stale').textContent");
                assertTrue(banner.startsWith("Figures are stale") && banner.contains("sales@acme.example")
                        && banner.contains("marketing@acme.example"), banner);
                assertTrue(browser.eval("document.getElementById('stale').getBoundingClientRect().width > 1800").asBoolean(), "full width");
                assertTrue(browser.eval("window.__notReloaded === true").asBoolean());
                browser.screenshotViewport(Path.of("target", "screenshots", "wall-stale.png"));
            }
        } finally {
            greenMail.stop();
        }
    }
}
