package io.bgupdate.adaptive.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The signals of one database that need its connection, sampled on the signals thread: the probe
 * (feeding the {@link ProbeEstimator} of its {@link DatabaseControl}) and PostgreSQL's activity.
 * A failure is reported in the reading and the connection re-opened at the next sample; never fatal.
 */
final class DatabaseSignals implements AutoCloseable {

    static final String ACTIVITY = "pg activity";

    /** Active client sessions not bgupdate's own (the batch in flight is subtracted later), and lock waiters. */
    static final String ACTIVITY_SQL = "SELECT count(*) FILTER (WHERE state = 'active'), "
            + "count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
            + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
            + "AND coalesce(application_name, '') NOT LIKE 'bgupdate%'";
    static final String REPLICATION_SQL = "SELECT count(*), coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0) "
            + "FROM pg_stat_replication";

    private final DatabaseControl control;
    private final LongSupplier clock;
    private final SignalConnection probeConnection;
    private final SignalConnection activityConnection;
    private long nextProbe;
    private long nextActivity;
    private volatile Reading activity = Reading.failing(ACTIVITY, "no sample yet");
    private volatile long activityAt;
    private Boolean postgres;

    DatabaseSignals(DatabaseControl control, SignalConnection.Lookup lookup, LongSupplier clock) {
        this.control = control;
        this.clock = clock;
        this.probeConnection = new SignalConnection(lookup);
        this.activityConnection = new SignalConnection(lookup);
    }

    /** Samples what is due; called often by the signals thread. */
    void sample(AdaptiveSettings s) {
        long now = clock.getAsLong();
        if (control.dormant(now)) {
            close();
            return;
        }
        if (s.probe() && now >= nextProbe) {
            nextProbe = now + s.probeIntervalMillis();
            probe(s);
        } else if (!s.probe()) {
            probeConnection.close();
        }
        now = clock.getAsLong();
        if (s.activity() && now >= nextActivity) {
            nextActivity = now + s.activityIntervalMillis();
            activity = activity(s);
            activityAt = clock.getAsLong();
        } else if (!s.activity()) {
            activityConnection.close();
        }
    }

    private void probe(AdaptiveSettings s) {
        ProbeEstimator estimator = control.probe();
        try {
            Connection c = probeConnection.get();
            long token = control.idleToken();
            long start = System.nanoTime();
            estimator.started(clock.getAsLong());
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(SignalConnection.QUERY_TIMEOUT_SECONDS);
                st.execute(s.probeQuery());
            }
            double millis = (System.nanoTime() - start) / 1e6;
            boolean idle = token != -1 && token == control.idleToken();
            estimator.sample(clock.getAsLong(), millis, idle, s);
        } catch (SQLException | RuntimeException e) {
            estimator.failed(oneLine(e));
            probeConnection.close();
        }
    }

    private Reading activity(AdaptiveSettings s) {
        try {
            Connection c = activityConnection.get();
            if (postgres == null) {
                postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            }
            if (!postgres) {
                activityConnection.close();
                return Reading.failing(ACTIVITY, "not PostgreSQL");
            }
            double active;
            double locks;
            double replicas;
            double lag;
            try (PreparedStatement p = c.prepareStatement(ACTIVITY_SQL)) {
                p.setQueryTimeout(SignalConnection.QUERY_TIMEOUT_SECONDS);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    active = Math.max(0, r.getLong(1) - (control.batching() ? 1 : 0));
                    locks = r.getLong(2);
                }
            }
            try (PreparedStatement p = c.prepareStatement(REPLICATION_SQL)) {
                p.setQueryTimeout(SignalConnection.QUERY_TIMEOUT_SECONDS);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    replicas = r.getLong(1);
                    lag = r.getDouble(2);
                }
            }
            double pressure = max(s.active().pressure(active), s.locks().pressure(locks),
                    replicas > 0 ? s.lag().pressure(lag) : Double.NaN);
            String value = String.format(Locale.ROOT, "active %.0f, lock waits %.0f, %s", active, locks,
                    replicas > 0 ? String.format(Locale.ROOT, "replay lag %.0f ms", lag) : "no replica");
            return Double.isNaN(pressure) ? new Reading(ACTIVITY, value, Double.NaN, false, "every band is off")
                    : Reading.of(ACTIVITY, value, pressure);
        } catch (SQLException | RuntimeException e) {
            activityConnection.close();
            return Reading.failing(ACTIVITY, oneLine(e));
        }
    }

    /**
     * @param now the current time
     * @param s the settings in force
     * @return the latest activity reading, or a failing one when stale or switched off
     */
    Reading activityReading(long now, AdaptiveSettings s) {
        if (!s.activity()) {
            return null;
        }
        if (activityAt != 0 && now - activityAt > 3 * s.activityIntervalMillis() + 2000L * SignalConnection.QUERY_TIMEOUT_SECONDS) {
            return Reading.failing(ACTIVITY, "stale: no sample for " + (now - activityAt) + " ms");
        }
        return activity;
    }

    private static double max(double... values) {
        double m = Double.NaN;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                m = Double.isNaN(m) ? v : Math.max(m, v);
            }
        }
        return m;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    @Override
    public void close() {
        probeConnection.close();
        activityConnection.close();
    }
}
