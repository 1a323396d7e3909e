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
import org.quartz.impl.StdSchedulerFactory;

import java.time.Duration;
import java.util.Properties;

/**
 * Quartz (in-memory job store): one job per mailbox every {@code poll_interval} and an SLA tick. Jobs never
 * run concurrently with themselves; a missed run fires once as soon as possible and missed runs coalesce.
 */
final class PollScheduler implements AutoCloseable {

    static final Duration SLA_TICK = Duration.ofSeconds(30);
    /** How often the alert outbox is drained: alert latency is at most the SLA tick plus this plus sending. */
    static final Duration ALERT_SEND = Duration.ofSeconds(1);
    /** How often due digests are looked for (they are enqueued once per team and day). */
    static final Duration DIGEST_CHECK = Duration.ofMinutes(1);
    private static final String SERVICE = "replyclock.service";

    private final Scheduler scheduler;

    PollScheduler(Service service) throws SchedulerException {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "replyclock");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.threadPool.threadCount",
                Integer.toString(Math.max(2, Math.min(8, service.config().mailboxes().size() + 1))
                        + (service.alerts() == null ? 0 : 1)));
        scheduler = new StdSchedulerFactory(p).getScheduler();
        scheduler.getContext().put(SERVICE, service);
        for (MailboxConfig mailbox : service.config().mailboxes()) {
            schedule(PollJob.class, pollJob(mailbox.id()), service.config().pollInterval());
        }
        schedule(TickJob.class, new JobKey("sla-tick", "replyclock"), SLA_TICK);
        if (service.alerts() != null) {
            schedule(AlertSendJob.class, new JobKey("alert-send", "replyclock"), ALERT_SEND);
            schedule(DigestJob.class, new JobKey("alert-digest", "replyclock"), DIGEST_CHECK);
        }
    }

    static JobKey pollJob(String mailboxId) {
        return new JobKey(mailboxId, "poll");
    }

    private void schedule(Class<? extends Job> type, JobKey key, Duration every) throws SchedulerException {
        scheduler.scheduleJob(JobBuilder.newJob(type).withIdentity(key).usingJobData("mailbox", key.getName()).build(),
                TriggerBuilder.newTrigger().withIdentity(key.getName(), key.getGroup()).startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                .withIntervalInMilliseconds(every.toMillis()).repeatForever()
                                .withMisfireHandlingInstructionNowWithExistingCount())
                        .build());
    }

    void start() throws SchedulerException {
        scheduler.start();
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
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
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
}
