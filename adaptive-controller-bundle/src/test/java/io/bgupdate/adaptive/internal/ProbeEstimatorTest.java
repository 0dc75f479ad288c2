package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The probe's filter: spikes in fewer than half the samples do not count, a rise in more than half does. */
public class ProbeEstimatorTest {

    static final AdaptiveSettings S = TestConfig.settings(java.util.Map.of("probe_target", 0.1, "probe_target_ratio", 0.0));

    @Test
    public void spikesInFewerThanHalfTheSamplesDoNotReadAsLoad() {
        ProbeEstimator p = new ProbeEstimator();
        long t = 0;
        for (int i = 0; i < 30; i++) {
            p.sample(t += 20, 1.0, true, S);
        }
        for (int i = 0; i < S.probeFilter(); i++) {
            // every other sample descheduled for 50 ms: 4 of the last 9
            p.sample(t += 20, i % 2 == 1 ? 50.0 : 1.0, false, S);
        }
        assertEquals(1.0, p.base(t), 1e-9);
        assertEquals(0.0, p.reading(t, S).pressure(), 1e-9);
    }

    @Test
    public void aRiseInMoreThanHalfTheSamplesDoes() {
        ProbeEstimator p = new ProbeEstimator();
        long t = 0;
        for (int i = 0; i < 30; i++) {
            p.sample(t += 20, 1.0, true, S);
        }
        for (int i = 0; i < S.probeFilter() / 2 + 1; i++) {
            p.sample(t += 20, 1.3, false, S);
        }
        assertEquals(3.0, p.reading(t, S).pressure(), 1e-9);
    }

    @Test
    public void theBaseIsTheLeastMedianOfIdleSamplesNotTheLeastSample() {
        ProbeEstimator p = new ProbeEstimator();
        long t = 0;
        for (int i = 0; i < 30; i++) {
            // one idle sample in 3 is unusually fast: a single sample's minimum would be 0.5
            p.sample(t += 20, i % 3 == 0 ? 0.5 : 1.0, true, S);
        }
        assertEquals(1.0, p.base(t), 1e-9);
        assertTrue(p.reading(t, S).pressure() < 1e-9);
    }
}
