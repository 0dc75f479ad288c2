package io.bgupdate.healthcheck.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.Test;

public class RulesTest {

    private static HealthCheckConfig config(long stall, long window) {
        return new HealthCheckConfig() {
            @Override public Class<? extends Annotation> annotationType() { return HealthCheckConfig.class; }
            @Override public String name() { return "n"; }
            @Override public String mbean_name() { return ""; }
            @Override public String[] tags() { return new String[0]; }
            @Override public long stall__seconds() { return stall; }
            @Override public long faults__window__seconds() { return window; }
        };
    }

    @Test
    public void validValues() {
        assertEquals(new Rules(Duration.ofSeconds(0), Duration.ofSeconds(1)), Rules.of(config(0, 1)));
    }

    @Test
    public void badValuesAreOneLineErrors() {
        assertEquals("stall_seconds must be 0 or more, not -1", assertThrows(IllegalArgumentException.class, () -> Rules.of(config(-1, 1))).getMessage());
        assertEquals("faults_window_seconds must be 1 or more, not 0", assertThrows(IllegalArgumentException.class, () -> Rules.of(config(1, 0))).getMessage());
    }
}
