package io.bgupdate.ratelimit.internal;

import static io.bgupdate.ratelimit.internal.Configs.config;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

/** The configuration as a whole: defaults, validation, overrides and their precedence. */
public class RateLimitSettingsTest {

    @Test
    public void defaultsAreSynapseLikeWithAThousandItemsPerSecond() {
        RateLimitSettings s = RateLimitSettings.from(config());
        Limits l = s.base();
        assertEquals(100, s.ranking());
        assertEquals(1000, l.rate(), 0);
        assertEquals(1000, l.capacity());
        assertEquals(1.0 / 11, l.duty(), 1e-12);
        assertTrue(l.windows().always());
        assertEquals(ZoneId.systemDefault(), l.zone());
        assertEquals(100, l.firstBatch());
        assertEquals(1, l.batchMin());
        assertEquals(100, l.durationMax());
        assertEquals(l, s.limitsFor("any", "db"));
        assertEquals(Limits.DEFAULTS, l);
    }

    @Test
    public void badValuesAreRejectedInOneLineNamingTheProperty() {
        rejects(config("rate", -1.0), "rate must be 0 (no limit) or a positive number of items per second, got -1.0");
        rejects(config("rate", Double.NaN), "rate must be");
        rejects(config("burst", -5L), "burst must be");
        rejects(config("duty", 0.0), "duty must be in (0, 1], got 0.0");
        rejects(config("duty", 1.5), "duty must be in (0, 1], got 1.5");
        rejects(config("windows", "Mon-Fri 22-06"), "windows: malformed window 'Mon-Fri 22-06'");
        rejects(config("zone", "Mars/Olympus"), "zone: unknown time zone 'Mars/Olympus'");
        rejects(config("batch.default", 0), "batch.default must be at least 1");
        rejects(config("batch.min", 0), "batch.min must be at least 1");
        rejects(config("duration.max", 0L), "duration.max must be at least 1 ms");
        rejects(config("overrides", new String[] {"update:x rate=-3"}), "override 'update:x rate=-3': rate must be");
        rejects(config("overrides", new String[] {"rate=3"}), "no selector");
        rejects(config("overrides", new String[] {"update:x"}), "no setting");
        rejects(config("overrides", new String[] {"update:x speed=3"}), "unknown key 'speed'");
        rejects(config("overrides", new String[] {"update:x rate=3 rate=4"}), "'rate' set twice");
        rejects(config("overrides", new String[] {"update:x windows=\"Sat 00:00-24:00"}), "unbalanced double quote");
        rejects(config("overrides", new String[] {"update:x rate=3", "update:x duty=1"}), "a second entry for update:x");
    }

    private static void rejects(RateLimitConfiguration config, String message) {
        try {
            RateLimitSettings.from(config);
            fail("accepted, expected: " + message);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        }
    }

    @Test
    public void anOverrideAppliesOnlyToItsUpdate() {
        RateLimitSettings s = RateLimitSettings.from(config("overrides", new String[] {"update:events_purge rate=5000 duty=0.5"}));
        Limits purge = s.limitsFor("events_purge", "main");
        assertEquals(5000, purge.rate(), 0);
        assertEquals(0.5, purge.duty(), 0);
        assertEquals(100, purge.durationMax());
        assertEquals(s.base(), s.limitsFor("populate_stats", "main"));
    }

    @Test
    public void theMostSpecificOverrideWinsWhateverTheOrderWritten() {
        RateLimitSettings s = RateLimitSettings.from(config("rate", 100.0, "overrides", new String[] {
            "database:main update:purge rate=3",
            "update:purge rate=2 burst=50",
            "database:main rate=1 duty=0.25 windows=\"Sat-Sun 00:00-24:00\" zone=UTC",
        }));
        Limits both = s.limitsFor("purge", "main");
        assertEquals(3, both.rate(), 0);
        assertEquals(50, both.burst());
        assertEquals(0.25, both.duty(), 0);
        assertEquals("Sat-Sun 00:00-24:00", both.windows().toString());
        assertEquals(ZoneId.of("UTC"), both.zone());
        assertEquals(2, s.limitsFor("purge", "archive").rate(), 0);
        assertEquals(1, s.limitsFor("backfill", "main").rate(), 0);
        assertEquals(100, s.limitsFor("backfill", "archive").rate(), 0);
    }

