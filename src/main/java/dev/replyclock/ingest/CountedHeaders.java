package dev.replyclock.ingest;

import java.util.List;

/** The header fields Replyclock reads of every message (SPEC §1), asked for by name from IMAP and Gmail. */
public final class CountedHeaders {

    /** Everything {@link HeaderParser} uses, besides the configured attribution header. */
    public static final List<String> FIELDS = List.of("Message-ID", "In-Reply-To", "References",
            "Subject", "From", "Sender", "Reply-To", "To", "Cc", "Date", "Received", "Thread-Index",
            "Auto-Submitted", "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "Precedence",
            "List-Id", "Content-Type", "Return-Path", "X-Failed-Recipients");

    private CountedHeaders() {
    }
}
