package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.FolderCheckpoint;
import dev.replyclock.domain.RejectedMessage;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.sla.ReplyOnlyMailboxes;
import dev.replyclock.thread.MessageSet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads every mailbox of a configuration once, in configuration order, into a {@link MessageSet}, without a store:
 * files directly, every other source type (IMAP, Graph, ...) through the service's own incremental source with its
 * checkpoints kept in memory for this one read.
 */
final class MailReader {

    /** Makes the source of a mailbox that is not files. */
    @FunctionalInterface
    interface SourceFactory {
        IncrementalSource create(MailboxConfig mailbox, HeaderParser parser);
    }

    private final Config config;
    private final PrintStream problems;
    private final SourceFactory sources;
    private final List<String> unreadablePaths = new ArrayList<>();

    /** @param problems where unreadable files are reported (path and reason), one line each */
    MailReader(Config config, PrintStream problems) {
        this(config, problems, (mailbox, parser) -> Sources.create(mailbox, parser, config.attributionHeader()));
    }

    /** @param sources the service's sources ({@link Sources}), or in tests one on a fake server */
    MailReader(Config config, PrintStream problems, SourceFactory sources) {
        this.config = config;
        this.problems = problems;
        this.sources = sources;
    }

    MessageSet readAll() {
        MessageSet set = new MessageSet();
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        ReplyOnlyMailboxes replyOnly = new ReplyOnlyMailboxes(config);
        for (MailboxConfig mailbox : config.mailboxes()) {
            try {
                if (mailbox.source() instanceof SourceConfig.Files files) {
                    new FilesSource(mailbox.id(), files.paths(), parser).readAll(replyOnly(replyOnly, mailbox,
                            sink(set, files.paths())));
                } else {
                    readOnce(sources.create(mailbox, parser), replyOnly(replyOnly, mailbox, sink(set, List.of())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("mailbox " + mailbox.id() + ": " + e.getMessage(), e);
            }
        }
        return set;
    }

    /**
     * Configured paths that were missing or could not be listed ("path: reason"): the report is incomplete and
     * {@code analyze} exits 1 after printing it.
     */
    List<String> unreadablePaths() {
        return List.copyOf(unreadablePaths);
    }

    /** A replies_only mailbox keeps only what the service would store of it (its inbound mail is skipped). */
    private static MessageSink replyOnly(ReplyOnlyMailboxes replyOnly, MailboxConfig mailbox, MessageSink sink) {
        return replyOnly.isReplyOnly(mailbox.id()) ? MessageSink.filtered(sink, m -> replyOnly.keeps(mailbox.id(), m)) : sink;
    }

    private MessageSink sink(MessageSet set, List<Path> configuredPaths) {
        Set<String> configured = configuredPaths.stream().map(Path::toString).collect(Collectors.toSet());
        return MessageSink.into(set, (where, reason) -> {
            problems.println("unreadable: " + where + ": " + reason);
            if (configured.contains(where)) {
                unreadablePaths.add(where + ": " + reason);
            }
        });
    }

    /** One poll of every folder from the start; the checkpoints a poll reaches live only in this map. */
    private static void readOnce(IncrementalSource source, MessageSink sink) throws IOException {
        Map<String, FolderCheckpoint> checkpoints = new HashMap<>();
        try (source) {
            source.poll(folder -> Optional.ofNullable(checkpoints.get(folder)), batch -> {
                batch.messages().forEach(sink::message);
                for (RejectedMessage rejected : batch.rejected()) {
                    sink.unreadable(rejected.where(), rejected.reason());
                }
                checkpoints.put(batch.checkpoint().folder(), batch.checkpoint());
            });
        }
    }
}
