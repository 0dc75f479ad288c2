package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.Test;

/**
 * The control law against {@link SimulatedDatabase}: steady, backs off within 2 batches of a load
 * step, recovers within 10 s after it, keeps the floor, holds on a critical signal. Simulated
 * time: deterministic and sleep-free.
 */
public class ControlLawSimulationTest {

    static final double LIGHT = 0.3;
    static final double HEAVY = 0.7;
    static final long STEP_UP = 40_000;
    static final long STEP_DOWN = 70_000;

    /** The defaults, with a target of 50 % inflation: a batch here adds much (0.5) to the utilisation. */
    static AdaptiveSettings settings() {
        return TestConfig.settings(java.util.Map.of("probe_target", 0.5, "probe_target_ratio", 0.5));
    }

    static SimulatedDatabase lightHeavyLight() {
        return new SimulatedDatabase(settings(),
                t -> t >= STEP_UP && t < STEP_DOWN ? HEAVY : LIGHT, 1.0, 0.5, 100, 42);
    }

    static List<SimulatedDatabase.Point> between(SimulatedDatabase sim, long from, long to) {
        return sim.points.stream().filter(p -> p.millis() >= from && p.millis() < to).toList();
    }

    @Test
    public void settlesAtTheTargetWithoutOscillating() {
        SimulatedDatabase sim = lightHeavyLight();
        sim.runUntil(STEP_UP);
        List<SimulatedDatabase.Point> steady = between(sim, 20_000, STEP_UP);
        double min = steady.stream().mapToDouble(SimulatedDatabase.Point::duty).min().orElseThrow();
        double max = steady.stream().mapToDouble(SimulatedDatabase.Point::duty).max().orElseThrow();
        double pressure = steady.stream().mapToDouble(SimulatedDatabase.Point::pressure).average().orElseThrow();
        System.out.printf(Locale.ROOT, "steady: duty %.3f..%.3f, mean pressure %.2f%n", min, max, pressure);
        assertTrue("uses the capacity left: duty " + min, min > 0.1);
        assertTrue("below the ceiling: the target, not the bound, limits it: " + max, max < 0.99);
        assertTrue("no oscillation: duty " + min + ".." + max, max - min < 0.25 * max);
        assertTrue("at target on average: " + pressure, pressure > 0.7 && pressure < 1.3);
    }

    @Test
    public void backsOffWithinTwoBatchesOfALoadStep() {
        SimulatedDatabase sim = lightHeavyLight();
        sim.runUntil(STEP_UP);
        double before = sim.control.duty();
        long second = Long.MAX_VALUE;
        while (second == Long.MAX_VALUE) {
            sim.runUntil(sim.now() + 5);
            List<Long> after = sim.batchStarts.stream().filter(t -> t > STEP_UP).toList();
            if (after.size() >= 2) {
                second = after.get(1);
            }
        }
        double atSecond = sim.control.duty();
        System.out.printf(Locale.ROOT, "load step: duty %.3f before, %.3f at the 2nd batch after (%d ms later)%n",
                before, atSecond, second - STEP_UP);
        assertTrue("backed off by the second batch: " + before + " -> " + atSecond, atSecond < 0.7 * before);
    }

    @Test
    public void recoversWithinTenSecondsAfterTheLoadDrops() {
        SimulatedDatabase sim = lightHeavyLight();
        sim.runUntil(STEP_UP);
        double light = between(sim, 20_000, STEP_UP).stream().mapToDouble(SimulatedDatabase.Point::duty).average().orElseThrow();
        sim.runUntil(STEP_DOWN);
        double heavy = sim.control.duty();
        sim.runUntil(STEP_DOWN + 20_000);
        long recovered = between(sim, STEP_DOWN, STEP_DOWN + 20_000).stream()
                .filter(p -> p.duty() >= 0.9 * light).mapToLong(SimulatedDatabase.Point::millis).findFirst().orElse(Long.MAX_VALUE);
        System.out.printf(Locale.ROOT, "recovery: duty %.3f light, %.3f heavy, 90%% of light after %d ms%n",
                light, heavy, recovered - STEP_DOWN);
        assertEquals("at the floor under heavy load", sim.settings.gains().dutyMin(), heavy, 1e-9);
        assertTrue("recovered in " + (recovered - STEP_DOWN) + " ms", recovered - STEP_DOWN <= 10_000);
    }

    @Test
    public void theFloorKeepsBatchesComingUnderAnyLoad() {
        // The base is learned at light load; then the foreground alone nearly saturates the database.
        SimulatedDatabase sim = new SimulatedDatabase(settings(), t -> t < 10_000 ? LIGHT : 0.97, 1.0, 0.5, 100, 7);
        sim.runUntil(60_000);
        long late = sim.batchStarts.stream().filter(t -> t > 30_000).count();
        assertEquals(sim.settings.gains().dutyMin(), sim.control.duty(), 1e-9);
        // At 2% and 10 ms batches, one batch per 500 ms: about 60 in 30 s.
        assertTrue("batches still run at the floor: " + late, late >= 40);
        assertTrue(sim.items() > 0);
    }

    @Test
    public void holdsWhileASignalIsCriticalAndResumesAfter() {
        SimulatedDatabase sim = lightHeavyLight();
        sim.runUntil(20_000);
        sim.extra = List.of(Reading.critical("reporter test", "1.00"));
        sim.runUntil(20_500); // the batch in flight ends
        int held = sim.batchStarts.size();
        sim.runUntil(30_000);
        assertEquals("no batch starts while critical", held, sim.batchStarts.size());
        assertEquals(ControlLaw.Mode.HOLD, sim.control.mode());
        sim.extra = List.of();
        sim.runUntil(31_000);
        assertTrue("resumes after release", sim.batchStarts.size() > held);
        assertEquals(ControlLaw.Mode.GROWING, sim.control.mode());
    }

    @Test
    public void isDeterministic() {
        SimulatedDatabase a = lightHeavyLight();
        SimulatedDatabase b = lightHeavyLight();
        a.runUntil(STEP_DOWN);
        b.runUntil(STEP_DOWN);
        assertEquals(a.points, b.points);
    }
}
