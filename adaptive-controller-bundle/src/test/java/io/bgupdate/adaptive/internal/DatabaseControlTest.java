package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class DatabaseControlTest {

    final AdaptiveSettings s = TestConfig.settings(Map.of("probe_enabled", false, "duty_min", 0.25));
    final DatabaseControl d = new DatabaseControl("main", s.gains());

    @Test
    public void theRestKeepsTheDutyCycle() {
        d.step(0, List.of(), s);
        assertTrue(d.decide(0, s).go());
        d.entered();
        d.exited(100, 100);
        // duty 0.25: 100 ms busy, 300 ms rest
        DatabaseControl.Decision w = d.decide(100, s);
        assertFalse(w.go());
        assertEquals(300, w.waitMillis());
        assertEquals("duty cycle rest", w.reason());
        assertTrue(d.decide(400, s).go());
    }

    @Test
    public void aCriticalSignalHoldsUntilItClears() {
        d.step(0, List.of(Reading.of("probe", "x", 0.1), Reading.critical("reporter web", "pressure 1.00")), s);
        DatabaseControl.Decision w = d.decide(0, s);
        assertFalse(w.go());
        assertEquals("hold: reporter web is critical", w.reason());
        d.step(100, List.of(Reading.of("probe", "x", 0.1)), s);
        assertTrue(d.decide(100, s).go());
    }

    @Test
    public void theWorstSignalLimitsAndFailingOnesDoNotCount() {
        d.step(0, List.of(Reading.of("probe", "x", 0.5), Reading.of("pg activity", "y", 2.0), Reading.failing("z", "down")), s);
        d.step(500, List.of(Reading.of("probe", "x", 0.5), Reading.of("pg activity", "y", 2.0), Reading.failing("z", "down")), s);
        DatabaseControl.View v = d.view(500, s);
        assertEquals("pg activity", v.limiting().signal());
        assertEquals(ControlLaw.Mode.BACKING_OFF, v.mode());
    }

    @Test
    public void withoutAnySignalTheDutyStays() {
        d.step(0, List.of(Reading.failing("probe", "down")), s);
        d.step(1000, List.of(Reading.failing("probe", "down")), s);
        assertEquals(ControlLaw.Mode.BLIND, d.mode());
        assertEquals(0.25, d.duty(), 0);
    }

    @Test
    public void aNewBaseIsLearnedBeforeTheFirstBatchButNotForever() {
        AdaptiveSettings probing = TestConfig.defaults();
        DatabaseControl c = new DatabaseControl("main", probing.gains());
        c.probe().sample(0, 1.0, false, probing); // a sample during a batch: no base yet
        DatabaseControl.Decision w = c.decide(10, probing);
        assertEquals("learning the base latency", w.reason());
        c.probe().sample(1000, 1.0, false, probing); // the probe still works, but never idle
        assertFalse(c.decide(10 + DatabaseControl.MAX_LEARNING_MILLIS - 1, probing).go());
        assertTrue("gives up after 2 s", c.decide(10 + DatabaseControl.MAX_LEARNING_MILLIS, probing).go());
        // a base needs the median of more than half the probe filter's idle samples
        for (int i = 0; i < Math.max(DatabaseControl.LEARNING_SAMPLES, probing.probeFilter() / 2 + 1); i++) {
            assertTrue("no base from " + i + " idle samples", Double.isNaN(c.probe().base(3000 + i)));
            c.probe().sample(3000 + i, 0.5, true, probing);
        }
        assertEquals(0.5, c.probe().base(3100), 0);
        assertTrue(c.decide(3100, probing).go());
    }

    @Test
    public void aLongRestAtTheFloorShortensAsTheDutyGrows() {
        AdaptiveSettings noProbe = TestConfig.settings(Map.of("probe_enabled", false));
        DatabaseControl c = new DatabaseControl("main", noProbe.gains());
        List<Reading> idle = List.of(Reading.of("reporter", "0", 0));
        c.step(0, idle, noProbe);
        assertTrue(c.decide(0, noProbe).go());
        c.entered();
        c.exited(260, 260); // at the floor (2 %), a rest of 12.7 s
        long t = 260;
        while (true) {
            t += 100;
            c.step(t, idle, noProbe);
            if (c.decide(t, noProbe).go()) {
                break;
            }
        }
        assertTrue("went after " + (t - 260) + " ms", t - 260 < 3000);
    }
}
