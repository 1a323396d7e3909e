package dev.replyclock.ingest.graph;

import dev.replyclock.SalesConfig;
import dev.replyclock.config.Config;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.poll.PollCycle;
import dev.replyclock.report.LiveAnalysis;
import dev.replyclock.store.Store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One Graph mailbox ({@code sales}) served by a {@link FakeGraph}, polled by the service's own path: a
 * {@link PollCycle} committing into a real SQLite {@link Store} and a {@link LiveAnalysis}.
 */
final class GraphFixture implements AutoCloseable {

    static final String USER = "sales@acme.example";

    final FakeGraph graph;
    final Config config;
    final SourceConfig.Graph graphConfig;
    final Store store;
    final LiveAnalysis live;
    final PollCycle cycle;

    GraphFixture(Path dir) throws IOException {
        graph = new FakeGraph(USER);
        config = SalesConfig.write(dir, ("{type: graph, tenant: contoso, client_id: app-id, client_secret: not-used-here,"
                + " user: sales@acme.example, base_url: BASE, authority_host: BASE}").replace("BASE", graph.baseUrl()));
        graphConfig = (SourceConfig.Graph) config.mailboxes().get(0).source();
        store = Store.open(dir.resolve("replyclock.db"));
        live = new LiveAnalysis(config);
        cycle = new PollCycle(store, live, Clock.systemUTC());
    }

    GraphSource source(int pageSize, String token) {
        return new GraphSource("sales", graphConfig, new HeaderParser(config.attributionHeader()),
                FakeGraph.tokens(token), pageSize);
    }

    /** A source whose own retries (beyond the SDK's) follow {@code retry}, to keep back-off short in tests. */
    GraphSource source(int pageSize, GraphRetry retry) {
        return new GraphSource("sales", graphConfig, new HeaderParser(config.attributionHeader()),
                FakeGraph.tokens(FakeGraph.TOKEN), pageSize, retry);
    }

    /** Lead {@code n} in the inbox, from buyer{@code n}. */
    String lead(int n, String time) {
        return graph.add("inbox", FakeGraph.message("lead-" + n + "@x.example", "buyer" + n + "@x.example", USER,
                "Quote " + n, time), FakeGraph.headers("Date", "Tue, 27 Feb 2024 08:15:00 +0000", "Received", "by mx"));
    }

    /** Alice's answer to lead {@code n}, in sentitems. */
    String reply(int n, String time) {
        return graph.add("sentitems", FakeGraph.message("reply-" + n + "@acme.example", "alice@acme.example",
                "buyer" + n + "@x.example", "Re: Quote " + n, time),
                FakeGraph.headers("In-Reply-To", "<lead-" + n + "@x.example>", "References", "<lead-" + n + "@x.example>"));
    }

    @Override
    public void close() {
        store.close();
        graph.close();
    }
}
