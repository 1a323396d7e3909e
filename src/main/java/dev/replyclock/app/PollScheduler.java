package dev.replyclock.app;

import dev.replyclock.config.MailboxConfig;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * Quartz: one job per mailbox every {@code poll_interval}, an SLA tick, and with alert channels the outbox drain and
 * the digests. Jobs never run concurrently with themselves; a missed run fires once as soon as possible and missed
 * runs coalesce.
 *
 * <p>On SQLite the job store is in memory. On PostgreSQL it is Quartz's clustered JDBC job store on the same
 * database ({@link ClusteredJobStore}): every instance schedules the same jobs (replacing what another stored, so a
 * changed {@code poll_interval} takes effect), and each fires on one instance at a time across the cluster. Each
 * instance then also runs a local job ({@link LocalJob}, in memory) that brings its own analysis, pages and gauges
 * up to date with what the others wrote.
 */
final class PollScheduler implements AutoCloseable {

    static final Duration SLA_TICK = Duration.ofSeconds(30);
    /** How often the alert outbox is drained: alert latency is at most the SLA tick plus this plus sending. */
    static final Duration ALERT_SEND = Duration.ofSeconds(1);
    /** How often due digests are looked for (they are enqueued once per team and day). */
    static final Duration DIGEST_CHECK = Duration.ofMinutes(1);
    private static final String SERVICE = "replyclock.service";
    private static final String POLL_GROUP = "poll";

    private final Scheduler scheduler;
    /** Null on SQLite: the one scheduler is local. */
    private final Scheduler local;
    /** Null on SQLite. */
    private final ClusteredJobStore jobStore;

    PollScheduler(Service service) throws SchedulerException {
        int threads = Math.max(2, Math.min(8, service.config().mailboxes().size() + 1)) + (service.alerts() == null ? 0 : 1);
        Cluster.Database database = service.cluster().database();
        Properties p = properties("replyclock", threads);
        if (database == null) {
            jobStore = null;
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        } else {
            jobStore = new ClusteredJobStore(database.url(), database.username(), database.password(),
                    service.config().pollInterval(), threads);
            jobStore.configure(p);
        }
        try {
            scheduler = new StdSchedulerFactory(p).getScheduler();
            scheduler.getContext().put(SERVICE, service);
            Set<JobKey> polls = new HashSet<>();
            for (MailboxConfig mailbox : service.config().mailboxes()) {
                polls.add(pollJob(mailbox.id()));
                schedule(scheduler, PollJob.class, pollJob(mailbox.id()), service.config().pollInterval());
            }
            // a mailbox gone from the configuration is no longer polled (the shared schedule may still hold it)
            for (JobKey stored : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(POLL_GROUP))) {
                if (!polls.contains(stored)) {
                    scheduler.deleteJob(stored);
                }
            }
            schedule(scheduler, TickJob.class, new JobKey("sla-tick", "replyclock"), SLA_TICK);
            if (service.alerts() != null) {
                schedule(scheduler, AlertSendJob.class, new JobKey("alert-send", "replyclock"), ALERT_SEND);
                schedule(scheduler, DigestJob.class, new JobKey("alert-digest", "replyclock"), DIGEST_CHECK);
            }
            if (database == null) {
                local = null;
            } else {
                Properties lp = properties("replyclock-local", 1);
                lp.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
                local = new StdSchedulerFactory(lp).getScheduler();
                local.getContext().put(SERVICE, service);
                // as often as the pages can change: each poll, but at least each SLA tick
                Duration every = service.config().pollInterval().compareTo(SLA_TICK) < 0 ? service.config().pollInterval()
                        : SLA_TICK;
                schedule(local, LocalJob.class, new JobKey("local-refresh", "replyclock"), every);
            }
        } catch (SchedulerException | RuntimeException e) {
            if (jobStore != null) {
                jobStore.close();
            }
            throw e;
        }
    }

    private static Properties properties(String name, int threads) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", name);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        return p;
    }

    static JobKey pollJob(String mailboxId) {
        return new JobKey(mailboxId, POLL_GROUP);
    }

    /**
     * Stores the job and its trigger, replacing any stored before (by this or another instance: idempotent across
     * instances, and the interval in force is the configured one).
     */
    private static void schedule(Scheduler scheduler, Class<? extends Job> type, JobKey key, Duration every)
            throws SchedulerException {
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key.getName(), key.getGroup()).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNowWithExistingCount())
                .build();
        scheduler.scheduleJob(JobBuilder.newJob(type).withIdentity(key).usingJobData("mailbox", key.getName()).build(),
                Set.of(trigger), true);
    }

    void start() throws SchedulerException {
        scheduler.start();
        if (local != null) {
            local.start();
        }
    }

    /** Polls a mailbox now (IMAP IDLE saw new mail); coalesces with a poll already running. */
    void pollNow(String mailboxId) {
        try {
            scheduler.triggerJob(pollJob(mailboxId));
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops scheduling and waits for running jobs, so the batch in hand is committed. */
    @Override
    public void close() {
        try {
            if (local != null) {
                local.shutdown(true);
            }
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        } finally {
            if (jobStore != null) {
                jobStore.close();
            }
        }
    }

    private static Service service(JobExecutionContext context) {
        try {
            return (Service) context.getScheduler().getContext().get(SERVICE);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls one mailbox. */
    @DisallowConcurrentExecution
    public static final class PollJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            service(context).poll(context.getMergedJobDataMap().getString("mailbox"));
        }
    }

    /** Re-evaluates SLA states against the clock. */
    @DisallowConcurrentExecution
    public static final class TickJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            service(context).tick();
        }
    }

    /** Drains the alert outbox (sends, retries with back-off). */
    @DisallowConcurrentExecution
    public static final class AlertSendJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            service(context).sendAlerts();
        }
    }

    /** Enqueues each team's daily digest when its local time has come on a business day. */
    @DisallowConcurrentExecution
    public static final class DigestJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            service(context).enqueueDigests();
        }
    }

    /** This instance's own refresh (every instance, not once per cluster): catch up with the others, gauges. */
    @DisallowConcurrentExecution
    public static final class LocalJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            service(context).refreshLocal();
        }
    }
}
