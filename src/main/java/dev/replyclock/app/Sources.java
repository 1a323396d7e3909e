package dev.replyclock.app;

import dev.replyclock.config.Config;
import dev.replyclock.config.MailboxConfig;
import dev.replyclock.config.SourceConfig;
import dev.replyclock.ingest.HeaderParser;
import dev.replyclock.ingest.IncrementalSource;
import dev.replyclock.ingest.files.FilesOnceSource;
import dev.replyclock.ingest.files.FilesSource;
import dev.replyclock.ingest.gmail.GmailSource;
import dev.replyclock.ingest.imap.AccessTokenProvider;
import dev.replyclock.ingest.imap.AzureImapTokenProvider;
import dev.replyclock.ingest.imap.GoogleImapTokenProvider;
import dev.replyclock.ingest.imap.ImapSource;
import dev.replyclock.ingest.imap.StaticTokenProvider;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds each mailbox's source from its configuration: the one place that knows every adapter. */
final class Sources {

    private Sources() {
    }

    static Map<String, IncrementalSource> create(Config config) {
        HeaderParser parser = new HeaderParser(config.attributionHeader());
        Map<String, IncrementalSource> sources = new LinkedHashMap<>();
        for (MailboxConfig mailbox : config.mailboxes()) {
            sources.put(mailbox.id(), create(mailbox, parser, config.attributionHeader()));
        }
        return sources;
    }

    /** The source of one mailbox of {@code config} (test-source). */
    static IncrementalSource of(Config config, MailboxConfig mailbox) {
        return create(mailbox, new HeaderParser(config.attributionHeader()), config.attributionHeader());
    }

    /**
     * The source of one mailbox. The service, {@code test-source} and {@code analyze} (through {@link MailReader}) take
     * their sources from here, so a new source type added here is read by all of them.
     */
    static IncrementalSource create(MailboxConfig mailbox, HeaderParser parser, String attributionHeader) {
        if (mailbox.source() instanceof SourceConfig.Files files) {
            return new FilesOnceSource(mailbox.id(), new FilesSource(mailbox.id(), files.paths(), parser));
        }
        if (mailbox.source() instanceof SourceConfig.Imap imap) {
            AccessTokenProvider tokens = imap.oauth2() != null && imap.oauth2().azure() != null
                    ? AzureImapTokenProvider.of(mailbox.id(), imap.oauth2().azure())
                    : imap.oauth2() != null && imap.oauth2().google() != null
                    ? new GoogleImapTokenProvider(mailbox.id(), imap.oauth2().google())
                    : StaticTokenProvider.of(imap.oauth2());
            return new ImapSource(mailbox.id(), imap, parser, attributionHeader, tokens);
        }
        if (mailbox.source() instanceof SourceConfig.Graph graph) {
            return GraphSources.create(mailbox.id(), graph, parser);
        }
        if (mailbox.source() instanceof SourceConfig.Gmail gmail) {
            try {
                return GmailSource.create(mailbox.id(), gmail, parser, attributionHeader);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("mailbox " + mailbox.id() + ": the " + mailbox.source().getClass().getSimpleName()
                .toLowerCase(java.util.Locale.ROOT) + " source is not available in this version");
    }
}
