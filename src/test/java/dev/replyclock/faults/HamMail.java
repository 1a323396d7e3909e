package dev.replyclock.faults;

import dev.replyclock.SharedFiles;
import dev.replyclock.config.Config;
import dev.replyclock.domain.MailMessage;
import dev.replyclock.domain.Place;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.MessageSink;
import dev.replyclock.ingest.UnreadableMessageException;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.report.Analysis;
import dev.replyclock.report.ReportJson;
import dev.replyclock.thread.MessageSet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real mail for fault tests: the SpamAssassin ham (prepared by the build), each message with its Date as the
 * INTERNALDATE a server would give it, and what {@code analyze} makes of the same messages as files.
 */
public final class HamMail {

    /** The report instant: after the last ham message. */
    public static final Instant NOW = Instant.parse("2002-12-31T00:00:00Z");
    private static final Instant UNDATED = Instant.parse("2002-01-01T00:00:00Z");

    /** One message: a file name, its bytes, and its INTERNALDATE. */
    public record Mail(String name, byte[] raw, Instant internalDate) {
    }

    private HamMail() {
    }

    /** The first {@code count} ham messages in file order (fails when the corpus has fewer). */
    public static List<Mail> first(int count) throws IOException {
        HeaderParser parser = new HeaderParser(Config.DEFAULT_ATTRIBUTION_HEADER);
        List<Mail> out = new ArrayList<>();
        for (Path folder : SharedFiles.spamAssassinFolders()) {
            if (!folder.getFileName().toString().contains("ham")) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (out.size() == count) {
                        return out;
                    }
                    byte[] raw = Files.readAllBytes(file);
                    out.add(new Mail(String.format("%05d.ham", out.size()), raw, dateOf(parser, raw)));
                }
            }
        }
        throw new AssertionError("the SpamAssassin ham has only " + out.size() + " messages, " + count + " wanted");
    }

    /** Writes the messages as files into {@code dir} (created), for {@code analyze}. */
    public static Path writeFiles(Path dir, List<Mail> mail) throws IOException {
        Files.createDirectories(dir);
        for (Mail m : mail) {
            Files.write(dir.resolve(m.name()), m.raw());
        }
        return dir;
    }

    /** A configuration for one mailbox {@code sales} reading from {@code source} (a YAML flow map). */
    public static String configYaml(String source) {
        return """
                internal_domains: [spamassassin.taint.org]
                calendars:
                  utc: {zone: UTC, hours: 24x7}
                sla_policies:
                  corpus: {first_response: 4h, warn_before: 30m, attempts: {count: 3, within: 14d}}
                teams:
                  corpus: {members: []}
                mailboxes:
                  - {id: sales, address: sales@acme.example, team: corpus, sla: corpus, calendar: utc,
                     source: SOURCE}
                """.replace("SOURCE", source);
    }

    /** The report (SPEC section 12) {@code analyze} gives for the configuration's mailbox read from these folders. */
    public static Map<String, Object> analyzeFiles(Config config, List<Path> folders) throws IOException {
        MessageSet set = new MessageSet();
        new FilesSource(config.mailboxes().get(0).id(), folders, new HeaderParser(config.attributionHeader())).readAll(MessageSink.into(set));
        return ReportJson.tree(Analysis.of(config, set), NOW);
    }

    private static Instant dateOf(HeaderParser parser, byte[] raw) throws IOException {
        try {
            MailMessage m = parser.parse(HeaderParser.readHeaderBlock(new ByteArrayInputStream(raw)),
                    new Place("x", "inbox", true), null);
            return m.eventTime() != null ? m.eventTime() : UNDATED;
        } catch (UnreadableMessageException e) {
            return UNDATED;
        }
    }
}
