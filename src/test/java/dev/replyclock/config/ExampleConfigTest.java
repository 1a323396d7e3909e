package dev.replyclock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.replyclock.config.SourceConfig.Gmail;
import dev.replyclock.config.SourceConfig.Graph;
import dev.replyclock.config.SourceConfig.Imap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.example.yaml at the project root loads, and the source defaults and ${VAR} replacement work. */
class ExampleConfigTest {

    static final Map<String, String> ENV = Map.of(
            "IMAP_PASSWORD", "imap-pw", "GRAPH_TENANT", "contoso-tenant",
            "GRAPH_CLIENT_ID", "client-1", "GRAPH_CLIENT_SECRET", "graph-secret",
            "SLACK_WEBHOOK", "https://hooks.slack.com/services/T0/B0/x", "SMTP_USERNAME", "rc", "SMTP_PASSWORD", "smtp-pw",
            "GOOGLE_SA_JSON", "{\"type\": \"service_account\", \"client_email\": \"rc@p.iam.gserviceaccount.com\","
                    + " \"client_id\": \"1048576\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMII\\n-----END PRIVATE KEY-----\\n\","
                    + " \"token_uri\": \"https://oauth2.googleapis.com/token\"}");

    @TempDir
    Path dir;

    static Path example() {
        return Path.of(System.getProperty("basedir", ".")).resolve("config.example.yaml");
    }

    @Test
    void exampleLoads() {
        Config c = ConfigLoader.load(example(), ENV::get);
        Path base = example().toAbsolutePath().getParent();
        assertEquals(5, c.mailboxes().size());
        assertTrue(c.mailboxes().get(4).repliesOnly());
        assertEquals(4, c.leadMailboxes().size());
        Gmail gmail = (Gmail) c.mailboxes().get(3).source();
        assertEquals(List.of("INBOX", "SENT"), gmail.labels());
        assertEquals("https://www.googleapis.com/auth/gmail.readonly", gmail.scopeUrl());
        assertFalse(gmail.toString().contains("PRIVATE KEY"), gmail.toString());
        assertEquals(3, c.exclusions().size());
        assertTrue(c.exclusions().get(2).matches("jobs@kunde.example", "My CV"));
        assertFalse(c.exclusions().get(2).matches("jobs@kunde.example", "Hello"));
        assertEquals(Duration.ofDays(30), c.slaPolicies().get("sales").openFor());
        Imap imap = (Imap) c.mailboxes().get(1).source();
        assertEquals("imap-pw", imap.password());
        assertEquals(List.of("INBOX", "Sent"), imap.folders());
        assertEquals(base.resolve("certs/imap.p12").normalize(), imap.trustStore());
        Graph graph = (Graph) c.mailboxes().get(2).source();
        assertEquals("contoso-tenant", graph.tenant());
        assertEquals("graph-secret", graph.clientSecret());
        assertEquals("https://replyclock.acme.example", c.http().publicUrl());
        assertEquals(List.of("alerts@monitoring.example"), c.automatedSenders());
        AlertsConfig alerts = c.alerts();
        assertEquals(Duration.ofDays(1), alerts.alertHorizon());
        assertEquals(List.of("sales-slack", "managers"), alerts.channels().stream().map(AlertsConfig.Channel::name).toList());
        assertEquals("https://hooks.slack.com/services/T0/B0/x", alerts.channels().get(0).slack().webhookUrl());
        assertEquals(AlertsConfig.QuietHours.HOLD_EXCEPT_BREACHED, alerts.channels().get(0).quietHours());
        AlertsConfig.Smtp smtp = alerts.channels().get(1).email().smtp();
        assertEquals(new AlertsConfig.Smtp("smtp.acme.example", 587, AlertsConfig.Smtp.Tls.STARTTLS, "rc", "smtp-pw",
                "replyclock@acme.example", Duration.ofSeconds(20)), smtp);
        assertFalse(alerts.toString().contains("smtp-pw") || alerts.toString().contains("hooks.slack.com"),
                "a secret in toString: " + alerts);
    }

