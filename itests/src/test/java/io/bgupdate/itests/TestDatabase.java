package io.bgupdate.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * Which database the integration tests run on: the embedded H2 (the default) or, when the
 * build runs them with {@code -Ditest.db=postgresql}, the throwaway PostgreSQL cluster that
 * {@code src/test/pg/pg-cluster} started in {@code itest.pg.dir}. Every test gets a database of
 * its own.
 */
final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabase() {
    }

    static boolean postgres() {
        return "postgresql".equals(System.getProperty("itest.db"));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(System.getProperty("itest.pg.dir"), file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL cluster for the tests: " + e.getMessage(), e);
        }
    }

    static String pgUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + read("port") + "/" + database;
    }

    static String pgUser() {
        return "postgres";
    }

    static String pgPassword() {
        return read("password");
    }

    /** Creates a new, empty PostgreSQL database through a connection to the {@code postgres} one; returns its name. */
    static String createPgDatabase(DataSource postgres) throws SQLException {
        String name = "bgt_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000_000 + "_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    /** @return SQL selecting rows (id, v) with id from 1 to {@code rows} and v = id * 7, in the connection's dialect */
    static String series(Connection c, int rows) throws SQLException {
        return c.getMetaData().getDatabaseProductName().equals("H2")
                ? "SELECT X, X * 7 FROM SYSTEM_RANGE(1, " + rows + ")"
                : "SELECT x, x * 7 FROM generate_series(1, " + rows + ") AS x";
    }

    /** @return whether an index of that name exists on the table */
    static boolean hasIndex(DataSource ds, String table, String index) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (String t : new String[] {table.toLowerCase(), table.toUpperCase()}) {
                try (var rs = c.getMetaData().getIndexInfo(null, null, t, false, false)) {
                    while (rs.next()) {
                        if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
