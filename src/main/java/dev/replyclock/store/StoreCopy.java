package dev.replyclock.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Copies every row of one store into another, empty one of the same schema (SQLite to PostgreSQL or back): the
 * tables both have, parents before children (foreign keys), in one transaction on each side. Values go by the
 * target column's type, so SQLite's 0/1 become PostgreSQL booleans and back. Flyway's history and tables of other
 * tools (Quartz's {@code qrtz_}) are not copied.
 */
final class StoreCopy {

    /** Tables with foreign keys come after the tables they point to; tables not named here follow, by name. */
    private static final List<String> ORDER = List.of("message", "message_place", "folder_checkpoint", "rejected",
            "source_item", "conversation", "conversation_message", "lead", "wait", "sla_transition", "sync_status",
            "alert_outbox", "disposition", "disposition_audit", "web_session", "wall_link", "wall_device");
    private static final int BATCH = 1_000;

    private StoreCopy() {
    }

    /** The row count of each store table. */
    static Map<String, Long> counts(Sql sql) {
        return sql.inTransaction(() -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : tables(sql.conn)) {
                try (Statement st = sql.conn.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            return counts;
        });
    }

    /** Copies {@code from} into {@code to}, which must be empty; returns the rows copied per table. */
    static Map<String, Long> copy(Sql from, Sql to) {
        Map<String, Long> existing = counts(to);
        existing.values().removeIf(n -> n == 0);
        if (!existing.isEmpty()) {
            throw new StoreException("store " + to.name + " is not empty (" + existing
                    + "): refusing to copy into it; give an empty database or a new file");
        }
        return from.inTransaction(() -> to.inTransaction(() -> {
            List<String> tables = tables(from.conn);
            tables.retainAll(tables(to.conn));
            Map<String, Long> copied = new LinkedHashMap<>();
            for (String table : tables) {
                copied.put(table, copyTable(from.conn, to.conn, table));
            }
            return copied;
        }));
    }

    private static long copyTable(Connection from, Connection to, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        try (Statement st = to.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
                types.add(meta.getColumnType(i));
            }
        }
        String list = String.join(", ", columns);
        String marks = String.join(", ", columns.stream().map(c -> "?").toList());
        long rows = 0;
        try (Statement read = from.createStatement()) {
            read.setFetchSize(BATCH); // PostgreSQL streams (in a transaction) instead of loading the whole table
            try (ResultSet rs = read.executeQuery("SELECT " + list + " FROM " + table);
                 PreparedStatement write = to.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES ("
                         + marks + ")")) {
                while (rs.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        bind(rs, write, i + 1, types.get(i));
                    }
                    write.addBatch();
                    if (++rows % BATCH == 0) {
                        write.executeBatch();
                    }
                }
                write.executeBatch();
            }
        }
        return rows;
    }

    private static void bind(ResultSet rs, PreparedStatement ps, int i, int type) throws SQLException {
        if (rs.getObject(i) == null) {
            ps.setNull(i, type);
            return;
        }
        switch (type) {
            case Types.BOOLEAN, Types.BIT -> ps.setBoolean(i, rs.getBoolean(i));
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> ps.setLong(i, rs.getLong(i));
            case Types.REAL, Types.DOUBLE, Types.FLOAT, Types.NUMERIC, Types.DECIMAL -> ps.setDouble(i, rs.getDouble(i));
            default -> ps.setString(i, rs.getString(i));
        }
    }

    /** The store's tables in copy order (lower case). */
    private static List<String> tables(Connection conn) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        DatabaseMetaData meta = conn.getMetaData();
        String schema = conn.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
                ? conn.getSchema() : null;
        try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (!name.startsWith("flyway_") && !name.startsWith("qrtz_") && !name.startsWith("sqlite_")) {
                    names.add(name);
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String table : ORDER) {
            if (names.remove(table)) {
                ordered.add(table);
            }
        }
        ordered.addAll(names);
        return ordered;
    }
}
