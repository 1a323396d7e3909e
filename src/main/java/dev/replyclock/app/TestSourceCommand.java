package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.sla.MessageFacts;
import dev.replyclock.sla.ReplyOnlyMailboxes;
import dev.replyclock.sla.Roster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code replyclock test-source --config FILE --mailbox ID}: reads one mailbox as the service would, storing
 * nothing: the folders or labels read with their message counts, and the newest messages with what each would count
 * as. Exit 0 when the mailbox can be read, 1 with the provider's reason (and its fix, named by the source's error)
 * when not, 2 for an unknown mailbox.
 */
@Command(name = "test-source", mixinStandardHelpOptions = true,
        description = "Read one mailbox once, storing nothing, and show what its newest "
        + "messages would count as; exit 1 with the reason when it cannot be read.",
        footerHeading = "%nExample:%n", footer = "  replyclock test-source --config config.yaml --mailbox sales")
final class TestSourceCommand implements Callable<Integer> {

    /** Newest messages shown. */
    static final int NEWEST = 5;

    @Mixin
    ConfigOption configOption;

    @Option(names = "--mailbox", required = true, paramLabel = "ID", description = "a mailbox id of the configuration")
    String mailboxId;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() {
        Config config = configOption.load();
        MailboxConfig mailbox = config.mailboxes().stream().filter(m -> m.id().equals(mailboxId)).findFirst().orElse(null);
        if (mailbox == null) {
            err.println("no mailbox '" + mailboxId + "' (configured: "
                    + config.mailboxes().stream().map(MailboxConfig::id).collect(Collectors.joining(", ")) + ")");
            return 2;
        }
        String type = mailbox.source().getClass().getSimpleName().toLowerCase(Locale.ROOT);
        out.println("mailbox " + mailbox.id() + " (" + mailbox.address() + ", " + type
                + (mailbox.repliesOnly() ? ", replies only" : "") + ")");
        long started = System.nanoTime();
        IncrementalSource.Sample sample;
        try (IncrementalSource source = Sources.of(config, mailbox)) {
            sample = source.sample(NEWEST);
        } catch (IOException | RuntimeException e) {
            err.println("mailbox " + mailbox.id() + " cannot be read: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
        sample.folderCounts().forEach((f, count) -> out.println("  " + f + ": " + count + " messages"));
        out.printf(Locale.ROOT, "read the headers of the newest %d messages per folder in %.1f s; nothing stored%n", NEWEST,
                (System.nanoTime() - started) / 1e9);
        if (!sample.rejected().isEmpty()) {
            out.println(sample.rejected().size() + " of them unreadable (skipped, as the service would): "
                    + sample.rejected().get(0).reason());
        }
        List<MailMessage> shown = new ArrayList<>(sample.messages());
        shown.sort(IncrementalSource.Sample.NEWEST_FIRST);
        shown = shown.subList(0, Math.min(NEWEST, shown.size()));
        if (!shown.isEmpty()) {
            out.println("newest " + shown.size() + ":");
        }
        Roster roster = new Roster(config);
        ReplyOnlyMailboxes replyOnly = new ReplyOnlyMailboxes(config);
        for (MailMessage m : shown) {
            out.println("  " + (m.eventTime() == null ? "undated" : m.eventTime()) + "  from " + m.firstFrom()
                    + "  \"" + m.subject() + "\"");
            out.println("    -> " + countsAs(m, mailbox, roster, replyOnly));
        }
        out.println("OK: mailbox " + mailbox.id() + " can be read");
        return 0;
    }

    /** What SPEC section 5 makes of the message alone (its conversation may add more). */
    static String countsAs(MailMessage m, MailboxConfig mailbox, Roster roster, ReplyOnlyMailboxes replyOnly) {
        if (!replyOnly.keeps(mailbox.id(), m)) {
            return "skipped: inbound mail of a reply-only mailbox (only replies sent from it count)";
        }
        MessageFacts facts = MessageFacts.of(m, roster);
        if (facts.author() == null) {
            return "not counted: no From address";
        }
        if (facts.automated()) {
            return "automated (" + String.join(", ", facts.automatedWhy(roster)) + "): opens no lead, is no attempt";
        }
        if (facts.inboundToMailbox()) {
            return "lead: " + facts.party() + " wrote to " + facts.reached().address()
                    + " (or a further message of that lead's conversation)";
        }
        if (facts.humanOutbound()) {
            return "attempt or response: sent by " + facts.author() + " (counts when it answers a lead's party)";
        }
        return facts.outbound() ? "not counted: internal mail"
                : "not counted: from " + facts.author() + " but to no monitored mailbox";
    }

}
