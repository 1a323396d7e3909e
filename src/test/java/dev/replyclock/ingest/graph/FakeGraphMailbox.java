package dev.replyclock.ingest.graph;

import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;

import java.io.IOException;
import java.util.List;

/** A files mailbox served as a Graph mailbox by a {@link FakeGraph}, for tests outside this package. */
public final class FakeGraphMailbox implements AutoCloseable {

    private final FakeGraph fake;
    private final SourceConfig.Graph config;

    /** Serves every message file of {@code mailbox}'s paths ({@code inbox} → inbox, {@code sent} → sentitems). */
    public FakeGraphMailbox(MailboxConfig mailbox, HeaderParser parser) throws IOException {
        fake = new FakeGraph(mailbox.address());
        List<String> folders = GraphScenarioTest.deliver(fake, (SourceConfig.Files) mailbox.source(), parser);
        config = new SourceConfig.Graph("contoso", "app-id", "unused", mailbox.address(), folders, "global",
                fake.baseUrl(), fake.baseUrl());
    }

    public SourceConfig.Graph config() {
        return config;
    }

    /** The production source on the fake, with the fake's token (its credential flow is GraphCredentialsTest's). */
    public IncrementalSource source(String mailboxId, HeaderParser parser) {
        return new GraphSource(mailboxId, config, parser, FakeGraph.tokens(FakeGraph.TOKEN), 3);
    }

    @Override
    public void close() {
        fake.close();
    }
}
