package dev.replyclock.ingest;

import java.io.IOException;

/** A place mail is read from: files, IMAP or Graph. Each adapter implements this one interface. */
public interface MailSource {

    /**
     * Reads everything this source has into the sink. Bad items go to {@link MessageSink#unreadable}
     * and never stop the read; an exception means the source as a whole failed.
     */
    void readAll(MessageSink sink) throws IOException;
}
