package dev.replyclock.ingest;

/** A header block that holds no readable message (SPEC section 13 "Files"); the message says why. */
public class UnreadableMessageException extends Exception {

    public UnreadableMessageException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
