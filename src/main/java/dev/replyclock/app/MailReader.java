package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MailSource;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.sla.ReplyOnlyMailboxes;
import dev.replyclock.thread.MessageSet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Reads every mailbox of a configuration once, in configuration order, into a {@link MessageSet}. */
final class MailReader {

    private final Config config;
    private final PrintStream problems;

    /** @param problems where unreadable files are reported (path and reason), one line each */
    MailReader(Config config, PrintStream problems) {
        this.config = config;
        this.problems = problems;
    }

    MessageSet readAll() {
        MessageSet set = new MessageSet();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        ReplyOnlyMailboxes replyOnly = new ReplyOnlyMailboxes(config);
        for (MailboxConfig mailbox : config.mailboxes()) {
            MailSource source = sourceFor(mailbox, parser);
            MessageSink sink = MessageSink.into(set, (where, reason) -> problems.println("unreadable: " + where + ": " + reason));
            try {
                source.readAll(replyOnly.isReplyOnly(mailbox.id()) ? MessageSink.filtered(sink, m -> replyOnly.keeps(mailbox.id(), m)) : sink);
            } catch (IOException e) {
                throw new UncheckedIOException("mailbox " + mailbox.id() + ": " + e.getMessage(), e);
            }
        }
        return set;
    }

    private static MailSource sourceFor(MailboxConfig mailbox, HeaderParser parser) {
        if (mailbox.source() instanceof SourceConfig.Files files) {
            return new FilesSource(mailbox.id(), files.paths(), parser);
        }
        throw new IllegalArgumentException("mailbox " + mailbox.id() + ": analyze reads only sources of type files; "
                + "use `replyclock run` for " + mailbox.source().getClass().getSimpleName().toLowerCase());
    }
}
