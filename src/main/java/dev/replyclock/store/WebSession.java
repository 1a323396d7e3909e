package dev.replyclock.store;

import java.time.Instant;

/**
 * A stored login session, keyed by the SHA-256 (hex) of its cookie value, never the value itself.
 *
 * @param passwordFingerprint SHA-256 (hex) of the user's bcrypt hash at login: a different hash ends the session
 */
public record WebSession(String idSha256, String userName, String passwordFingerprint, String csrf,
                         Instant createdAt, Instant lastSeenAt, Instant expiresAt) {
}
