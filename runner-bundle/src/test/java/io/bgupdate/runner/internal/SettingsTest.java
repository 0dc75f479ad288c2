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

    @Test
    public void textFromACfgFileIsReadAndErrorsNameTheKeyAndTheValue() {
        assertEquals(new Settings(50, false, 1000, 5, 100, 1000),
                Settings.of(java.util.Map.of("background_update_duration_ms", " 50", "sleep_enabled", "FALSE", "min_batch_size", "5")));
        assertEquals("min_batch_size must be a whole number, not 'abc'",
                assertThrows(IllegalArgumentException.class, () -> Settings.of(java.util.Map.of("min_batch_size", "abc"))).getMessage());
        assertEquals("sleep_enabled must be true or false, not 'maybe'",
                assertThrows(IllegalArgumentException.class, () -> Settings.of(java.util.Map.of("sleep_enabled", "maybe"))).getMessage());
        assertEquals("default_batch_size must be at most 2147483647, not 9999999999", assertThrows(IllegalArgumentException.class,
                () -> Settings.of(java.util.Map.of("default_batch_size", 9_999_999_999L))).getMessage());
    }

    @Test
    public void unknownKeysAreFoundButNotTheFrameworks() {
        assertEquals(java.util.List.of("min_batch_sise", "rte"), Settings.unknownKeys(java.util.Map.of("min_batch_sise", 5, "rte", "5",
                "min_batch_size", 5, "service.pid", "x", "component.name", "y", "felix.fileinstall.filename", "z", "dataSources.target", "(a=b)")));
    }
}
