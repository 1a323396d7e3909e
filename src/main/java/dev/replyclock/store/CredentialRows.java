package dev.replyclock.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static dev.replyclock.store.Sql.instant;
import static dev.replyclock.store.Sql.setInstant;

/**
 * Login sessions, one-time wall links and wall devices, each keyed by a SHA-256 digest of its secret. Called only by
 * {@link Store}, which serialises calls.
 */
final class CredentialRows {

    private final Sql sql;

    CredentialRows(Sql sql) {
        this.sql = sql;
    }

    void putSession(WebSession s) {
        Objects.requireNonNull(s.idSha256(), "idSha256");
        sql.update("INSERT INTO web_session (id_sha256, user_name, password_fingerprint, csrf, created_at, last_seen_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, s.idSha256());
            ps.setString(2, s.userName());
            ps.setString(3, s.passwordFingerprint());
            ps.setString(4, s.csrf());
            setInstant(ps, 5, s.createdAt());
            setInstant(ps, 6, s.lastSeenAt());
            setInstant(ps, 7, s.expiresAt());
        });
    }

    Optional<WebSession> session(String idSha256) {
        return sql.query("SELECT id_sha256, user_name, password_fingerprint, csrf, created_at, last_seen_at, expires_at "
                + "FROM web_session WHERE id_sha256 = ?", ps -> {
            ps.setString(1, idSha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new WebSession(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), instant(rs, 5), instant(rs, 6), instant(rs, 7))) : Optional.<WebSession>empty();
            }
        });
    }

    void touchSession(String idSha256, Instant lastSeen, Instant expires) {
        sql.update("UPDATE web_session SET last_seen_at = ?, expires_at = ? WHERE id_sha256 = ?", ps -> {
            setInstant(ps, 1, lastSeen);
            setInstant(ps, 2, expires);
            ps.setString(3, idSha256);
        });
    }

    void deleteSession(String idSha256) {
        sql.update("DELETE FROM web_session WHERE id_sha256 = ?", ps -> ps.setString(1, idSha256));
    }

    /** Deletes expired sessions and used or expired wall links; returns how many sessions went. */
    int deleteExpired(Instant now) {
        return sql.inTransaction(() -> {
            int sessions;
            try (PreparedStatement ps = sql.conn.prepareStatement("DELETE FROM web_session WHERE expires_at <= ?")) {
                setInstant(ps, 1, now);
                sessions = ps.executeUpdate();
            }
            try (PreparedStatement ps = sql.conn.prepareStatement(
                    "DELETE FROM wall_link WHERE used_at IS NOT NULL OR expires_at <= ?")) {
                setInstant(ps, 1, now);
                ps.executeUpdate();
            }
            return sessions;
        });
    }

    /**
     * Deletes the sessions of users who are gone or whose password fingerprint is not the given one
     * ({@code current}: user name to fingerprint); returns how many went.
     */
    int deleteSessionsNotMatching(Map<String, String> current) {
        return sql.inTransaction(() -> {
            List<String> stale = new ArrayList<>();
            try (PreparedStatement ps = sql.conn.prepareStatement(
                    "SELECT id_sha256, user_name, password_fingerprint FROM web_session");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(3).equals(current.get(rs.getString(2)))) {
                        stale.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = sql.conn.prepareStatement("DELETE FROM web_session WHERE id_sha256 = ?")) {
                for (String id : stale) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return stale.size();
        });
    }

    void putWallLink(String tokenSha256, String deviceName, Instant createdAt, Instant expiresAt) {
        sql.update("INSERT INTO wall_link (token_sha256, device_name, created_at, expires_at) VALUES (?, ?, ?, ?)", ps -> {
            ps.setString(1, tokenSha256);
            ps.setString(2, deviceName);
            setInstant(ps, 3, createdAt);
            setInstant(ps, 4, expiresAt);
        });
    }

    /**
     * Uses a wall link: when it is unused and unexpired, marks it used and enrols (or re-enrols, with a new token) its
     * device in the same transaction, and gives the device name.
     */
    Optional<String> useWallLink(String linkSha256, String deviceTokenSha256, Instant now) {
        return sql.inTransaction(() -> {
            String device;
            try (PreparedStatement ps = sql.conn.prepareStatement(
                    "SELECT device_name FROM wall_link WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?")) {
                ps.setString(1, linkSha256);
                setInstant(ps, 2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<String>empty();
                    }
                    device = rs.getString(1);
                }
            }
            try (PreparedStatement ps = sql.conn.prepareStatement("UPDATE wall_link SET used_at = ? WHERE token_sha256 = ?")) {
                setInstant(ps, 1, now);
                ps.setString(2, linkSha256);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = sql.conn.prepareStatement("INSERT INTO wall_device (name, token_sha256, created_at, "
                    + "last_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, "
                    + "created_at = excluded.created_at, last_seen_at = excluded.last_seen_at")) {
                ps.setString(1, device);
                ps.setString(2, deviceTokenSha256);
                setInstant(ps, 3, now);
                setInstant(ps, 4, now);
                ps.executeUpdate();
            }
            return Optional.of(device);
        });
    }

    Optional<WallDevice> wallDevice(String tokenSha256) {
        return sql.query("SELECT name, created_at, last_seen_at FROM wall_device WHERE token_sha256 = ?", ps -> {
            ps.setString(1, tokenSha256);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(device(rs)) : Optional.<WallDevice>empty();
            }
        });
    }

    void touchWallDevice(String name, Instant lastSeen) {
        sql.update("UPDATE wall_device SET last_seen_at = ? WHERE name = ?", ps -> {
            setInstant(ps, 1, lastSeen);
            ps.setString(2, name);
        });
    }

    List<WallDevice> wallDevices() {
        return sql.query("SELECT name, created_at, last_seen_at FROM wall_device ORDER BY name", ps -> {
            List<WallDevice> devices = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.add(device(rs));
                }
            }
            return devices;
        });
    }

    /** Revokes a device and its unused links; false when there was neither. */
    boolean revokeWallDevice(String name) {
        return sql.inTransaction(() -> {
            int gone;
            try (PreparedStatement ps = sql.conn.prepareStatement("DELETE FROM wall_device WHERE name = ?")) {
                ps.setString(1, name);
                gone = ps.executeUpdate();
            }
            try (PreparedStatement ps = sql.conn.prepareStatement("DELETE FROM wall_link WHERE device_name = ? AND used_at IS NULL")) {
                ps.setString(1, name);
                gone += ps.executeUpdate();
            }
            return gone > 0;
        });
    }

    private static WallDevice device(ResultSet rs) throws SQLException {
        return new WallDevice(rs.getString(1), instant(rs, 2), instant(rs, 3));
    }
}
