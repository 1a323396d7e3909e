package dev.replyclock.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.replyclock.MutableClock;
import dev.replyclock.SharedFiles;
import dev.replyclock.app.StoreCredentials;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.figures.Figures;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.files.FilesOnceSource;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.poll.SlaTicker;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;
import dev.replyclock.store.SyncStatus;
import dev.replyclock.web.auth.Access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Scenario 13 (sales, 6 leads) plus a {@code marketing} team with its own mailbox and a sales lead whose subject
 * is a script, polled through the live service path into a store, served with auth on a free port.
 */
final class AuditFixture implements AutoCloseable {

    static final String XSS_SUBJECT = "<script>document.title='pwned'</script>";
    static final String XSS_LEAD = "xss-lead-7@mail.kunde-z.example";
    static final String MARKETING_LEAD = "mk-lead-1@mail.kunde-q.example";
    static final Instant NOW = Instant.parse("2024-02-28T14:45:00Z");
    static final String ADMIN_TOKEN = "admin-token";
    static final String SALES_TOKEN = "sales-token";
    static final String VIEWER_TOKEN = "viewer-token";
    static final String PASSWORD = "correct horse";

    final Config config;
    final Store store;
    final LiveAnalysis live;
    final HttpServer server;
    /** The service's clock, at {@link #NOW} until a test moves it. */
    final MutableClock clock = new MutableClock(NOW);
    final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    AuditFixture(Path dir, boolean auth) throws IOException {
        Path scenario = SharedFiles.scenarios().resolve("13-sla-states");
        String yaml = Files.readString(scenario.resolve("config.yaml"))
                .replace("source: {type: files, paths: [mail/inbox, mail/sent]}",
                        "source: {type: files, paths: [" + scenario.resolve("mail/inbox") + ", " + scenario.resolve("mail/sent")
                                + ", extra/inbox]}")
                .replace("mailboxes:\n", """
                          marketing:
                            members:
                              - {id: mia, name: Mia Marketing, addresses: [mia@acme.example]}
                        mailboxes:
                          - id: marketing-inbox
                            address: marketing@acme.example
                            team: marketing
                            sla: sales
                            calendar: berlin
                            source: {type: files, paths: [marketing/inbox]}
                        """);
        if (auth) {
            String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
            yaml += "auth:\n  users:\n"
                    + "    - {name: root, password_hash: \"" + hash + "\", role: admin}\n"
                    + "    - {name: anna, password_hash: \"" + hash + "\", role: manager, teams: [sales]}\n"
                    + "    - {name: vic, password_hash: \"" + hash + "\", role: viewer}\n"
                    + "  tokens:\n"
                    + "    - {name: ops, sha256: " + sha(ADMIN_TOKEN) + ", role: admin}\n"
                    + "    - {name: sales-script, sha256: " + sha(SALES_TOKEN) + ", role: manager, teams: [sales]}\n"
                    + "    - {name: tv, sha256: " + sha(VIEWER_TOKEN) + ", role: viewer}\n"
                    + "rep_names: pseudonymous\n";
        }
        Files.writeString(dir.resolve("config.yaml"), yaml);
        message(dir.resolve("extra/inbox/0007-z.eml"), XSS_LEAD, "Zed <zed@kunde-z.example>", "sales@acme.example",
                "Wed, 28 Feb 2024 13:30:00 +0100", XSS_SUBJECT);
        message(dir.resolve("marketing/inbox/0001-q.eml"), MARKETING_LEAD, "Quinn <quinn@kunde-q.example>",
                "marketing@acme.example", "Tue, 27 Feb 2024 10:00:00 +0100", "=SUM(1+1) Broschüre, bitte");
        config = ConfigLoader.load(dir.resolve("config.yaml"));
        store = Store.open(dir.resolve("replyclock.db"));
        live = new LiveAnalysis(config);
        PollCycle cycle = new PollCycle(store, live, clock);
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        for (MailboxConfig m : config.mailboxes()) {
            cycle.poll(m.id(), new FilesOnceSource(m.id(), new FilesSource(m.id(), ((SourceConfig.Files) m.source()).paths(), parser)));
        }
        new SlaTicker(store, live, clock).tick();
        server = new HttpServer(live, Optional::empty, clock, null,
                new AuditRoutes(new Figures(live, live::conversationOf, m -> store.lastSync(m).map(SyncStatus::lastSuccess)),
                        id -> store.transitions(id).stream()
                        .map(t -> new AuditData.Transition(t.kind(), t.state(), t.at())).toList(),
                        new StoreCredentials(store), clock)).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    private static void message(Path file, String id, String from, String to, String date, String subject) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "Message-ID: <" + id + ">\r\nDate: " + date + "\r\nFrom: " + from + "\r\nTo: " + to
                + "\r\nSubject: " + subject + "\r\n\r\nHallo\r\n");
    }

    static String sha(String token) {
        return HexFormat.of().formatHex(Access.sha256(token));
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
