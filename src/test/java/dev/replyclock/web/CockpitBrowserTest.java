package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manager's cockpit and the wall in a real headless Chromium: the answer-now queue first on the overview and its
 * countdown moving between two loads, the period selector (kept in the URL, applied to the CSV link), a trend chart
 * against the API, and the wall at 1920×1080 — laid out over the whole screen, no axe-core contrast violation, and
 * refreshing its data without reloading. Screenshots go to {@code target/screenshots/}.
 */
class CockpitBrowserTest {

    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final Path AXE = Path.of(System.getProperty("replyclock.axe", "target/axe-core/axe.min.js"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void queuePeriodTrendAndWall(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Chromium.BINARY), "needs Debian's chromium (.ci/run installs it)");
        assertTrue(Files.isRegularFile(AXE), "needs axe-core (.ci/prepare-axe.sh, run by Maven)");
        Files.createDirectories(dir.resolve("data"));
        try (AuditFixture f = new AuditFixture(dir.resolve("data"), true);
             Chromium browser = new Chromium(dir.resolve("profile"))) {
            browser.open(f.base + "/login");
            browser.eval("document.querySelector('input[name=name]').value = 'anna'");
            browser.eval("document.querySelector('input[name=password]').value = " + JSON.valueToTree(AuditFixture.PASSWORD));
            browser.click("form.login button");
            assertEquals("/", browser.text("location.pathname"));

            // The queue comes first; the at-risk lead's business time left moves with the clock.
            assertEquals("needs-answer", browser.text("document.querySelector('main h1 ~ section, main section').id"));
            String lead = browser.text("document.querySelector('#queue tbody tr').getAttribute('data-lead')");
            long before = browser.eval("Number(document.querySelector('#queue tbody tr td.left').getAttribute('data-seconds'))").asLong();
            String shownBefore = browser.text("document.querySelector('#queue tbody tr td.left').textContent");
            f.clock.advance(Duration.ofMinutes(5));
            browser.open(f.base + "/");
            String row = "document.querySelector('#queue tr[data-lead=\"" + lead + "\"] td.left')";
            assertEquals(before - 300, browser.eval("Number(" + row + ".getAttribute('data-seconds'))").asLong(), "open hours: 5 minutes less");
            assertTrue(!shownBefore.equals(browser.text(row + ".textContent")), shownBefore + " then " + browser.text(row + ".textContent"));
            browser.screenshot(SHOTS.resolve("cockpit-overview.png"));

            // The period selector: choosing "Last 7 days" reloads with it in the URL; figures and CSV follow.
            browser.leaving("(s => { s.value = '7d'; s.dispatchEvent(new Event('change', {bubbles: true})); })"
                    + "(document.querySelector('form.period-selector select[name=period]'))");
            assertTrue(browser.text("location.search").contains("period=7d"), browser.text("location.search"));
            assertEquals("Showing last 7 days", browser.text("document.getElementById('period-label').textContent"));
            String now = f.clock.instant().toString();
            JsonNode week = JSON.readTree(f.get("/api/teams?period=7d&now=" + now, AuditFixture.SALES_TOKEN).body()).get("teams").get(0);
            assertEquals(week.get("leads").asText(), browser.text("document.querySelector('tr[data-team=sales] td[data-field=leads]').textContent"));
            assertTrue(browser.text("Array.from(document.querySelectorAll('a')).map(a => a.href).find(h => h.includes('format=csv'))")
                    .contains("period=7d"), "the CSV download takes the period");
            assertTrue(browser.text("document.querySelector('#teams').previousElementSibling.textContent").contains("(last 7 days)"));

            // A trend chart: this week's compliance point equals the API's figure for this week.
            browser.click("tr[data-team=sales] a");
            assertEquals("/teams/sales", browser.text("location.pathname"));
            LocalDate monday = LocalDate.ofInstant(f.clock.instant(), BERLIN).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            JsonNode thisWeek = JSON.readTree(f.get("/api/teams/sales?from=" + monday.atStartOfDay(BERLIN).toInstant() + "&to=" + now
                    + "&now=" + now, AuditFixture.SALES_TOKEN).body());
            String point = "document.querySelector('#trend-sales svg.compliance circle[data-week=\"" + monday + "\"]')";
            assertEquals(thisWeek.get("compliance").asDouble(), browser.eval("Number(" + point + ".getAttribute('data-value'))").asDouble(), 1e-4);
            assertTrue(browser.eval("document.querySelectorAll('#trend-sales svg.median circle').length").asInt() >= 1);
            browser.screenshot(SHOTS.resolve("cockpit-team.png"));

            // The wall on a 1920×1080 TV: the whole screen used, AA contrast, data refreshed in place.
            browser.viewport(1920, 1080);
            browser.open(f.base + "/wall");
            browser.screenshotViewport(SHOTS.resolve("wall-1920x1080.png"));
            assertEquals(List.of(), browser.contrastViolations(AXE));
            assertTrue(browser.eval("document.documentElement.scrollHeight <= 1080 && document.documentElement.scrollWidth <= 1920").asBoolean(),
                    "fits the screen");
            assertTrue(browser.eval("document.querySelector('.wall-queue').getBoundingClientRect().right > 1800"
                    + " && document.querySelector('.wall-teams').getBoundingClientRect().left < 100"
                    + " && document.querySelector('.wall-reps').getBoundingClientRect().bottom > 700").asBoolean(), "no empty half");
            String countdown = "document.querySelector('#wall-queue tr[data-lead=\"" + lead + "\"] td.countdown').getAttribute('data-seconds')";
            long onWall = browser.eval("Number(" + countdown + ")").asLong();
            browser.eval("window.__notReloaded = true");
            f.clock.advance(Duration.ofMinutes(5));
            assertTrue(browser.refreshWall(), "the wall swapped in new content");
            assertEquals(onWall - 300, browser.eval("Number(" + countdown + ")").asLong());
            assertEquals(true, browser.eval("window.__notReloaded === true").asBoolean(), "no reload");
        }
    }
}
