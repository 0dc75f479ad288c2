package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.pressure.PressureProperties;
import io.bgupdate.api.pressure.PressureReporter;

/**
 * The adaptive controller bundle in Felix, on H2 and on PostgreSQL: it takes over by ranking and
 * hands back; it backs off within 2 batches of a pressure reported through the whiteboard; a
 * pressure of 1 holds the updates (no batch starts, nothing is aborted) until it drops. Batches
 * and gaps are compared with generous bounds: behaviour, not a benchmark (that is P5).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AdaptiveIT extends BgupdateTestSupport {

    static final String PID = "io.bgupdate.adaptive";
    static final String SYMBOLIC_NAME = "io.bgupdate.adaptive";
    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Only the injected signal counts: no probe, no pg activity. */
    static final Map<String, Object> REPORTER_ONLY = Map.of("probe.enabled", false, "activity.enabled", false);

    @Inject
    private CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(Felix.shell(), Felix.adaptiveController());
    }

    @Test
    public void takesOverByRankingShowsItsSignalsAndHandsBack() throws Exception {
        noSleep();
        Backfill backfill = Backfill.create(db, "items", 40_000);
        backfill.microsPerItem.set(200);
        handler("items_backfill", backfill);
        awaitMoreBatches(backfill, 3);
        assertTrue(status().controller().builtIn());

        Bundle adaptive = bundle();
        adaptive.start();
        awaitController("the adaptive controller", c -> isAdaptive(c) && c.ranking() == 150);
        awaitMoreBatches(backfill, 3);
        String shown = shell("bgupdate:adaptive");
        System.out.println("AdaptiveIT bgupdate:adaptive:\n" + shown);
        assertTrue(shown, shown.contains("io.bgupdate.adaptive (service.ranking 150)"));
        assertTrue(shown, shown.contains(DB) && shown.contains("probe"));
        assertTrue("listed among the controllers: " + shell("bgupdate:controllers"), shell("bgupdate:controllers").contains(SYMBOLIC_NAME));

        ServiceRegistration<BackgroundUpdateController> high = controller(new Recorder("high", 20), 200);
        awaitController("the ranking-200 controller", c -> c.ranking() == 200);
        high.unregister();
        awaitController("back to the adaptive controller", AdaptiveIT::isAdaptive);

        configure(Map.of("service.ranking", 300));
        awaitController("the adaptive controller ranked 300 by configuration", c -> isAdaptive(c) && c.ranking() == 300);
        adaptive.stop();
        awaitController("back to the built-in default", ControllerInfo::builtIn);
        assertFalse(updates.hasCompleted("items_backfill", DB));
        backfill.microsPerItem.set(0);
        awaitCompleted("items_backfill");
    }

    @Test
    public void backsOffWithinTwoBatchesOfAReportedPressure() throws Exception {
        AtomicReference<Double> pressure = new AtomicReference<>(0.0);
        Backfill backfill = underInjectedPressure(pressure, 300_000, 100);
        // From the floor (2 %) to the ceiling takes about 4 s at no pressure.
        Await.until("the duty cycle near 1", DEADLINE, () -> duty() >= 0.9, () -> "; " + shell("bgupdate:adaptive"));
        long before = recentGap(backfill);
        int at = backfill.calls.size();
        pressure.set(0.95); // 1.9 times the target (0.5)
        awaitMoreBatches(backfill, 3);
        List<Backfill.Call> after = List.copyOf(backfill.calls).subList(at, at + 3);
        // The batch in flight and the next may still run at the old duty; the one after must have waited.
        long gap = (after.get(2).startNanos() - after.get(1).endNanos()) / 1_000_000;
        System.out.printf(Locale.ROOT, "AdaptiveIT back-off: gap %d ms before, %d ms before the 2nd batch after the step; sizes %s%n",
                before, gap, after.stream().map(Backfill.Call::size).toList());
        assertTrue("the rest grew within 2 batches: " + before + " -> " + gap + " ms; gaps " + gaps(backfill),
                gap >= 30 && gap > 3 * before);
        pressure.set(0.0);
        Await.until("the duty cycle near 1 again after the pressure dropped", DEADLINE, () -> duty() >= 0.9,
                () -> "; " + shell("bgupdate:adaptive"));
    }

    @Test
    public void holdsWhileThePressureIsCriticalAndReleases() throws Exception {
        AtomicReference<Double> pressure = new AtomicReference<>(0.0);
        Backfill backfill = underInjectedPressure(pressure, 20_000, 200);
        awaitMoreBatches(backfill, 3);

        pressure.set(1.0);
        pauseFor(Duration.ofMillis(500)); // the batch in flight ends
        int held = backfill.calls.size();
        pauseFor(Duration.ofSeconds(2));
        assertEquals("no batch starts while the pressure is 1", held, backfill.calls.size());
        assertFalse(updates.hasCompleted("items_backfill", DB));
        String shown = shell("bgupdate:adaptive");
        assertTrue(shown, shown.contains("hold") && shown.contains("CRITICAL"));

        pressure.set(0.0);
        backfill.microsPerItem.set(0);
        awaitCompleted("items_backfill");
        assertTrue("resumed after release", backfill.calls.size() > held);
        org.junit.Assert.assertArrayEquals("no batch lost or doubled", new long[] {20_000, 20_000, 0}, Backfill.check(db, "items"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * Makes the controller hear only an injected pressure, starts it in force, and queues a back-fill.
     *
     * @return the back-fill, running
     */
    private Backfill underInjectedPressure(AtomicReference<Double> pressure, int rows, long microsPerItem) throws Exception {
        noSleep();
        configure(REPORTER_ONLY);
        reporter(pressure);
        bundle().start();
        awaitController("the adaptive controller", AdaptiveIT::isAdaptive);
        Backfill backfill = Backfill.create(db, "items", rows);
        backfill.microsPerItem.set(microsPerItem);
        handler("items_backfill", backfill);
        return backfill;
    }

    private void reporter(AtomicReference<Double> pressure) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PressureProperties.NAME, "itest");
        context.registerService(PressureReporter.class, new PressureReporter() {
            @Override
            public OptionalDouble pressure() {
                return OptionalDouble.of(pressure.get());
            }
        }, props);
    }

    private Bundle bundle() {
        for (Bundle b : context.getBundles()) {
            if (SYMBOLIC_NAME.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + SYMBOLIC_NAME + " not installed");
    }

    private static boolean isAdaptive(ControllerInfo c) {
        return !c.builtIn() && c.bundle().equals(SYMBOLIC_NAME);
    }

    /** Replaces the controller's whole configuration and waits until the service shows it. */
    private void configure(Map<String, Object> values) throws Exception {
        configAdmin.getConfiguration(PID, "?").update(new Hashtable<>(values));
        Await.until("the adaptive controller configured with " + values, DEADLINE, () -> {
            ServiceReference<?> ref = service();
            return ref == null || values.entrySet().stream().allMatch(e -> Objects.deepEquals(e.getValue(), ref.getProperty(e.getKey())));
        });
    }

    private ServiceReference<?> service() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(BackgroundUpdateController.class.getName(), "(component.name=" + PID + ")");
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private String shell(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            return result == null ? out.toString(StandardCharsets.UTF_8) : session.format(result, 0).toString();
        } catch (Exception e) {
            throw new IllegalStateException(command + ": " + e, e);
        }
    }

    /** @return the duty cycle in force on the database, as {@code bgupdate:adaptive} shows it; 0 before its first batch */
    private double duty() {
        for (String line : shell("bgupdate:adaptive").split("\\R")) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length > 2 && cells[0].equals(DB)) {
                return Double.parseDouble(cells[2]);
            }
        }
        return 0;
    }

    private void awaitMoreBatches(Backfill backfill, int more) {
        int target = backfill.calls.size() + more;
        Await.until(more + " more batches", DEADLINE, () -> backfill.calls.size() >= target, () -> "; status: " + status());
    }

    private void awaitController(String what, Predicate<ControllerInfo> condition) {
        Await.until(what, DEADLINE, () -> condition.test(status().controller()), () -> "; status: " + status());
    }

    /** @return the median gap in ms between the last 5 batches, or a large value if too few */
    private static long recentGap(Backfill backfill) {
        List<Long> g = gaps(backfill);
        if (g.size() < 4) {
            return Long.MAX_VALUE;
        }
        long[] last = g.subList(g.size() - 4, g.size()).stream().mapToLong(Long::longValue).sorted().toArray();
        return last[last.length / 2];
    }

    private static List<Long> gaps(Backfill backfill) {
        List<Backfill.Call> c = List.copyOf(backfill.calls);
        List<Long> g = new java.util.ArrayList<>();
        for (int i = Math.max(1, c.size() - 12); i < c.size(); i++) {
            g.add((c.get(i).startNanos() - c.get(i - 1).endNanos()) / 1_000_000);
        }
        return g;
    }
}
