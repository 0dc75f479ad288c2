package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import io.bgupdate.api.pressure.PressureReporter;

public class ReportersTest {

    final AdaptiveSettings s = TestConfig.defaults();
    final Reporters reporters = new Reporters();

    static PressureReporter pressure(AtomicReference<Double> p) {
        return new PressureReporter() {
            @Override
            public OptionalDouble pressure() {
                return OptionalDouble.of(p.get());
            }
        };
    }

    List<Reading> read(String db, long now) {
        List<Reading> out = new ArrayList<>();
        reporters.read(db, now, s, out);
        return out;
    }

    @Test
    public void pressureIsRelativeToTheTargetAndOneHolds() {
        AtomicReference<Double> p = new AtomicReference<>(0.25);
        reporters.add(1, pressure(p), "web", null);
        Reading r = read("main", 0).get(0);
        assertEquals("reporter web", r.signal());
        assertEquals("0.25 at the default target 0.5", 0.5, r.pressure(), 1e-9);
        p.set(1.0);
        assertTrue(read("main", 0).get(0).critical());
    }

    @Test
    public void latencyCountsAsInflationOverTheLearnedBase() {
        AtomicReference<Duration> latency = new AtomicReference<>(Duration.ofMillis(10));
        reporters.add(1, new PressureReporter() {
            @Override
            public Optional<Duration> latency() {
                return Optional.of(latency.get());
            }
        }, "api", null);
        assertEquals(0, read("main", 0).get(0).pressure(), 1e-9);
        latency.set(Duration.ofMillis(12));
        assertEquals("+2 ms over 10 ms, target 20 %", 1.0, read("main", 100).get(0).pressure(), 1e-9);
    }

    @Test
    public void aFailingOrOutOfRangeReporterIsReportedAndDoesNotCount() {
        reporters.add(1, new PressureReporter() {
            @Override
            public OptionalDouble pressure() {
                throw new IllegalStateException("boom");
            }
        }, "broken", null);
        reporters.add(2, pressure(new AtomicReference<>(1.5)), "wild", null);
        reporters.add(3, pressure(new AtomicReference<>(Double.NaN)), "nan", null);
        reporters.add(4, new PressureReporter() {
        }, "silent", null);
        for (Reading r : read("main", 0)) {
            assertFalse(r.signal(), r.counts());
            assertNotNull(r.signal(), r.error());
        }
    }

    @Test
    public void aReporterAppliesOnlyToItsDatabasesAndCanBeRemoved() {
        reporters.add(1, pressure(new AtomicReference<>(0.1)), "only-a", new String[] {"a"});
        reporters.add(2, pressure(new AtomicReference<>(0.1)), "all", null);
        assertEquals(2, read("a", 0).size());
        assertEquals(1, read("b", 0).size());
        reporters.remove(2);
        assertEquals(0, read("b", 0).size());
    }
}
