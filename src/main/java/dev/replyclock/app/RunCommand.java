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
@Command(name = "run", description = "Run the service: scheduled polling, SLA tick and HTTP until SIGTERM.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption configOption;

    @Override
    public Integer call() throws Exception {
        Config config = configOption.load();
        if (!config.access().enabled()) {
            LOG.warn(Config.OPEN_ACCESS_WARNING);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try (Service service = Service.open(config, Clock.systemUTC());
             HttpServer http = new HttpServer(service.results(), service.readiness(), Clock.systemUTC(), service.scraper(),
                     new AuditRoutes(service.results(), service.results()::conversationOf, id -> service.store()
                             .transitions(id).stream().map(t -> new AuditData.Transition(t.kind(), t.state(), t.at())).toList(),
                             Clock.systemUTC()))
                     .start("0.0.0.0", config.http().port());
             PollScheduler scheduler = new PollScheduler(service)) {
            if (config.http().managementPort() != null) {
                http.startManagement("0.0.0.0", config.http().managementPort());
            }
            startIdle(config, service, scheduler);
            scheduler.start();
            LOG.info("replyclock running: {} mailboxes, {} alert channels, http://localhost:{}/api/report",
                    config.mailboxes().size(), config.alerts().channels().size(), http.port());
            stop.await();
            LOG.info("stopping: finishing the batch in hand");
        }
        LOG.info("stopped");
        return 0;
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
