package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class SettingsTest {

    @Test
    public void defaultsAreSynapses() {
        assertEquals(new Settings(100, true, 1000, 1, 100, 1000), Settings.DEFAULTS);
        assertEquals(new BatchSizing.Choice(BatchSizing.Kind.SYNAPSE, 0), Settings.DEFAULTS.sizing());
    }

    @Test
    public void outOfRangeValuesAreRefusedWithTheKeyNamed() {
        assertEquals("min_batch_size must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> new Settings(100, true, 1000, 0, 100, 1000)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Settings(-1, true, 1000, 1, 100, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Settings(100, true, -5, 1, 100, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Settings(100, true, 1000, 1, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new Settings(100, true, 1000, 1, 100, 0));
    }
}
