package dev.replyclock.ingest.gmail;

import dev.replyclock.SalesConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.Backoff;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * One Gmail mailbox ({@code sales}) served by a {@link FakeGmail} with its service account key in {@code sa.json},
 * polled by the service's own path: a {@link PollCycle} committing into a real SQLite {@link Store}.
 */
public final class GmailFixture implements AutoCloseable {

    public static final String USER = "sales@acme.example";
    /** Short back-off without Retry-After, so failing paths cost milliseconds. */
    public static final Backoff QUICK = new Backoff(8, 20);

    public final FakeGmail gmail;
    public final Config config;
    public final SourceConfig.Gmail gmailConfig;
    public final Store store;
    public final LiveAnalysis live;
    public final PollCycle cycle;

    public GmailFixture(Path dir) throws IOException {
        this(dir, "");
    }

    /** @param extraKeys more keys of the source, e.g. {@code ", scope: gmail.metadata"} */
    public GmailFixture(Path dir, String extraKeys) throws IOException {
        gmail = new FakeGmail(USER);
        Files.writeString(dir.resolve("sa.json"), gmail.serviceAccountJson());
        config = SalesConfig.write(dir, "{type: gmail, user: " + USER + ", service_account_file: sa.json, base_url: "
                + gmail.baseUrl() + extraKeys + "}");
        gmailConfig = (SourceConfig.Gmail) config.mailboxes().get(0).source();
        store = Store.open(dir.resolve("replyclock.db"));
        live = new LiveAnalysis(config);
        cycle = new PollCycle(store, live, Clock.systemUTC());
    }

    public GmailSource source(int pageSize) throws IOException {
        return new GmailSource("sales", gmailConfig, new HeaderParser(config.attributionHeader()),
                config.attributionHeader(), QUICK, pageSize);
    }

    /** Lead {@code n} in INBOX, from buyer{@code n}. */
    public String lead(int n, String time) {
        return gmail.add("INBOX", Instant.parse(time), "Message-ID", "<lead-" + n + "@x.example>",
                "From", "Buyer " + n + " <buyer" + n + "@x.example>", "To", USER, "Subject", "Quote " + n,
                "Date", "Tue, 27 Feb 2024 08:15:00 +0000");
    }

    /** Alice's answer to lead {@code n}, in SENT. */
    public String reply(int n, String time) {
        return gmail.add("SENT", Instant.parse(time), "Message-ID", "<reply-" + n + "@acme.example>",
                "From", "alice@acme.example", "To", "buyer" + n + "@x.example", "Subject", "Re: Quote " + n,
                "In-Reply-To", "<lead-" + n + "@x.example>", "References", "<lead-" + n + "@x.example>");
    }

    @Override
    public void close() {
        store.close();
        gmail.close();
    }
}
