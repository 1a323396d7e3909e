package dev.replyclock.app;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.alert.FakeSlack;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full {@code replyclock run} at DEBUG log level with every kind of secret configured and every one of them
 * exercised on a failing path (wrong IMAP password, refused OAuth2 token, unreachable Graph token endpoint,
 * a Slack webhook answering 500, an SMTP server that is down, a wrong API token and login password). The
 * secrets then must not appear anywhere the service writes: its log, {@code /metrics}, API and page
 * responses, and {@code alert-test} / {@code check-config} output.
 */
class SecretsStayHiddenTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String USER = "sales@acme.example";
    private static final String IMAP_PASSWORD = "imap-pass-Secret-1a";
    private static final String WRONG_IMAP_PASSWORD = "imap-pass-Secret-2b";
    private static final String IMAP_TOKEN = "ya29.imap-token-Secret-3c";
    private static final String GRAPH_SECRET = "graph-client-Secret-4d";
    private static final String SMTP_PASSWORD = "smtp-pass-Secret-5e";
    private static final String API_TOKEN = "api-token-Secret-6f";
    private static final String WRONG_API_TOKEN = "api-token-Secret-7g";
    private static final String LOGIN_PASSWORD = "login-pass-Secret-8h";
    /** The part of the webhook URL that is the credential. */
    private static final String WEBHOOK_SECRET = "s3cretWebhookToken";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noSecretReachesLogsMetricsPagesOrCommandOutput(@TempDir Path dir) throws Exception {
        greenMail.setUser(USER, USER, IMAP_PASSWORD);
        int port = freePort();
        int closedPort = freePort();
        try (FakeSlack slack = new FakeSlack()) {
            slack.answer(500, null); // the first alert fails, is retried, then delivered
            Files.writeString(dir.resolve("imap.token"), IMAP_TOKEN);
            Path config = Files.writeString(dir.resolve("config.yaml"), config(dir, port, closedPort));
            Map<String, String> env = Map.of("IMAP_PASSWORD", IMAP_PASSWORD, "IMAP_WRONG_PASSWORD", WRONG_IMAP_PASSWORD,
                    "GRAPH_CLIENT_SECRET", GRAPH_SECRET, "SMTP_PASSWORD", SMTP_PASSWORD, "SLACK_WEBHOOK", slack.url(),
                    "REPLYCLOCK_LOG_LEVEL", "debug");
            List<String> written = new ArrayList<>();

            Path log = dir.resolve("run.log");
            Process run = start(env, log, "run", "--config", config.toString());
            try {
                String base = "http://127.0.0.1:" + port;
                waitUntil(() -> get(base + "/healthz", null).statusCode() == 200, run, log);
                deliverLead();
                // The lead breaches 2 s after it arrives: the Slack alert fails once (500), then is delivered.
                List<FakeSlack.Request> requests = slack.await(2, 90_000);
                assertEquals(List.of(500, 200), requests.stream().map(FakeSlack.Request::status).limit(2).toList(),
                        "the breach alert went to the webhook: " + Files.readString(log));
                waitUntil(() -> Files.readString(log).contains("wrong-imap") && Files.readString(log).contains("graph-box")
                        && Files.readString(log).contains("token-imap") && Files.readString(log).contains("channel mail"), run, log);

                HttpResponse<String> metrics = get(base + "/metrics", null);
                assertTrue(metrics.body().contains("replyclock_mailbox_sync_errors_total{"), metrics.body());
                written.add(metrics.body());
                HttpResponse<String> reps = get(base + "/api/reps", API_TOKEN);
                assertEquals(200, reps.statusCode(), reps.body());
                written.add(reps.body());
                written.add(get(base + "/api/leads", API_TOKEN).body());
                written.add(get(base + "/", API_TOKEN).body());
                HttpResponse<String> refused = get(base + "/api/reps", WRONG_API_TOKEN);
                assertEquals(401, refused.statusCode());
                written.add(refused.body());
                written.add(failedLogin(base));
            } finally {
                run.destroy();
            }
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "stops within 30 s");
            String runLog = Files.readString(log);
            assertTrue(runLog.contains(" DEBUG "), "the run logged at debug level");
            written.add(runLog);

            for (String channel : List.of("slack", "mail")) {
                Path out = dir.resolve("alert-test-" + channel + ".log");
                Process test = start(env, out, "alert-test", "--config", config.toString(), "--channel", channel);
                assertTrue(test.waitFor(60, TimeUnit.SECONDS));
                written.add(Files.readString(out));
            }
            Path checked = dir.resolve("check-config.log");
            Process check = start(env, checked, "check-config", config.toString());
            assertTrue(check.waitFor(60, TimeUnit.SECONDS));
            written.add(Files.readString(checked));

            String everything = String.join("\n", written);
            for (String secret : List.of(IMAP_PASSWORD, WRONG_IMAP_PASSWORD, IMAP_TOKEN, GRAPH_SECRET, SMTP_PASSWORD,
                    API_TOKEN, WRONG_API_TOKEN, LOGIN_PASSWORD, WEBHOOK_SECRET)) {
                assertFalse(everything.contains(secret), () -> "secret " + secret + " leaked:\n" + around(everything, secret));
            }
        }
    }

    private String config(Path dir, int port, int closedPort) throws Exception {
        String imap = "{type: imap, host: 127.0.0.1, port: " + greenMail.getImap().getPort()
                + ", tls: none, username: " + USER + ", folders: [INBOX], ";
        return """
                internal_domains: [acme.example]
                calendars: {always: {zone: UTC, hours: 24x7}}
                sla_policies: {fast: {first_response: 2s, attempts: {count: 1, within: 1d}}}
                teams: {sales: {members: [{id: alice, name: Alice, addresses: [alice@acme.example]}]}}
                mailboxes:
                  - {id: good-imap, address: sales@acme.example, team: sales, sla: fast, calendar: always,
                     source: %1$spassword: "${IMAP_PASSWORD}"}}
                  - {id: wrong-imap, address: other@acme.example, team: sales, sla: fast, calendar: always,
                     source: %1$spassword: "${IMAP_WRONG_PASSWORD}"}}
                  - {id: token-imap, address: third@acme.example, team: sales, sla: fast, calendar: always,
                     source: %1$soauth2: {token_file: imap.token}}}
                  - {id: graph-box, address: m365@acme.example, team: sales, sla: fast, calendar: always,
                     source: {type: graph, tenant: 0d6c1b2e-8a4f-4c3e-9b1a-2f5e7d9c0a11, client_id: 3f2e1d0c-1111-2222-3333-444455556666,
                              client_secret: "${GRAPH_CLIENT_SECRET}", user: m365@acme.example,
                              base_url: "http://127.0.0.1:%2$d", authority_host: "https://127.0.0.1:%2$d"}}
                store: {path: %3$s}
                http: {port: %4$d}
                poll_interval: 1s
                auth:
                  users: [{name: anna, password_hash: "$2a$12$ncsCtHU5OjgXrGinYvb9pOfhaAC5/eeyrJ.IqAU5IHgeZSSlMw6xO", role: admin}]
                  tokens: [{name: script, sha256: %5$s, role: admin}]
                alerts:
                  channels:
                    - {name: slack, type: slack, webhook_url: "${SLACK_WEBHOOK}", events: [breached]}
                    - {name: mail, type: email, to: [boss@acme.example], events: [breached],
                       smtp: {host: 127.0.0.1, port: %2$d, tls: starttls, username: alerts, password: "${SMTP_PASSWORD}",
                              from: replyclock@acme.example, timeout: 2s}}
                """.formatted(imap, closedPort, dir.resolve("replyclock.db"), port, sha256(API_TOKEN));
    }

    /** A new lead, dated now, so that its breach happens live (back-filled transitions are never sent). */
    private static void deliverLead() throws Exception {
        MimeMessage lead = new MimeMessage(Session.getInstance(new java.util.Properties()));
        lead.setFrom(new InternetAddress("jana@buyer.example"));
        lead.setRecipient(Message.RecipientType.TO, new InternetAddress(USER));
        lead.setSubject("Pricing for 40 seats?");
        lead.setSentDate(new Date());
        lead.setHeader("Message-ID", "<lead-1@buyer.example>");
        lead.setText("Hello");
        lead.saveChanges();
        lead.setHeader("Message-ID", "<lead-1@buyer.example>");
        greenMail.getUserManager().getUser(USER).deliver(lead);
    }

    private static Process start(Map<String, String> env, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // the service's own logging setup (its REPLYCLOCK_LOG_LEVEL), not the tests' logback-test.xml
                "-Dlogback.configurationFile=logback.xml", "dev.replyclock.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Check check, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), () -> "service exited: " + read(log));
            try {
                if (check.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition never held; log:\n" + read(log));
    }

    /** The login form as a browser fills it in (its CSRF token and cookie), with a wrong password. */
    private String failedLogin(String base) throws Exception {
        HttpResponse<String> form = get(base + "/login", null);
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(csrf.find(), form.body());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&name=anna&password=" + LOGIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(login.body().contains("name=\"password\""), "the wrong password gets the form again: " + login.body());
        return login.headers().map() + login.body();
    }

    private HttpResponse<String> get(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String around(String text, String secret) {
        int at = text.indexOf(secret);
        return text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 300));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
