package dev.replyclock.alert;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.alert.email.EmailChannel;
import dev.replyclock.config.AlertsConfig;
import dev.replyclock.domain.Lead;
import dev.replyclock.report.LeadStats;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daily digest (content, once per team and business day) and email over SMTP (GreenMail), escaping. */
class DigestAndEmailTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final String XSS = "<img src=x onerror=alert(1)>";

    @TempDir
    Path dir;
    FakeSlack slack;

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    private String yaml() {
        return """
                  digest: {at: "08:30", worst_waits: 2}
                  channels:
                    - {name: sales-slack, type: slack, webhook_url: "SLACK", teams: [sales], events: [at_risk, digest]}
                    - name: managers
                      type: email
                      teams: [sales]
                      events: [at_risk, breached, digest]
                      to: [lead@acme.example, boss@acme.example]
                      smtp: {host: 127.0.0.1, port: %d, tls: none, from: replyclock@acme.example}
                """.formatted(smtp.getSmtp().getPort());
    }

    private AlertFixture fixture(Instant now) throws IOException {
        AlertFixture f = new AlertFixture(dir, yaml(), "{mon-fri: [\"08:00-18:00\"]}", now, slack);
        AlertsConfig.Channel managers = f.config.alerts().channels().get(1);
        f.channel(new EmailChannel(managers.name(), managers.email().smtp(), managers.email().to()));
        return f;
    }

    @Test
    void atRiskEmailIsPlainAndHtmlWithEveryValueEscaped() throws Exception {
        try (AlertFixture f = fixture(t("2024-12-09T08:00:00Z"))) {
            f.synced(AlertFixture.MAILBOX);
            f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", XSS, t("2024-12-09T09:00:00Z"));
            assertEquals(2, f.at(t("2024-12-09T12:30:00Z")));
            MimeMessage[] received = smtp.getReceivedMessages();
            assertEquals(2, received.length); // one message, two recipients
            MimeMessage m = received[0];
            assertEquals("At risk: anna@customer.example has waited 3h30m (sales@acme.example)", m.getSubject());
            assertTrue(m.getContentType().startsWith("multipart/alternative"), m.getContentType());
            MimeMultipart parts = (MimeMultipart) m.getContent();
            assertEquals(2, parts.getCount());
            BodyPart plain = parts.getBodyPart(0);
            BodyPart html = parts.getBodyPart(1);
            assertTrue(plain.isMimeType("text/plain"));
            assertTrue(html.isMimeType("text/html"));
            String text = (String) plain.getContent();
            String page = (String) html.getContent();
            assertTrue(text.contains("Subject:  " + XSS), text);
            assertTrue(text.contains("Waited:   3h30m in business time"), text);
            assertTrue(text.contains("Deadline: Mon 9 Dec 2024 13:00 UTC"), text);
            assertTrue(text.contains("https://replyclock.acme.example/leads/a%40x"), text);
            assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"), page);
            assertFalse(page.contains("<img"), page);
            // Slack: & < > as entities, so no markup or link can be injected either.
            String body = slack.delivered().get(0);
            assertTrue(body.contains("&lt;img src=x onerror=alert(1)&gt;"), body);
            assertFalse(body.contains("<img"), body);
        }
    }

    @Test
    void digestOncePerTeamAndBusinessDayWithLeadStatsFigures() throws Exception {
        // Tue 10 Dec 2024; digest at 08:30 UTC.
        try (AlertFixture f = fixture(t("2024-12-09T08:00:00Z"))) {
            f.synced(AlertFixture.MAILBOX);
            Lead a = f.lead("a@x", AlertFixture.MAILBOX, "anna@customer.example", "Quote A", t("2024-12-09T09:00:00Z"));
            Lead b = f.lead("b@x", AlertFixture.MAILBOX, "ben@customer.example", "Quote B", t("2024-12-09T10:00:00Z"));
            f.lead("c@x", AlertFixture.MAILBOX, "cleo@customer.example", "Still waiting <C>", t("2024-12-09T11:00:00Z"));
            f.lead("d@x", AlertFixture.MAILBOX, "dan@customer.example", "Waiting D", t("2024-12-09T15:00:00Z"));
            f.answer(a, t("2024-12-09T10:00:00Z"), "alice");      // 1h, met
            f.answer(b, t("2024-12-09T16:00:00Z"), "alice");      // 6h, breached
            f.lead("s@x", "support-inbox", "sue@customer.example", "Other team", t("2024-12-09T09:00:00Z"));
            f.clock.set(t("2024-12-10T08:29:00Z"));
            assertEquals(0, f.alerts.enqueueDueDigests());
            f.clock.set(t("2024-12-10T08:30:00Z"));
            assertEquals(2, f.alerts.enqueueDueDigests()); // one per channel, the sales team only
            f.clock.set(t("2024-12-10T08:45:00Z"));
            assertEquals(0, f.alerts.enqueueDueDigests()); // once a day, also after a restart
            f.restart();
            assertEquals(0, f.alerts.enqueueDueDigests());

            Instant now = f.clock.instant();
            DigestMessage d = f.alerts.composer().digest("sales", LocalDate.of(2024, 12, 10), now);
            List<Lead> window = f.results.leads().stream()
                    .filter(l -> l.teamId().equals("sales") && !l.start().isBefore(now.minus(Duration.ofDays(1))))
                    .toList();
            assertEquals(LeadStats.of(window, now), d.stats());
            assertEquals(4, d.stats().leads()); // the four sales leads started within the last day (1d window)
            assertEquals(List.of("cleo@customer.example", "dan@customer.example"),
                    d.worstWaits().stream().map(DigestMessage.Wait::party).toList());
            assertEquals(List.of("Alice Example"), d.reps().stream().map(DigestMessage.RepLine::rep).toList());

            f.alerts.send();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertEquals("Daily digest for team sales, 2024-12-10", mail.getSubject());
            String text = (String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent();
            String html = (String) ((MimeMultipart) mail.getContent()).getBodyPart(1).getContent();
            assertTrue(text.contains("Median first response: " + Text.seconds(d.stats().medianBusinessSeconds())), text);
            assertTrue(text.contains("Compliance: " + Text.percent(d.stats().compliance())), text);
            assertTrue(text.contains("Alice Example: "), text);
            assertTrue(html.contains("Still waiting &lt;C&gt;"), html);
            String body = slack.delivered().get(0);
            assertTrue(body.contains("Daily digest for team sales"), body);
            assertTrue(body.contains("Still waiting &lt;C&gt;"), body);
            assertFalse(body.contains("sue@customer.example"), body);
        }
    }

    @Test
    void noDigestOnAWeekend() throws Exception {
        try (AlertFixture f = fixture(t("2024-12-14T08:35:00Z"))) {
            assertEquals(0, f.alerts.enqueueDueDigests());
            f.clock.set(t("2024-12-16T08:35:00Z"));
            assertEquals(2, f.alerts.enqueueDueDigests());
            f.clock.set(t("2024-12-17T11:00:00Z")); // more than 2 h late: skipped, not sent at noon
            assertEquals(0, f.alerts.enqueueDueDigests());
        }
    }
}
