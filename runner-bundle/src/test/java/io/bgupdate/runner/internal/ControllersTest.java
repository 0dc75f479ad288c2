package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Constants;

import io.bgupdate.api.controller.BackgroundUpdateController;

/** The choice of the controller in force: only a ranking above 0 takes over from the built-in default. */
public class ControllersTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Controllers controllers = new Controllers(new DefaultController(() -> Settings.DEFAULTS, timer), "runner");

    @After
    public void stop() {
        timer.shutdownNow();
    }

    private BackgroundUpdateController add(Object ranking) {
        BackgroundUpdateController c = (u, d, o) -> null;
        controllers.add(new TestRef(ranking == null ? Map.of() : Map.of(Constants.SERVICE_RANKING, ranking)), c);
        return c;
    }

    @Test
    public void aControllerRankedZeroOrBelowDoesNotTakeOverFromTheDefault() {
        add(0);
        add(-1);
        add(null);
        assertSame(controllers.builtIn(), controllers.active());
        assertEquals(4, controllers.all().size());
        assertEquals(true, controllers.all().get(3).active());
    }

    @Test
    public void theHighestRankingAboveZeroWinsTiesToTheFirstRegistered() {
        add(0);
        BackgroundUpdateController first = add(5);
        add(5);
        add(3);
        assertSame(first, controllers.active().controller());
        assertEquals(5, controllers.active().info().ranking());
    }

    @Test
    public void aRankingGivenAsTextCountsIfItIsAWholeNumber() {
        add(3);
        BackgroundUpdateController text = add(" 7 ");
        add("high"); // warned, counts as 0
        assertSame(text, controllers.active().controller());
        assertEquals(7, controllers.active().info().ranking());
    }
}
