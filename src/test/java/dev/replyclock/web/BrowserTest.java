package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages in a real headless Chromium: log in, overview → team → rep → lead, figures against the API, a
 * subject that is a script shown as text and never run, log out, the viewer's wall. Screenshots of each page
 * go to {@code target/screenshots/}.
 */
class BrowserTest {

    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void managerClicksThroughThePagesAndTheScriptSubjectStaysText(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Chromium.BINARY), "needs Debian's chromium (.ci/run installs it)");
        Files.createDirectories(dir.resolve("data"));
        try (AuditFixture f = new AuditFixture(dir.resolve("data"), true);
             Chromium browser = new Chromium(dir.resolve("profile"))) {
            browser.open(f.base + "/");
            assertEquals("/login", browser.text("location.pathname"));
            browser.screenshot(SHOTS.resolve("login.png"));
            browser.eval("document.querySelector('input[name=name]').value = 'anna'");
            browser.eval("document.querySelector('input[name=password]').value = " + JSON.valueToTree(AuditFixture.PASSWORD));
            browser.click("form.login button");
            assertEquals("/", browser.text("location.pathname"), () -> browser.text("document.body.innerText"));
            assertEquals("", browser.text("document.cookie"), "the session cookie is HttpOnly");
            assertEquals("Overview · Replyclock", browser.text("document.title"));
            browser.screenshot(SHOTS.resolve("overview.png"));

            JsonNode teams = JSON.readTree(f.get("/api/teams", AuditFixture.SALES_TOKEN).body()).get("teams");
            assertEquals(teams.get(0).get("leads").asText(), browser.text("document.querySelector('tr[data-team=sales] td[data-field=leads]').textContent"));
            assertEquals(teams.get(0).get("open_breached").asText(),
                    browser.text("document.querySelector('tr[data-team=sales] td[data-field=open_breached]').textContent"));
            assertEquals(AuditFixture.XSS_SUBJECT, browser.text("Array.from(document.querySelectorAll('#worst a')).map(a => a.textContent)"
                    + ".find(t => t.includes('script'))"));
            assertEquals(0, browser.eval("document.querySelectorAll('main script').length").asInt());
            assertNotEquals("pwned", browser.text("document.title"));

            browser.click("tr[data-team=sales] a");
            assertEquals("/teams/sales", browser.text("location.pathname"));
            browser.screenshot(SHOTS.resolve("team.png"));
            JsonNode carol = JSON.readTree(f.get("/api/reps/carol", AuditFixture.SALES_TOKEN).body());
            assertEquals(carol.get("first_responses").asText(),
                    browser.text("document.querySelector('tr[data-rep=carol] td[data-field=first_responses]').textContent"));

            browser.click("tr[data-rep=carol] a");
            assertEquals("/reps/carol", browser.text("location.pathname"));
            assertEquals(carol.get("responses").size(), browser.eval("document.querySelectorAll('#responses tbody tr').length").asInt());
            browser.eval("document.querySelector('#responses th:nth-child(4)').click()");
            assertEquals("asc", browser.text("document.querySelector('#responses th:nth-child(4)').getAttribute('data-dir')"));
            browser.screenshot(SHOTS.resolve("rep.png"));

            browser.click("#responses a");
            assertTrue(browser.text("location.pathname").startsWith("/leads/"));
            assertTrue(browser.eval("document.querySelectorAll('#messages tbody tr').length").asInt() >= 2);
            browser.screenshot(SHOTS.resolve("lead.png"));

            browser.open(f.base + "/leads/" + URLEncoder.encode(AuditFixture.XSS_LEAD, StandardCharsets.UTF_8));
            assertEquals(AuditFixture.XSS_SUBJECT, browser.text("document.querySelector('#messages td.subject').textContent"));
            assertEquals("Lead " + AuditFixture.XSS_SUBJECT + " · Replyclock", browser.text("document.title"), "shown as text, never run");
            assertEquals(0, browser.eval("document.querySelectorAll('main script').length").asInt());
            browser.screenshot(SHOTS.resolve("lead-script-subject.png"));

            browser.open(f.base + "/wall");
            JsonNode week = JSON.readTree(f.get("/api/teams?window=7d", AuditFixture.SALES_TOKEN).body()).get("teams");
            assertEquals(week.get(0).get("breached_today").asText(),
                    browser.text("document.querySelector('.team[data-team=sales] [data-field=breached_today] .big').textContent.trim()"));
            assertEquals(week.get(0).get("open_at_risk").asText(),
                    browser.text("document.querySelector('.team[data-team=sales] [data-field=at_risk] .big').textContent.trim()"));
            browser.screenshot(SHOTS.resolve("wall-manager.png"));

            browser.open(f.base + "/");
            browser.click("form.logout button");
            assertEquals("/login", browser.text("location.pathname"));
            browser.open(f.base + "/teams/sales");
            assertEquals("/login", browser.text("location.pathname"), "the session ended");

            browser.eval("document.querySelector('input[name=name]').value = 'vic'");
            browser.eval("document.querySelector('input[name=password]').value = " + JSON.valueToTree(AuditFixture.PASSWORD));
            browser.click("form.login button");
            assertEquals("/teams/sales", browser.text("location.pathname"), "back where the login started");
            assertEquals(0, browser.eval("document.querySelectorAll('#reps, #leads').length").asInt(), "viewers see aggregates only");
            browser.open(f.base + "/wall");
            String wall = browser.text("document.body.innerText");
            assertTrue(wall.matches("(?s).*rep-[0-9a-f]{8}.*"), wall);
            assertFalse(wall.contains("carol"), "pseudonymous rep names for viewers");
            browser.screenshot(SHOTS.resolve("wall-viewer.png"));
        }
    }
}
