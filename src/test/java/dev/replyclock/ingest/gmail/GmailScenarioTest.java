package dev.replyclock.ingest.gmail;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every scenario through the Gmail source: each mailbox's mail served by its own {@link FakeGmail} ({@code inbox} →
 * INBOX, {@code sent} → SENT, others by name; internalDate from the message's Date; replies join their thread as in
 * Gmail), one poll with small pages, then {@code GET /api/report} must give the expected leads and waits exactly.
 */
class GmailScenarioTest {

    /** Scenarios whose point cannot hold over Gmail, where every message has an internalDate. */
    private static final Map<String, String> NOT_OVER_GMAIL = Map.of(
            "14-undated-message", "its undated messages get an internalDate over Gmail and become dated");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyScenarioOverGmailGivesTheExpectedLeadsAndWaits() throws IOException {
        return Scenarios.folders().stream()
                .filter(f -> !NOT_OVER_GMAIL.containsKey(f.getFileName().toString()))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private void check(Path scenario) throws Exception {
        Config files = ConfigLoader.load(scenario.resolve("config.yaml"));
        HeaderParser parser = new HeaderParser(files.attributionHeader());
        List<FakeGmail> fakes = new ArrayList<>();
        try {
            List<MailboxConfig> gmailMailboxes = new ArrayList<>();
            for (MailboxConfig m : files.mailboxes()) {
                FakeGmail fake = new FakeGmail(m.address());
                fakes.add(fake);
                List<String> labels = new ArrayList<>();
                for (String name : Scenarios.deliver((SourceConfig.Files) m.source(),
                        (name, raw) -> fake.addRaw(label(name), raw, parser))) {
                    if (!labels.contains(label(name))) {
                        labels.add(label(name));
                    }
                }
                SourceConfig.Gmail gmail = new SourceConfig.Gmail(m.address(), fake.serviceAccountJson(), null, labels,
                        fake.baseUrl(), "gmail.readonly");
                gmailMailboxes.add(m.withSource(gmail));
            }
            Config config = Scenarios.withMailboxes(files, gmailMailboxes);
            // Small pages exercise paging; the 630 bounces of scenario 20 get big ones.
            int pageSize = scenario.getFileName().toString().startsWith("20-") ? 500 : 3;
            JsonNode report = Scenarios.pollAndFetchReport(config, Scenarios.now(scenario), dir,
                    m -> new GmailSource(m.id(), (SourceConfig.Gmail) m.source(), parser, config.attributionHeader(),
                            GmailFixture.QUICK, pageSize));
            Scenarios.assertLeadsAndWaits(scenario, report, "over Gmail");
            Scenarios.assertMessageCount(scenario, report, "over Gmail");
        } finally {
            fakes.forEach(FakeGmail::close);
        }
    }

    private static String label(String folderName) {
        return folderName.equalsIgnoreCase("inbox") ? "INBOX" : folderName.equalsIgnoreCase("sent") ? "SENT" : folderName;
    }
}
