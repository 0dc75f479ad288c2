package io.bgupdate.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RatesTest {

    private static final long S = 1_000_000_000L;

    @Test
    public void itemsPerSecondOverTheLastMinute() {
        Rates r = new Rates();
        assertTrue("one sample: no rate yet", r.sample("main\nu", 0, 100).isEmpty());
        assertTrue("less than a second: no rate yet", r.sample("main\nu", S / 2, 150).isEmpty());
        assertEquals(100.0, r.sample("main\nu", 2 * S, 300).getAsDouble(), 1e-9);
        // at 70 s the samples older than a minute have left: the rate since the sample at 2 s
        assertEquals((7300 - 300) / 68.0, r.sample("main\nu", 70 * S, 7300).getAsDouble(), 1e-9);
    }

    @Test
    public void startsOverWhenTheUpdateIsQueuedAgain() {
        Rates r = new Rates();
        r.sample("main\nu", 0, 5000);
        r.sample("main\nu", 2 * S, 6000);
        assertTrue(r.sample("main\nu", 3 * S, 10).isEmpty());
        assertEquals(90.0, r.sample("main\nu", 4 * S, 100).getAsDouble(), 1e-9);
    }
}
