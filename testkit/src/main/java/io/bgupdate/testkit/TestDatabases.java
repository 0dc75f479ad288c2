package io.bgupdate.testkit;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** Databases for tests. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** @return a fresh, empty in-memory H2 database of its own that lives until the JVM exits */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }
}
