package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.imap.ImapSource;
import dev.replyclock.web.AuditData;
import dev.replyclock.web.AuditRoutes;
import dev.replyclock.web.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code replyclock run}: the service. Polls on a schedule, serves HTTP, stops cleanly on SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the service: scheduled polling, SLA tick and HTTP until SIGTERM.",
        footerHeading = "%nExample:%n", footer = "  replyclock run --config /etc/replyclock/config.yaml")
final class RunCommand implements Callable<Integer> {

    /** Not a static field: picocli instantiates every command at start-up, and logging is set up on first use (--debug). */
    private static Logger log() {
        return LoggerFactory.getLogger(RunCommand.class);
    }

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        Config config = configOption.load();
        if (!config.access().enabled()) {
            log().warn(Config.OPEN_ACCESS_WARNING);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try (Running running = start(config, Clock.systemUTC(), "0.0.0.0")) {
            log().info("replyclock running: {} mailboxes, {} alert channels, http://localhost:{}/api/report",
                    config.mailboxes().size(), config.alerts().channels().size(), running.http().port());
            stop.await();
            log().info("stopping: finishing the batch in hand");
        }
        log().info("stopped");
        return 0;
    }

    /** The running service: store, HTTP server (and management port), scheduler and IDLE. Closing stops all. */
    record Running(Service service, HttpServer http, PollScheduler scheduler) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (Service s = service; HttpServer h = http; PollScheduler p = scheduler) {
                // closed in reverse order: scheduler (finishes the batch in hand), HTTP, store
            }
        }
    }

    /** Assembles and starts the whole service on {@code clock} (the demo passes a fast one), HTTP on {@code host}. */
    static Running start(Config config, Clock clock, String host) throws Exception {
        Ports.requireFree(host, config.http().port(), "http.port");
        if (config.http().managementPort() != null) {
            Ports.requireFree(host, config.http().managementPort(), "http.management_port");
        }
        Service service = Service.open(config, clock);
        HttpServer http = null;
        try {
            http = new HttpServer(service.results(), service.readiness(), clock, service.scraper(),
                    new AuditRoutes(service.figures(), id -> service.store()
                            .transitions(id).stream().map(t -> new AuditData.Transition(t.kind(), t.state(), t.at())).toList(),
                            new DispositionLedgerAdapter(service.dispositions()), new StoreCredentials(service.store()), clock))
                    .start(host, config.http().port());
            if (config.http().managementPort() != null) {
                http.startManagement(host, config.http().managementPort());
            }
            PollScheduler scheduler = new PollScheduler(service);
            startIdle(config, service, scheduler);
            scheduler.start();
            return new Running(service, http, scheduler);
        } catch (Exception | Error e) {
            if (http != null) {
                http.close();
            }
            service.close();
            throw e;
        }
    }

    private static void startIdle(Config config, Service service, PollScheduler scheduler) {
        for (MailboxConfig mailbox : config.mailboxes()) {
            if (mailbox.source() instanceof SourceConfig.Imap imap && imap.idle()
                    && service.source(mailbox.id()) instanceof ImapSource source) {
                source.startIdle(() -> scheduler.pollNow(mailbox.id()));
            }
        }
    }
}
