package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.junit.Test;

public class AdaptiveSettingsTest {

    @Test
    public void theDefaultsAreValid() {
        AdaptiveSettings s = TestConfig.defaults();
        assertEquals(AdaptiveController.DEFAULT_RANKING, s.ranking());
        assertEquals(s, AdaptiveSettings.DEFAULTS);
        assertEquals(0.02, s.gains().dutyMin(), 0);
    }

    @Test
    public void badValuesAreRejectedWithOneLine() {
        Map<Map<String, Object>, String> bad = Map.ofEntries(
                Map.entry(Map.of("duty_min", 0.0), "duty.min"),
                Map.entry(Map.of("duty_min", 0.5, "duty_max", 0.4), "duty.min"),
                Map.entry(Map.of("duty_max", 1.5), "duty.max"),
                Map.entry(Map.of("gain_up", -1.0), "gain.up"),
                Map.entry(Map.of("duration_min", 50L, "duration_max", 10L), "duration.max"),
                Map.entry(Map.of("probe_query", " "), "probe.query"),
                Map.entry(Map.of("probe_window", 5L), "probe.window"),
                Map.entry(Map.of("probe_filter", 0), "probe.filter"),
                Map.entry(Map.of("active_start", 10.0, "active_target", 5.0), "active.start/active.target"),
                Map.entry(Map.of("pressure_target", 0.0), "pressure.target"));
        bad.forEach((values, name) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestConfig.settings(values));
            assertTrue(e.getMessage(), e.getMessage().startsWith(name));
            assertEquals(1, e.getMessage().lines().count());
        });
    }

    @Test
    public void aBandRisesFromStartToTargetAndBeyond() {
        AdaptiveSettings.Band b = new AdaptiveSettings.Band(4, 16);
        assertEquals(0, b.pressure(2), 0);
        assertEquals(0.5, b.pressure(10), 1e-9);
        assertEquals(1, b.pressure(16), 1e-9);
        assertEquals(2, b.pressure(28), 1e-9);
        assertTrue(Double.isNaN(new AdaptiveSettings.Band(0, 0).pressure(100)));
    }

    @Test
    public void theProbeTargetIsTheLargerOfAbsoluteAndRelative() {
        AdaptiveSettings s = TestConfig.settings(Map.of("probe_target", 0.5, "probe_target_ratio", 0.2));
        assertEquals(0.5, s.probeTarget(1.0), 1e-9);
        assertEquals(2.0, s.probeTarget(10.0), 1e-9);
    }
}
