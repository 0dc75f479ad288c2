package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Locale;

import org.junit.Test;

/**
 * The law with the probe as noisy as on a shared machine ({@link SimulatedDatabase#noisy}: 15 %
 * jitter and spikes from descheduling), under the default configuration: the noise must not read
 * as load (the duty stays well above the floor when the foreground is light), and a real load step
 * must still make it back off within 2 batches. Deterministic: fixed seeds, simulated time.
 */
public class ProbeNoiseSimulationTest {

    /** One probe in 10 is delayed by 2 ms on average: twice the service time of the simulated query. */
    static final double SPIKE_SHARE = 0.1;
    static final double SPIKE_MILLIS = 2.0;

    static SimulatedDatabase noisy(AdaptiveSettings s, long seed) {
        return new SimulatedDatabase(s, t -> t >= ControlLawSimulationTest.STEP_UP && t < ControlLawSimulationTest.STEP_DOWN
                ? ControlLawSimulationTest.HEAVY : ControlLawSimulationTest.LIGHT, 1.0, 0.5, 100, seed).noisy(SPIKE_SHARE, SPIKE_MILLIS);
    }

    static double meanDuty(SimulatedDatabase sim, long from, long to) {
        return ControlLawSimulationTest.between(sim, from, to).stream().mapToDouble(SimulatedDatabase.Point::duty).average().orElseThrow();
    }

    @Test
    public void noiseDoesNotReadAsLoadUnderTheDefaults() {
        for (long seed : new long[] {1, 2, 3}) {
            SimulatedDatabase sim = noisy(TestConfig.defaults(), seed);
            sim.runUntil(ControlLawSimulationTest.STEP_UP);
            double duty = meanDuty(sim, 20_000, ControlLawSimulationTest.STEP_UP);
            double floor = sim.settings.gains().dutyMin();
            System.out.printf(Locale.ROOT, "noisy, defaults, seed %d: light-phase duty %.3f (floor %.2f)%n", seed, duty, floor);
            assertTrue("seed " + seed + ": duty " + duty + " is not well above the floor " + floor, duty > 10 * floor);
        }
    }

    @Test
    public void theFilterKeepsTheNoiseFreeSteadyStateAtTheSameTarget() {
        // The target of the noise-free tests: only the filter stands between the noise and the law.
        SimulatedDatabase quiet = ControlLawSimulationTest.lightHeavyLight();
        SimulatedDatabase loud = noisy(ControlLawSimulationTest.settings(), 42);
        quiet.runUntil(ControlLawSimulationTest.STEP_UP);
        loud.runUntil(ControlLawSimulationTest.STEP_UP);
        double q = meanDuty(quiet, 20_000, ControlLawSimulationTest.STEP_UP);
        double l = meanDuty(loud, 20_000, ControlLawSimulationTest.STEP_UP);
        System.out.printf(Locale.ROOT, "light-phase duty: %.3f without noise, %.3f with%n", q, l);
        assertTrue("noise halves the duty or worse: " + q + " -> " + l, l > 0.5 * q);
    }

    @Test
    public void aRealLoadStepStillBacksOffWithinTwoBatches() {
        for (long seed : new long[] {1, 2, 3}) {
            SimulatedDatabase sim = noisy(TestConfig.defaults(), seed);
            sim.runUntil(ControlLawSimulationTest.STEP_UP);
            double before = sim.control.duty();
            List<Long> after = List.of();
            while (after.size() < 2) {
                sim.runUntil(sim.now() + 5);
                after = sim.batchStarts.stream().filter(t -> t > ControlLawSimulationTest.STEP_UP).toList();
            }
            double atSecond = sim.control.duty();
            System.out.printf(Locale.ROOT, "noisy load step, seed %d: duty %.3f before, %.3f at the 2nd batch after (%d ms later)%n",
                    seed, before, atSecond, after.get(1) - ControlLawSimulationTest.STEP_UP);
            assertTrue("seed " + seed + ": not backed off by the second batch: " + before + " -> " + atSecond, atSecond < 0.7 * before);
        }
    }
}
