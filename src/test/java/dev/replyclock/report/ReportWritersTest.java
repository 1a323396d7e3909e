package dev.replyclock.report;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.domain.Lead;
import dev.replyclock.domain.SlaState;
import dev.replyclock.thread.MessageSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The report writers take shortcuts for big reports: the table's lead rows are padded by hand (no printf), the JSON is
 * streamed lead by lead. Both must give exactly the text of the plain way.
 */
class ReportWritersTest {

    private static final String LEAD_ROW = "%-20s %-14s %-28s %-12s %9s %-10s %8s %-9s%n";

    @Test
    void leadRowsOfTheExampleMailboxAreThePrintfColumns() throws IOException {
        assertLeadRows(Path.of("examples/config.yaml"), Instant.parse("2024-04-12T12:00:00Z"));
    }

    @Test
    void leadRowsOfTheSpamAssassinCorpusAreThePrintfColumns() throws IOException {
        // long parties (truncated to 28), unanswered and answered leads, every attempts state
        assertLeadRows(SharedFiles.spamAssassinFolders().get(0).getParent().getParent().resolve("config.yaml"),
                Instant.parse("2002-12-31T00:00:00Z"));
    }

    @Test
    void streamedJsonIsTheTextOfTheWholeTree() throws IOException {
        for (Path config : List.of(Path.of("examples/config.yaml"),
                SharedFiles.spamAssassinFolders().get(0).getParent().getParent().resolve("config.yaml"))) {
            Analysis analysis = analysis(config);
            Instant now = Instant.parse("2002-12-31T00:00:00Z");
            StringWriter streamed = new StringWriter();
            ReportJson.write(analysis, now, streamed);
            assertEquals(ReportJson.toJson(analysis, now), streamed.toString(), config.toString());
        }
    }

    private static Analysis analysis(Path configFile) throws IOException {
        Config config = ConfigLoader.load(configFile);
        MessageSet messages = new MessageSet();
        LiveAnalysisTest.read(config).forEach(messages::add);
        return Analysis.of(config, messages);
    }

    private static void assertLeadRows(Path configFile, Instant now) throws IOException {
        Analysis analysis = analysis(configFile);
        StringBuilder expected = new StringBuilder();
        for (Lead lead : analysis.leads()) {
            boolean answered = lead.firstResponse() != null;
            SlaState attempts = lead.attemptsState(now);
            expected.append(String.format(Locale.ROOT, LEAD_ROW, ReportJson.instant(lead.start()), lead.mailboxId(),
                    truncate(lead.party(), 28), answered ? truncate(lead.firstResponse().rep(), 12) : "-",
                    answered ? ReportTable.duration(lead.firstResponse().businessSeconds()) : "-",
                    lead.firstResponseState(now).label(), lead.attempts(), attempts == null ? "-" : attempts.label()));
        }
        StringWriter out = new StringWriter();
        ReportTable.write(analysis, now, out);
        String table = out.toString();
        String header = String.format(Locale.ROOT, LEAD_ROW, "start", "mailbox", "party", "rep", "business", "state",
                "attempts", "att.state");
        List<String> rows = table.substring(table.indexOf(header) + header.length()).lines().toList();
        assertEquals(analysis.leads().size(), rows.size());
        assertEquals(expected.toString().lines().toList(), rows);
    }

    private static String truncate(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
