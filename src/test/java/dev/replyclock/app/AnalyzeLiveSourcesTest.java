package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.Scenarios;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.gmail.FakeGmail;
import dev.replyclock.ingest.graph.FakeGraphMailbox;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.ReportJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code analyze} reads live mailboxes once, in memory, without a store: over IMAP (GreenMail), over Graph and over
 * Gmail (the test fakes) it gives the report it gives over the same mail as files. Only the count of files differs (none over
 * IMAP or Graph).
 */
class AnalyzeLiveSourcesTest {

    private static final String NOW = "2024-04-12T12:00:00Z";
    private static final Path EXAMPLE = Path.of("examples/config.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void analyzeOverImapEqualsAnalyzeOverTheSameFiles() throws Exception {
        Config files = ConfigLoader.load(EXAMPLE);
        MailboxConfig mailbox = files.mailboxes().get(0);
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            GreenMailUser user = greenMail.setUser(mailbox.address(), mailbox.address(), "imap-secret");
            List<String> folders = ImapScenarioTest.deliver(greenMail, user, (SourceConfig.Files) mailbox.source(),
                    files.attributionHeader());
            String yaml = Files.readString(EXAMPLE).replace("source: {type: files, paths: [mail/inbox, mail/sent]}",
                    "source: {type: imap, host: 127.0.0.1, port: " + greenMail.getImap().getPort() + ", tls: none, "
                            + "username: " + mailbox.address() + ", password: imap-secret, folders: " + folders + "}");
            Path imapConfig = Files.writeString(dir.resolve("imap.yaml"), yaml);

            CommandLineTest.Run overImap = CommandLineTest.run("analyze", "--config", imapConfig.toString(), "--now", NOW);
            assertEquals(0, overImap.exit(), overImap.err());
            CommandLineTest.Run overFiles = CommandLineTest.run("analyze", "--config", EXAMPLE.toString(), "--now", NOW);
            assertSameReport(JSON.readTree(overFiles.out()), JSON.readTree(overImap.out()));
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void analyzeOverGraphEqualsAnalyzeOverTheSameFiles() throws Exception {
        Config files = ConfigLoader.load(EXAMPLE);
        MailboxConfig mailbox = files.mailboxes().get(0);
        HeaderParser parser = new HeaderParser(files.attributionHeader());
        try (FakeGraphMailbox graph = new FakeGraphMailbox(mailbox, parser)) {
            MailboxConfig overGraph = new MailboxConfig(mailbox.id(), mailbox.address(), mailbox.team(), mailbox.sla(),
                    mailbox.calendar(), mailbox.group(), graph.config());
            Config config = Scenarios.withMailboxes(files, List.of(overGraph));
            // the reader analyze uses, with the fake's token instead of an app credential (GraphCredentialsTest's part)
            JsonNode report = report(config, new MailReader(config, quiet(), (m, p) -> graph.source(m.id(), p)));
            assertSameReport(report(files, new MailReader(files, quiet())), report);
        }
    }

    @Test
    void analyzeOverGmailEqualsAnalyzeOverTheSameFiles() throws Exception {
        Config files = ConfigLoader.load(EXAMPLE);
        MailboxConfig mailbox = files.mailboxes().get(0);
        HeaderParser parser = new HeaderParser(files.attributionHeader());
        try (FakeGmail gmail = new FakeGmail(mailbox.address())) {
            List<String> labels = new ArrayList<>();
            for (String name : Scenarios.deliver((SourceConfig.Files) mailbox.source(),
                    (name, raw) -> gmail.addRaw(gmailLabel(name), raw, parser))) {
                labels.add(gmailLabel(name));
            }
            Config config = Scenarios.withMailboxes(files, List.of(mailbox.withSource(new SourceConfig.Gmail(
                    mailbox.address(), gmail.serviceAccountJson(), null, labels, gmail.baseUrl(), "gmail.readonly"))));
            // the reader analyze uses, with the service's own Gmail source (service-account token from the fake)
            assertSameReport(report(files, new MailReader(files, quiet())), report(config, new MailReader(config, quiet())));
        }
    }

    private static String gmailLabel(String folderName) {
        return folderName.equalsIgnoreCase("inbox") ? "INBOX" : "SENT";
    }

    private static JsonNode report(Config config, MailReader reader) throws IOException {
        StringWriter out = new StringWriter();
        ReportJson.write(Analysis.of(config, reader.readAll()), Instant.parse(NOW), out);
        return JSON.readTree(out.toString());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    private static void assertSameReport(JsonNode files, JsonNode live) {
        assertEquals(11, files.get("leads").size());
        assertEquals(files.get("leads"), live.get("leads"));
        assertEquals(files.get("waits"), live.get("waits"));
        for (String count : List.of("messages", "duplicates", "automated", "conversations")) {
            assertEquals(files.get("counts").get(count), live.get("counts").get(count), count);
        }
    }
}
