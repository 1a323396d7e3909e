package dev.replyclock.domain;

/**
 * Header-level signs that a message was sent by a machine (SPEC section 5). The parser records which
 * signs a message carries; whether they make it automated is decided later, because
 * {@link #PRECEDENCE} and {@link #LIST_ID} are ignored on messages that reached a group mailbox.
 */
public enum AutomationSign {
    AUTO_SUBMITTED,
    X_AUTOREPLY,
    X_AUTORESPOND,
    X_AUTO_RESPONSE_SUPPRESS,
    /** {@code Precedence: bulk|junk|list|auto_reply}. Ignored on a group mailbox. */
    PRECEDENCE,
    /** A {@code List-Id} header. Ignored on a group mailbox. */
    LIST_ID,
    MULTIPART_REPORT,
    NULL_RETURN_PATH,
    X_FAILED_RECIPIENTS,
    /** The decoded subject starts like an auto-reply or a bounce. */
    AUTOMATED_SUBJECT;

    public int bit() {
        return 1 << ordinal();
    }

    public boolean in(int mask) {
        return (mask & bit()) != 0;
    }

    /** The signs that a group mailbox adds itself, so they prove nothing there. */
    public static final int LIST_SIGNS = PRECEDENCE.bit() | LIST_ID.bit();
}
