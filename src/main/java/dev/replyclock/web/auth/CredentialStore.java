package dev.replyclock.web.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where sessions, one-time wall links and wall devices are kept across restarts (the app wires the store in). Every
 * key is a digest ({@link Access#digest}) of a secret; the secrets themselves are never handed over.
 */
public interface CredentialStore {

    /** A login session; {@code passwordFingerprint} is the digest of the user's bcrypt hash at login. */
    record Session(String user, String passwordFingerprint, String csrf, Instant created, Instant lastSeen,
                   Instant expires) {
    }

    /** An enrolled wall device. */
    record Device(String name, Instant created, Instant lastSeen) {
    }

    void putSession(String idDigest, Session session);

    Optional<Session> session(String idDigest);

    void touchSession(String idDigest, Instant lastSeen, Instant expires);

    void deleteSession(String idDigest);

    /** Deletes expired sessions and used or expired links. */
    void deleteExpired(Instant now);

    /** Ends the sessions of users who are gone or whose fingerprint differs; returns how many ended. */
    int deleteSessionsNotMatching(Map<String, String> fingerprints);

    void putWallLink(String linkDigest, String deviceName, Instant created, Instant expires);

    /** Uses an unused, unexpired link: enrols its device under {@code deviceDigest} and gives the device name. */
    Optional<String> useWallLink(String linkDigest, String deviceDigest, Instant now);

    Optional<Device> wallDevice(String deviceDigest);

    void touchWallDevice(String name, Instant lastSeen);

    List<Device> wallDevices();

    /** False when there was no such device nor an unused link for it. */
    boolean revokeWallDevice(String name);
}
