package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class AdaptiveCommandTest {

    @Test
    public void showsTheLawPerDatabaseAndEverySignal() {
        AdaptiveSettings s = TestConfig.defaults();
        DatabaseControl d = new DatabaseControl("main", s.gains());
        d.step(0, List.of(Reading.of("probe", "1.00 ms (base 0.50, +0.50, target +0.20)", 2.5),
                Reading.failing("pg activity", "not PostgreSQL"), Reading.critical("reporter web", "pressure 1.00")), s);
        String shown = AdaptiveCommand.show(new AdaptiveController.Status(s, "duty.min: 0.0 is not in (0, duty.max]",
                List.of(d.view(0, s))));
        assertTrue(shown, shown.startsWith("Controller io.bgupdate.adaptive (service.ranking 150)"));
        assertTrue(shown, shown.contains("Rejected   duty.min: 0.0 is not in (0, duty.max] (the configuration above stays in force)"));
        assertTrue(shown, shown.matches("(?s).*\\nmain +hold +0\\.020 +10 ms +- +reporter web +CRITICAL +waiting: hold: reporter web is critical\\n.*"));
        assertTrue(shown, shown.matches("(?s).*\\nprobe +2\\.50 +1\\.00 ms \\(base 0\\.50.*ok\\n.*"));
        assertTrue(shown, shown.matches("(?s).*\\npg activity +- +- +not PostgreSQL\\n.*"));
    }

    @Test
    public void beforeAnyBatchItSaysSo() {
        String shown = AdaptiveCommand.show(new AdaptiveController.Status(TestConfig.defaults(), null, List.of()));
        assertTrue(shown, shown.endsWith("No batch has asked this controller yet."));
    }

    @Test
    public void anArgumentIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaptiveCommand(null).adaptive("--rate"));
        assertEquals(1, e.getMessage().lines().count());
    }
}
