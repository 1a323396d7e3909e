package dev.replyclock.ingest.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replyclock.Scenarios;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


/**
 * Every scenario through the Graph source: each mailbox's mail served by its own {@link FakeGraph} as Graph JSON
 * ({@code inbox} → inbox, {@code sent} → sentitems, others by name; receivedDateTime and sentDateTime from the
 * message's Date), one poll, then {@code GET /api/report} must give the scenario's expected leads and waits exactly.
 */
class GraphScenarioTest {

    /** Scenarios whose point cannot hold over Graph, where every message has a receivedDateTime. */
    private static final Map<String, String> NOT_OVER_GRAPH = Map.of(
            "14-undated-message", "its undated messages get a receivedDateTime over Graph and become dated");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyScenarioOverGraphGivesTheExpectedLeadsAndWaits() throws IOException {
        return Scenarios.folders().stream()
                .filter(f -> !NOT_OVER_GRAPH.containsKey(f.getFileName().toString()))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private void check(Path scenario) throws Exception {
        Config files = ConfigLoader.load(scenario.resolve("config.yaml"));
        Instant now = Scenarios.now(scenario);
        HeaderParser parser = new HeaderParser(files.attributionHeader());
        List<FakeGraph> fakes = new ArrayList<>();
        try {
            List<MailboxConfig> graphMailboxes = new ArrayList<>();
            for (MailboxConfig m : files.mailboxes()) {
                FakeGraph fake = new FakeGraph(m.address());
                fakes.add(fake);
                List<String> used = deliver(fake, (SourceConfig.Files) m.source(), parser);
                SourceConfig.Graph graph = new SourceConfig.Graph("contoso", "app-id", "unused", m.address(), used,
                        "global", fake.baseUrl(), fake.baseUrl());
                graphMailboxes.add(m.withSource(graph));
            }
            Config config = Scenarios.withMailboxes(files, graphMailboxes);
            JsonNode report = pollAndFetchReport(config, now, parser, scenario.getFileName().toString().startsWith("20-"));
            Scenarios.assertLeadsAndWaits(scenario, report, "over Graph");
            Scenarios.assertMessageCount(scenario, report, "over Graph");
        } finally {
            fakes.forEach(FakeGraph::close);
        }
    }

    /** Serves every message file of the mailbox's paths in its Graph folder; returns the folders, inbox first. */
    static List<String> deliver(FakeGraph fake, SourceConfig.Files source, HeaderParser parser) throws IOException {
        List<String> used = new ArrayList<>();
        for (String name : Scenarios.deliver(source, (name, raw) -> fake.addRaw(folder(name), raw, parser))) {
            if (!used.contains(folder(name))) {
                used.add(folder(name));
            }
        }
        used.sort((a, b) -> a.equals("inbox") ? -1 : b.equals("inbox") ? 1 : 0);
        return used;
    }

    private static String folder(String name) {
        return name.equalsIgnoreCase("inbox") ? "inbox" : name.equalsIgnoreCase("sent") ? "sentitems" : name;
    }

    private JsonNode pollAndFetchReport(Config config, Instant now, HeaderParser parser, boolean bigScenario) throws Exception {
        // Small pages exercise paging; the 630 bounces of scenario 20 get big ones.
        int pageSize = bigScenario ? 100 : 3;
        return Scenarios.pollAndFetchReport(config, now, dir, m -> new GraphSource(m.id(), (SourceConfig.Graph) m.source(),
                parser, FakeGraph.tokens(FakeGraph.TOKEN), pageSize));
    }
}
