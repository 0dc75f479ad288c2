package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.Test;

/** The JDBC signals against a real (H2) database: a probe measures, a broken one is reported and recovers. */
public class ProbeOnH2Test {

    @Test
    public void probesMeasureAndAFailureIsReportedNeverFatal() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1");
        AtomicReference<JdbcDataSource> registered = new AtomicReference<>(h2);
        AtomicLong now = new AtomicLong(1000);
        AdaptiveSettings s = TestConfig.settings(Map.of("probe_interval", 20L));
        DatabaseControl control = new DatabaseControl("main", s.gains());
        try (DatabaseSignals signals = new DatabaseSignals(control, registered::get, now::get)) {
            signals.sample(s);
            assertTrue("no batch asked yet: no probe", Double.isNaN(control.probe().base(now.get())));
            control.decide(now.get(), s);
            for (int i = 0; i < 5; i++) {
                signals.sample(s);
                now.addAndGet(20);
            }
            Reading r = control.probe().reading(now.get(), s);
            assertTrue(r.toString(), r.counts());
            assertTrue(control.probe().base(now.get()) >= 0);
            Reading activity = signals.activityReading(now.get(), s);
            assertEquals("not PostgreSQL", activity.error());

            registered.set(null); // the DataSource goes away; the broken query forces a new connection
            AdaptiveSettings broken = TestConfig.settings(Map.of("probe_interval", 20L, "probe_query", "SELECT * FROM no_such_table"));
            signals.sample(broken);
            Reading failing = control.probe().reading(now.get(), broken);
            assertFalse(failing.counts());
            assertTrue(failing.error(), failing.error().contains("no_such_table") || failing.error().contains("NO_SUCH_TABLE"));
            now.addAndGet(20);
            signals.sample(s);
            assertTrue(control.probe().reading(now.get(), s).error().contains("no DataSource"));

            registered.set(h2);
            now.addAndGet(20);
            signals.sample(s);
            assertTrue("recovers", control.probe().reading(now.get(), s).counts());

            now.addAndGet(DatabaseControl.DORMANT_MILLIS + 1);
            long samples = control.probe().idleSamples();
            signals.sample(s);
            assertEquals("dormant a minute after the last batch asked: no probe", samples, control.probe().idleSamples());
        }
    }
}
