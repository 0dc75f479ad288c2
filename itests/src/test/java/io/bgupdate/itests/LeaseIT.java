package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Hashtable;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.Test;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * PostgreSQL only: the runner's lease on a pooled DataSource. When the runner stops, the advisory
 * lock and the session settings it took do not stay behind on the pooled connections.
 */
public class LeaseIT {

    @Test
    public void aPooledConnectionKeepsNeitherTheLockNorTheSettingsAfterTheRunnerStops() throws Exception {
        assumeTrue("PostgreSQL only", TestDatabase.postgres());
        String url = EmbeddedFelix.newDatabase();
        Pool pool = new Pool(EmbeddedFelix.pgDataSource(url));
        try (EmbeddedFelix felix = new EmbeddedFelix(EmbeddedFelix.newDatabase(), "lease-host")) {
            ServiceRegistration<DataSource> reg = felix.context().registerService(DataSource.class, pool.dataSource(),
                    new Hashtable<>(Map.of(BackgroundUpdates.DATABASE_NAME, "pooled")));
            felix.context().registerService(UpdateHandler.class, batch -> {
                Thread.sleep(50);
                batch.saveProgress(batch.progress().with("n", batch.progress().getLong("n", 0) + 1));
                return 1;
            }, new Hashtable<>(Map.of(UpdateProperties.NAME, "endless", UpdateProperties.DATABASE, "pooled")));
            BackgroundUpdates updates = felix.service(BackgroundUpdates.class, null);
            Await.until("the runner holds the lease", () -> updates.databases().contains("pooled")
                    && updates.status("pooled").runsOn().filter("lease-host"::equals).isPresent() && lockHeld(pool));
            reg.unregister(); // the runner of "pooled" stops
            Await.until("the runner stopped", () -> !updates.databases().contains("pooled"));
        }
        assertFalse(pool.physical.isEmpty());
        try (Connection outside = EmbeddedFelix.pgDataSource(url).getConnection()) {
            for (Connection c : pool.physical) {
                if (c.isClosed()) {
                    continue; // aborted: PostgreSQL ended the session and its lock
                }
                int pid = c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
                assertEquals("advisory locks left on pooled connection " + pid, 0,
                        count(outside, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = " + pid));
                assertFalse("application_name reset", show(c, "application_name").startsWith("bgupdate"));
                assertEquals("keepalives reset", show(outside, "tcp_keepalives_idle"), show(c, "tcp_keepalives_idle"));
            }
        }
    }

    private static boolean lockHeld(Pool pool) {
        try {
            return locks(pool) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    private static long locks(Pool pool) throws SQLException {
        StringBuilder pids = new StringBuilder("0");
        for (Connection c : pool.physical) {
            if (!c.isClosed()) {
                pids.append(',').append(c.unwrap(org.postgresql.PGConnection.class).getBackendPID());
            }
        }
        try (Connection outside = pool.physical.isEmpty() ? null : pool.outside()) {
            return outside == null ? 0
                    : count(outside, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid IN (" + pids + ")");
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