    @Test
    public void overrideEntriesParseSelectorsAndQuotedValues() {
        LimitOverride o = LimitOverride.parse("  database:archive   update:x windows=\"Mon-Fri 22:00-06:00, Sat 00:00-24:00\" batch.min=10 ");
        assertEquals("archive", o.database());
        assertEquals("x", o.update());
        assertEquals(Map.of("windows", "Mon-Fri 22:00-06:00, Sat 00:00-24:00", "batch.min", "10"), o.settings());
        assertEquals("database:archive update:x", o.selector());
        assertEquals(3, o.specificity());
        assertEquals("update:x", LimitOverride.parseSelector("update:x"));
        assertNull(LimitOverride.parse("update:x rate=1").database());
    }

    @Test
    public void blankOverrideEntriesAreIgnored() {
        assertTrue(RateLimitSettings.from(config("overrides", new String[] {"", " "})).overrides().isEmpty());
    }

    @Test
    public void theFirstBatchFitsAFullBucketAndIsAtLeastTheMinimum() {
        assertEquals(40, Limits.DEFAULTS.with("rate", "40").firstBatch());
        assertEquals(100, Limits.DEFAULTS.with("rate", "0").firstBatch());
        assertEquals(250, Limits.DEFAULTS.with("batch.min", "250").with("rate", "0").firstBatch());
        assertEquals(100, Limits.DEFAULTS.with("rate", "40").with("burst", "500").firstBatch());
    }

    @Test
    public void typedValuesHaveTheTypeOfTheirProperty() {
        assertEquals(500.0, Limits.typedValue("rate", "500"));
        assertEquals(7L, Limits.typedValue("burst", "7"));
        assertEquals(3, Limits.typedValue("batch.min", "3"));
        assertEquals("Sat 00:00-24:00", Limits.typedValue("windows", " Sat 00:00-24:00 "));
        try {
            Limits.typedValue("duty", "lots");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("duty: 'lots' is not a number", e.getMessage());
        }
    }

    /** A definition with every type a configuration may have. */
    @interface Typed {
        boolean sleep_enabled() default true;
        int batch__size() default 1;
        long millis() default 1;
        double share() default 1;
        String name() default "";
        String[] names() default {};
    }

    private static final ConfigurationCheck TYPED = new ConfigurationCheck(Typed.class);

    @Test
    public void rawValuesAreCheckedAgainstTheTypeOfTheirProperty() {
        assertEquals(Set.of("sleep.enabled", "batch_size", "millis", "share", "name", "names"), TYPED.keys());
        assertEquals(List.of(), TYPED.check(Map.of("sleep.enabled", "TRUE", "batch_size", "12", "millis", 5, "share", "0.5",
                "name", 3, "names", List.of("a", "b"))));
        assertEquals(List.of(), TYPED.check(Map.of("sleep.enabled", false, "batch_size", 12L, "millis", 5.0, "share", 2,
                "names", "one", "service.pid", "p")));
        refused(Map.of("sleep.enabled", "maybe"), "sleep.enabled: 'maybe' is not true or false");
        refused(Map.of("sleep.enabled", 1), "sleep.enabled: '1' is not true or false");
        refused(Map.of("batch_size", "abc"), "batch_size: 'abc' is not a number");
        refused(Map.of("millis", 2.5), "millis: '2.5' is not a whole number");
        refused(Map.of("millis", "1e3"), "millis: '1e3' is not a whole number (or out of range)");
        refused(Map.of("batch_size", new long[] {1, 2}), "batch_size: '[1, 2]' is a list, expected one value");
        refused(Map.of("share", new String[] {"x"}), "share: 'x' is not a number");
        assertEquals(List.of(), TYPED.check(Map.of("share", new String[] {"0.5"})));
    }

    private static void refused(Map<String, ?> raw, String message) {
        try {
            TYPED.check(raw);
            fail("accepted " + raw + ", expected: " + message);
        } catch (IllegalArgumentException e) {
            assertEquals(message, e.getMessage());
        }
    }

    @Test
    public void theRateLimitPropertiesAreTheConfigurationsMethods() {
        assertEquals(Set.of("service.ranking", "rate", "burst", "duty", "windows", "zone", "batch.default", "batch.min",
                "duration.max", "overrides"), new ConfigurationCheck(RateLimitConfiguration.class).keys());
    }
}