    @Test
    void exampleNeedsItsVariables() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(example(), k -> null));
        assertEquals(8, e.problems().size());
        assertTrue(e.problems().get(0).endsWith("mailboxes[1].source.password: environment variable IMAP_PASSWORD is not set"));
    }

    @Test
    void sourceDefaultsAndVariables() throws IOException {
        Path file = dir.resolve("replyclock.yaml");
        Files.writeString(file, """
                internal_domains: [ACME.example]
                calendars: {c: {zone: UTC, hours: 24x7}}
                sla_policies: {s: {first_response: 0s}}
                teams: {t: {members: [{id: x, addresses: [X@Acme.Example]}]}}
                mailboxes:
                  - {id: a, address: Sales@ACME.example, team: t, sla: s, calendar: c,
                     source: {type: imap, host: "${HOST}.acme.example", username: "${USER}@${HOST}", tls: starttls,
                             oauth2: {token_file: secrets/token}}}
                  - {id: b, address: b@acme.example, team: t, sla: s, calendar: c,
                     source: {type: graph, tenant: t, client_id: i, client_secret: s, user: b@acme.example}}
                  - {id: c, address: c@acme.example, team: t, sla: s, calendar: c,
                     source: {type: imap, host: h, username: u, password: p}}
                store: {path: data/rc.db}
                poll_interval: 5m
                """);
        Config c = ConfigLoader.load(file, Map.of("HOST", "imap", "USER", "me")::get);
        assertEquals(List.of("acme.example"), c.internalDomains());
        assertEquals("sales@acme.example", c.mailboxes().get(0).address());
        assertEquals(List.of("x@acme.example"), c.teams().get("t").members().get(0).addresses());
        Imap a = (Imap) c.mailboxes().get(0).source();
        assertEquals(new Imap("imap.acme.example", 143, Imap.Tls.STARTTLS, "me@imap", null, List.of(), false, null,
                new Imap.OAuth2(null, dir.resolve("secrets/token")), Imap.DEFAULT_BATCH_SIZE), a);
        assertEquals(993, ((Imap) c.mailboxes().get(2).source()).port());
        Graph b = (Graph) c.mailboxes().get(1).source();
        assertEquals(List.of("inbox", "sentitems"), b.folders());
        assertEquals("global", b.cloud());
        assertNull(b.baseUrl());
        assertEquals(dir.resolve("data/rc.db"), c.store().path());
        assertEquals(Duration.ofMinutes(5), c.pollInterval());
        assertEquals(Duration.ZERO, c.slaPolicies().get("s").warnBefore());
        assertNull(c.slaPolicies().get("s").attempts());
        assertEquals(AlertsConfig.NONE, c.alerts());
        assertFalse(c.mailboxes().get(0).group());
    }

    @Test
    void graphCertificateCloudsAndImapAzureCredentials() throws IOException {
        Path file = dir.resolve("replyclock.yaml");
        Files.writeString(file, """
                calendars: {c: {zone: UTC, hours: 24x7}}
                sla_policies: {s: {first_response: 0s}}
                teams: {t: {members: [{id: x, addresses: [x@acme.example]}]}}
                mailboxes:
                  - {id: a, address: a@acme.example, team: t, sla: s, calendar: c,
                     source: {type: graph, tenant: t, client_id: i, client_certificate: certs/app.pfx,
                              client_certificate_password: "${PFX}", user: a@acme.example, cloud: usgov,
                              folders: [inbox, sentitems, archive], base_url: "http://127.0.0.1:8080",
                              authority_host: "https://login.example"}}
                  - {id: b, address: b@acme.example, team: t, sla: s, calendar: c,
                     source: {type: imap, host: outlook.office365.com, username: b@acme.example,
                              oauth2: {azure: {tenant: t, client_id: i, client_secret: "${SECRET}"}}}}
                  - {id: c, address: c@acme.example, team: t, sla: s, calendar: c,
                     source: {type: graph, tenant: t, client_id: i, client_secret_file: secrets/graph.secret,
                              user: c@acme.example}}
                """);
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/graph.secret"), "  file-secret\n");
        Config c = ConfigLoader.load(file, Map.of("PFX", "pfx-pw", "SECRET", "azure-secret")::get);
        Graph a = (Graph) c.mailboxes().get(0).source();
        assertEquals(dir.resolve("certs/app.pfx"), a.clientCertificate());
        assertEquals("pfx-pw", a.clientCertificatePassword());
        assertNull(a.clientSecret());
        assertEquals("usgov", a.cloud());
        assertEquals(List.of("inbox", "sentitems", "archive"), a.folders());
        assertFalse(a.toString().contains("pfx-pw"), a.toString());
        Imap.Azure azure = ((Imap) c.mailboxes().get(1).source()).oauth2().azure();
        assertEquals(new Imap.Azure("t", "i", "azure-secret", null, null, null, Imap.Azure.DEFAULT_SCOPE), azure);
        assertFalse(azure.toString().contains("azure-secret"), azure.toString());
        Graph c3 = (Graph) c.mailboxes().get(2).source();
        assertEquals("file-secret", c3.clientSecret());
        assertFalse(c3.toString().contains("file-secret"), c3.toString());
    }

    @Test
    void emptyFileGivesDefaults() throws IOException {
        Path file = dir.resolve("empty.yaml");
        Files.writeString(file, "# nothing yet\n");
        Config c = ConfigLoader.load(file, k -> null);
        assertTrue(c.mailboxes().isEmpty());
        assertTrue(c.calendars().isEmpty());
        assertEquals(Config.DEFAULT_ATTRIBUTION_HEADER, c.attributionHeader());
        assertEquals(9465, c.http().port());
    }

    @Test
    void missingFileIsAConfigException() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains(dir.resolve("nope.yaml") + ": cannot read the configuration file: no such file"),
                e.getMessage());
    }
}
