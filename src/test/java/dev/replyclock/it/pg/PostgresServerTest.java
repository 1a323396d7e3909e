package dev.replyclock.it.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The test harness itself: fresh databases, password login, data surviving a restart. */
class PostgresServerTest {

    @Test
    void givesFreshDatabasesThatSurviveARestart() throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresServer.Database one = server.newDatabase();
        PostgresServer.Database two = server.newDatabase();
        assertNotEquals(one.url(), two.url());
        try (Connection c = one.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INTEGER)");
            st.execute("INSERT INTO t VALUES (42)");
        }
        server.restart();
        try (Connection c = one.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT x FROM t")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
        try (Connection c = two.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the second database is empty");
        }
    }

    @Test
    void refusesAWrongPassword() {
        PostgresServer.Database db = PostgresServer.shared().newDatabase();
        assertThrows(SQLException.class,
                () -> java.sql.DriverManager.getConnection(db.url(), db.user(), "wrong").close());
    }
}
