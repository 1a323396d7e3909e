package dev.replyclock.app;

import dev.replyclock.store.Store;
import dev.replyclock.store.WallDevice;
import dev.replyclock.store.WebSession;
import dev.replyclock.web.auth.CredentialStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The web's sessions, wall links and wall devices, kept in the service's store. */
public final class StoreCredentials implements CredentialStore {

    private final Store store;

    public StoreCredentials(Store store) {
        this.store = store;
    }

    @Override
    public void putSession(String idDigest, Session s) {
        store.putSession(new WebSession(idDigest, s.user(), s.passwordFingerprint(), s.csrf(), s.created(), s.lastSeen(),
                s.expires()));
    }

    @Override
    public Optional<Session> session(String idDigest) {
        return store.session(idDigest).map(s -> new Session(s.userName(), s.passwordFingerprint(), s.csrf(),
                s.createdAt(), s.lastSeenAt(), s.expiresAt()));
    }

    @Override
    public void touchSession(String idDigest, Instant lastSeen, Instant expires) {
        store.touchSession(idDigest, lastSeen, expires);
    }

    @Override
    public void deleteSession(String idDigest) {
        store.deleteSession(idDigest);
    }

    @Override
    public void deleteExpired(Instant now) {
        store.deleteExpiredCredentials(now);
    }

    @Override
    public int deleteSessionsNotMatching(Map<String, String> fingerprints) {
        return store.deleteSessionsNotMatching(fingerprints);
    }

    @Override
    public void putWallLink(String linkDigest, String deviceName, Instant created, Instant expires) {
        store.putWallLink(linkDigest, deviceName, created, expires);
    }

    @Override
    public Optional<String> useWallLink(String linkDigest, String deviceDigest, Instant now) {
        return store.useWallLink(linkDigest, deviceDigest, now);
    }

    @Override
    public Optional<Device> wallDevice(String deviceDigest) {
        return store.wallDevice(deviceDigest).map(StoreCredentials::device);
    }

    @Override
    public void touchWallDevice(String name, Instant lastSeen) {
        store.touchWallDevice(name, lastSeen);
    }

    @Override
    public List<Device> wallDevices() {
        return store.wallDevices().stream().map(StoreCredentials::device).toList();
    }

    @Override
    public boolean revokeWallDevice(String name) {
        return store.revokeWallDevice(name);
    }

    private static Device device(WallDevice d) {
        return new Device(d.name(), d.createdAt(), d.lastSeenAt());
    }
}
