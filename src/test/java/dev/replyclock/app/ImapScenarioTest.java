package dev.replyclock.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.replyclock.Scenarios;
import dev.replyclock.config.Config;
import dev.replyclock.config.ConfigLoader;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.UnreadableMessageException;
import dev.replyclock.ingest.imap.ImapSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Date;
import java.util.Properties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;


/**
 * Every scenario through the live service: its mail delivered to GreenMail IMAP folders ({@code inbox} →
 * INBOX, {@code sent} → Sent, others by name) with INTERNALDATE set to each message's Date, one poll,
 * then {@code GET /api/report} must give the scenario's expected leads and waits exactly.
 */
class ImapScenarioTest {

    /** Scenarios whose point cannot hold over IMAP, where every message has an INTERNALDATE. */
    private static final Map<String, String> NOT_OVER_IMAP = Map.of(
            "14-undated-message", "its undated messages (no Date, no Received) get an INTERNALDATE over IMAP and become dated");
    private static final String PASSWORD = "scenario-password";

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyScenarioOverImapGivesTheExpectedLeadsAndWaits() throws IOException {
        return Scenarios.folders().stream()
                .filter(f -> !NOT_OVER_IMAP.containsKey(f.getFileName().toString()))
                .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private void check(Path scenario) throws Exception {
        Config files = ConfigLoader.load(scenario.resolve("config.yaml"));
        Instant now = Scenarios.now(scenario);
        GreenMail greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        try {
            int port = greenMail.getImap().getPort();
            List<MailboxConfig> imapMailboxes = new ArrayList<>();
            for (MailboxConfig m : files.mailboxes()) {
                GreenMailUser user = greenMail.setUser(m.address(), m.address(), PASSWORD);
                List<String> imapFolders = deliver(greenMail, user, (SourceConfig.Files) m.source(), files.attributionHeader());
                // Tiny batches exercise batching; the 630 bounces of scenario 20 would take minutes that way.
                int batchSize = scenario.getFileName().toString().startsWith("20-") ? 200 : 2;
                SourceConfig.Imap imap = new SourceConfig.Imap("127.0.0.1", port, SourceConfig.Imap.Tls.NONE, m.address(),
                        PASSWORD, imapFolders, false, null, null, batchSize);
                imapMailboxes.add(m.withSource(imap));
            }
            Config config = Scenarios.withMailboxes(files, imapMailboxes);
            JsonNode report = pollAndFetchReport(config, now);
            Scenarios.assertLeadsAndWaits(scenario, report, "over IMAP");
            Scenarios.assertMessageCount(scenario, report, "over IMAP");
        } finally {
            greenMail.stop();
        }
    }

    /**
     * Puts every message file of the mailbox's paths into its IMAP folder the way a mail server delivers,
     * with its INTERNALDATE (GreenMail's store API; ImapSourceTest covers IMAP APPEND itself, and this keeps
     * the 630 bounces of scenario 20 from costing a minute of round trips). Returns the folders, INBOX first.
     */
    static List<String> deliver(GreenMail greenMail, GreenMailUser user, SourceConfig.Files source,
                                        String attributionHeader) throws Exception {
        HeaderParser parser = new HeaderParser(attributionHeader);
        ImapHostManager host = greenMail.getManagers().getImapHostManager();
        Session session = Session.getInstance(new Properties());
        List<String> used = new ArrayList<>();
        for (Path path : source.paths()) {
            String name = path.getFileName().toString();
            String folder = name.equalsIgnoreCase("inbox") ? "INBOX" : name.equalsIgnoreCase("sent") ? "Sent" : name;
            if (!used.contains(folder)) {
                used.add(folder);
            }
            MailFolder target = folder.equals("INBOX") ? host.getInbox(user)
                    : Optional.ofNullable(host.getFolder(user, folder)).orElseGet(() -> create(host, user, folder));
            try (Stream<Path> list = Files.list(path)) {
                for (Path file : list.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] raw = Files.readAllBytes(file);
                    target.appendMessage(new MimeMessage(session, new ByteArrayInputStream(raw)), new Flags(),
                            Date.from(dateOf(parser, raw)));
                }
            }
        }
        used.sort((a, b) -> a.equals("INBOX") ? -1 : b.equals("INBOX") ? 1 : 0);
        return used;
    }

    private static MailFolder create(ImapHostManager host, GreenMailUser user, String folder) {
        try {
            return host.createMailbox(user, folder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant dateOf(HeaderParser parser, byte[] raw) throws IOException {
        try {
            MailMessage m = parser.parse(HeaderParser.readHeaderBlock(new ByteArrayInputStream(raw)), new Place("x", "x", false), null);
            return Optional.ofNullable(m.eventTime()).orElse(Instant.parse("2000-01-01T00:00:00Z"));
        } catch (UnreadableMessageException e) {
            return Instant.parse("2000-01-01T00:00:00Z");
        }
    }

    private JsonNode pollAndFetchReport(Config config, Instant now) throws Exception {
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        return Scenarios.pollAndFetchReport(config, now, dir, m -> new ImapSource(m.id(), (SourceConfig.Imap) m.source(),
                parser, config.attributionHeader(), null));
    }
}
