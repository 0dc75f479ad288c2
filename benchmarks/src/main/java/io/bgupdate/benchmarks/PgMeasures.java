package io.bgupdate.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;

/**
 * Measures 1 and 2 on PostgreSQL: a throwaway cluster ({@link PgCluster}) registered with the
 * host's runner as the database {@value #DB}, then the overhead's five ways and the tracking
 * scenario under both sizings, exactly as on H2.
 */
final class PgMeasures {

    /** The runner's name for the PostgreSQL database. */
    static final String DB = "pg";

    /** Why PostgreSQL was not measured; {@code null} if it was. */
    String skipped;
    /** The server, e.g. "PostgreSQL 15.8". */
    String version;
    Overhead overhead;
    Tracking synapse;
    Tracking tracking;

    static PgMeasures run(Host host, Bench.Plan plan, Path work, Log log) throws Exception {
        PgMeasures m = new PgMeasures();
        m.skipped = PgCluster.unavailable();
        if (m.skipped != null) {
            log.line("PostgreSQL: %s", m.skipped);
            return m;
        }
        try (PgCluster pg = PgCluster.start(work.resolve("pg"))) {
            m.version = pg.version();
            log.line("PostgreSQL: %s on port %d", m.version, pg.port);
            DataSource ds = pg.dataSource();
            ServiceRegistration<DataSource> reg = host.dataSource(DB, ds);
            try {
                BackgroundUpdates updates = host.updates();
                Wait.until("the runner serving database " + DB, Duration.ofSeconds(60),
                        () -> updates.databases().contains(DB) && updates.status(DB).state() == RunnerState.COMPLETE);
                m.overhead = new Overhead(host, plan.overhead(), DB, ds);
                m.overhead.run(log);
                m.synapse = new Tracking(host, plan.tracking(), DB, Tracking.SYNAPSE);
                m.synapse.run(log);
                m.tracking = new Tracking(host, plan.tracking(), DB, Tracking.TRACKING);
                m.tracking.run(log);
            } finally {
                reg.unregister();
            }
        }
        return m;
    }
}
