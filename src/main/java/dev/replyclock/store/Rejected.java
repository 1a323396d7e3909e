package dev.replyclock.store;

import java.util.Objects;

/**
 * An item of a folder that held no readable message: recorded and skipped.
 *
 * @param where  names the item within the folder, e.g. {@code "uid 1234"} or a file path
 * @param reason why it could not be read
 */
public record Rejected(String mailboxId, String folder, String where, String reason) {

    public Rejected {
        Objects.requireNonNull(mailboxId, "mailboxId");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(reason, "reason");
    }
}
