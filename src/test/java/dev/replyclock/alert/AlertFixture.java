package dev.replyclock.alert;

import dev.replyclock.MutableClock;
import dev.replyclock.alert.slack.SlackChannel;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.Place;
import dev.replyclock.domain.Response;
import dev.replyclock.domain.Wait;
import dev.replyclock.poll.SlaTicker;
import dev.replyclock.report.Counts;
import dev.replyclock.report.Results;
import dev.replyclock.sla.BusinessCalendar;
import dev.replyclock.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One service's alerting without mail sources: a real store, the SLA ticker with routing, leads set by the test
 * (as the live analysis would compute them), Slack channels pointing at a {@link FakeSlack}. {@link #restart()}
 * closes and reopens everything but the store file, as a process restart would.
 */
final class AlertFixture implements AutoCloseable {

    static final String MAILBOX = "sales-inbox";
    static final Duration SLACK_TIMEOUT = Duration.ofMillis(500);

    /** Leads the test controls. */
    static final class FakeResults implements Results {
        final Config config;
        final List<Lead> leads = new CopyOnWriteArrayList<>();

        FakeResults(Config config) {
            this.config = config;
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public Counts counts() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Lead> leads() {
            return List.copyOf(leads);
        }

        @Override
        public List<Wait> waits() {
            return List.of();
        }
    }

    /** Counts what the sender reports, as metrics would. */
    static final class Counting implements AlertListener {
        final Map<String, Integer> sent = new LinkedHashMap<>();
        final Map<String, Integer> failed = new LinkedHashMap<>();
        long pending = -1;

        @Override
        public synchronized void sent(String channel, String event) {
            sent.merge(channel + "/" + event, 1, Integer::sum);
        }

        @Override
        public synchronized void failed(String channel, String reason) {
            failed.merge(channel + "/" + reason, 1, Integer::sum);
        }

        @Override
        public synchronized void pending(long count) {
            pending = count;
        }
    }

    final Path dir;
    final Config config;
    final MutableClock clock;
    final FakeResults results;
    final BusinessCalendar calendar;
    final Counting listener = new Counting();
    Store store;
    SlaTicker ticker;
    Alerts alerts;
    private final Map<String, AlertChannel> channels = new LinkedHashMap<>();

    /**
     * @param alertsYaml the {@code alerts:} block (indented by two), with {@code SLACK} for the fake webhook URL
     * @param hours      the calendar's hours value, e.g. {@code 24x7} or {@code {mon-fri: ["09:00-17:00"]}}
     */
    AlertFixture(Path dir, String alertsYaml, String hours, Instant now, FakeSlack slack) throws IOException {
        this(dir, alertsYaml, hours, now, slack, "store: {path: rc.db}");
    }

    /** The same with another {@code store:} line, e.g. a PostgreSQL store shared by two fixtures (two instances). */
    AlertFixture(Path dir, String alertsYaml, String hours, Instant now, FakeSlack slack, String storeYaml)
            throws IOException {
        this.dir = dir;
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                calendars:
                  utc: {zone: UTC, hours: %s}
                sla_policies:
                  sales: {first_response: 4h, warn_before: 30m, attempts: {count: 2, within: 2d}}
                teams:
                  sales: {members: [{id: alice, name: Alice Example, addresses: [alice@acme.example]}]}
                  support: {members: []}
                mailboxes:
                  - {id: sales-inbox, address: sales@acme.example, team: sales, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                  - {id: support-inbox, address: support@acme.example, team: support, sla: sales, calendar: utc,
                     source: {type: files, paths: [mail]}}
                http: {public_url: "https://replyclock.acme.example/"}
                %s
                alerts:
                %s
                """.formatted(hours, storeYaml, alertsYaml.replace("SLACK", slack == null ? "http://unused.example/x" : slack.url())));
        this.config = ConfigLoader.load(file, k -> null);
        this.clock = new MutableClock(now);
        this.results = new FakeResults(config);
        this.calendar = new BusinessCalendar(config.calendars().get("utc"));
        for (var c : config.alerts().channels()) {
            if (c.type().equals("slack")) {
                channels.put(c.name(), new SlackChannel(c.name(), c.slack().webhookUrl(), SLACK_TIMEOUT));
            }
        }
        open();
    }

    void channel(AlertChannel channel) {
        channels.put(channel.name(), channel);
        alerts = new Alerts(config, store, new dev.replyclock.figures.Figures(results), channels, listener, clock);
        ticker = new SlaTicker(store, results, clock, alerts.routing());
    }

    private void open() {
        store = Store.open(config.store());
        alerts = new Alerts(config, store, new dev.replyclock.figures.Figures(results), channels, listener, clock);
        ticker = new SlaTicker(store, results, clock, alerts.routing());
    }

    /** A process restart: the store file stays, everything in memory is new. */
    void restart() {
        store.close();
        open();
    }

    /** The mailbox synced (successfully) now. */
    void synced(String mailboxId) {
        store.recordSync(mailboxId, clock.instant(), null);
    }

    /** A lead of the sales (or support) mailbox that started at {@code start}, with its subject stored. */
    Lead lead(String id, String mailboxId, String party, String subject, Instant start) {
        String team = mailboxId.equals(MAILBOX) ? "sales" : "support";
        Instant deadline = calendar.deadline(start, Duration.ofHours(4));
        Instant atRisk = calendar.deadline(start, Duration.ofHours(4).minusMinutes(30));
        Lead lead = new Lead(id, "conv-" + id, mailboxId, team, party, start, deadline, atRisk, null, 0,
                start.plus(Duration.ofDays(2)), false);
        Place inbox = new Place(mailboxId, "INBOX", true);
        store.commitBatch(new FolderCheckpoint(mailboxId, "INBOX", 1, store.messageCount() + 1),
                List.of(new MailMessage(id, List.of(), subject, List.of(party), null, List.of(),
                        List.of("sales@acme.example"), List.of(), start, null, null, 0, null, List.of(inbox))),
                List.of());
        results.leads.add(lead);
        return lead;
    }

    /** The lead got its first response at {@code at} from {@code rep}. */
    Lead answer(Lead lead, Instant at, String rep) {
        Lead answered = new Lead(lead.leadMessageId(), lead.conversationId(), lead.mailboxId(), lead.teamId(),
                lead.party(), lead.start(), lead.deadline(), lead.atRiskFrom(),
                new Response(lead.leadMessageId() + "-re", at, rep, calendar.businessSeconds(lead.start(), at),
                        Duration.between(lead.start(), at).toSeconds()), 1, lead.attemptsWindowEnd(), false);
        results.leads.replaceAll(l -> l.leadMessageId().equals(lead.leadMessageId()) ? answered : l);
        return answered;
    }

    /** Moves the clock, ticks and drains once; returns how many alerts went out. */
    int at(Instant now) {
        clock.set(now);
        ticker.tick();
        return alerts.send();
    }

    List<String> statuses() {
        List<String> out = new ArrayList<>();
        store.alerts().forEach(a -> out.add(a.subjectId() + " " + a.event() + " " + a.channel() + " " + a.status()));
        return out;
    }

    @Override
    public void close() {
        store.close();
    }
}
