package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LatencyBaseTest {

    @Test
    public void theBaseIsTheWindowedMinimumAndAgesOut() {
        LatencyBase base = new LatencyBase(1000, 3);
        assertTrue(Double.isNaN(base.base(0)));
        base.offer(100, 2.0);
        base.offer(500, 1.0);
        base.offer(1500, 3.0);
        assertEquals(1.0, base.base(1500), 0);
        assertEquals("bucket 0 still in the window of 3", 1.0, base.base(2999), 0);
        assertEquals("bucket 0 aged out: the base is re-learned", 3.0, base.base(3000), 0);
        assertTrue("all aged out", Double.isNaN(base.base(10_000)));
    }
}
