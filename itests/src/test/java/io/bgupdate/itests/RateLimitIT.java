package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

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
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * The rate-limit controller bundle in Felix: it takes over from the default controller and hands
 * back by ranking; a new rate applies while an update runs; outside a time window no batch runs;
 * an override applies only to its update. Rates are compared with generous bounds: behaviour, not
 * a benchmark (the achieved-vs-configured figure belongs in the benchmark).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RateLimitIT extends BgupdateTestSupport {

    /** The configuration PID and component name of the controller. */
    static final String PID = "io.bgupdate.ratelimit";
    /** The bundle's symbolic name, as the README documents it. */
    static final String SYMBOLIC_NAME = "io.bgupdate.ratelimit";
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(Felix.shell(), Felix.rateLimitController());
    }

    @Test
    public void takesOverFromTheDefaultAndHandsBackByRanking() throws Exception {
        noSleep();
        // Unlimited, but batches of 20 ms instead of the default's 100 ms: which controller sized a batch shows.
        Map<String, Object> config = Map.of("rate", 0.0, "duty", 1.0, "duration.max", 20L);
        configure(config);
        // At most 5 items/ms: the scenario's ~25 batches cannot finish the 40,000 rows before its end.
        Backfill backfill = Backfill.create(db, "items", 40_000);
        backfill.microsPerItem.set(200);
        handler("items_backfill", backfill);
        awaitMoreBatches(backfill, 4);
        assertTrue(status().controller().builtIn());
        List<Backfill.Call> underDefault = List.copyOf(backfill.calls);
        int defaultSize = medianSize(underDefault.subList(underDefault.size() - 3, underDefault.size()));

        Bundle rateLimit = rateLimitBundle();
        rateLimit.start();
        awaitController("the rate-limit controller", c -> isRateLimit(c, rateLimit));
        int takeover = backfill.calls.size();
        awaitConfigured(config);
        ControllerInfo info = status().controller();
        assertEquals("the bundle as the README names it", SYMBOLIC_NAME, info.bundle());
        assertEquals("the default ranking", 100, info.ranking());
        assertFalse(info.builtIn());
        awaitMoreBatches(backfill, 4);
        List<Backfill.Call> limited = List.copyOf(backfill.calls).subList(takeover + 1, takeover + 4);
        assertTrue("after the batch in flight, batches are sized for 20 ms, not 100 ms (" + defaultSize + " items): " + limited,
                limited.stream().allMatch(c -> c.size() < defaultSize / 2));
        int limitedSize = medianSize(limited);

        Recorder high = new Recorder("high", 20);
        long registered = System.nanoTime();
        ServiceRegistration<BackgroundUpdateController> highReg = controller(high, 200);
        awaitController("the ranking-200 controller", c -> c.ranking() == 200 && c.bundle().equals(context.getBundle().getSymbolicName()));
        Await.until("the ranking-200 controller entered 3 batches", DEADLINE, () -> high.count("entered") >= 3);
        long firstEntered = high.events.stream().filter(e -> e.what().equals("entered")).findFirst().orElseThrow().nanos();
        long underOld = backfill.calls.stream().filter(c -> c.startNanos() > registered && c.startNanos() < firstEntered).count();
        assertTrue("at most the batch in flight ran under the rate-limit controller: " + underOld, underOld <= 1);

        highReg.unregister();
        awaitController("back to the rate-limit controller", c -> isRateLimit(c, rateLimit) && c.ranking() == 100);
        awaitMoreBatches(backfill, 2); // the batch in flight may still be the ranking-200 controller's
        long highEntered = high.count("entered");
        awaitMoreBatches(backfill, 3);
        assertEquals("no batch under an unregistered controller", highEntered, high.count("entered"));
        assertTrue(status().controller().bundle() + " is in force", isRateLimit(status().controller(), rateLimit));

        rateLimit.stop();
        awaitController("back to the built-in default", ControllerInfo::builtIn);
        int stopped = backfill.calls.size();
        assertTrue("the stopped controller is no longer listed: " + updates.controllers(),
                updates.controllers().stream().noneMatch(c -> isRateLimit(c, rateLimit)));
        awaitMoreBatches(backfill, 4);
        List<Backfill.Call> unlimited = List.copyOf(backfill.calls).subList(stopped + 1, stopped + 4);
        assertTrue("after the batch in flight, batches are sized for 100 ms again (not " + limitedSize + " items): " + unlimited,
                unlimited.stream().allMatch(c -> c.size() > 2 * limitedSize));
        assertFalse("the back-fill was still running throughout", updates.hasCompleted("items_backfill", DB));

        backfill.microsPerItem.set(0);
        awaitCompleted("items_backfill");
        assertArrayEquals("no batch lost or doubled", new long[] {40_000, 40_000, 0}, Backfill.check(db, "items"));
        System.out.printf(Locale.ROOT, "RateLimitIT takeover: batch sizes default %d, rate-limit %s, after stop %s%n",
                defaultSize, sizes(limited), sizes(unlimited));
    }

    @Test
    public void reconfiguringTheRateWhileAnUpdateRunsChangesTheAchievedRate() throws Exception {
        noSleep();
        Map<String, Object> at2000 = Map.of("rate", 2000.0, "duty", 1.0);
        configure(at2000);
        startRateLimit();
        awaitConfigured(at2000);
        Backfill backfill = Backfill.create(db, "items", 30_000);
        backfill.microsPerItem.set(100); // at most 10,000 items/s: the bucket, not the handler, sets the pace
        handler("items_backfill", backfill);
        awaitMoreBatches(backfill, 1);
        pauseFor(Duration.ofMillis(500)); // the first batches spend the burst
        double fast = itemsPerSecond(backfill, Duration.ofMillis(2500));

        Map<String, Object> at500 = Map.of("rate", 500.0, "duty", 1.0);
        configure(at500);
        awaitConfigured(at500);
        pauseFor(Duration.ofSeconds(1)); // the batch in flight and what the bucket held under the old rate are spent
        // At most 500 tokens at the start and 500 a second after: below 670 items/s over 3 s.
        double slow = itemsPerSecond(backfill, Duration.ofSeconds(3));
        System.out.printf(Locale.ROOT, "RateLimitIT rate: %.0f items/s at rate=2000, %.0f items/s at rate=500%n", fast, slow);

        assertTrue("at rate=2000, achieved " + fast + " items/s", fast > 1000);
        assertTrue("at rate=500, achieved " + slow + " items/s", slow < 800);
        assertTrue("at rate=500 batches still run: " + slow + " items/s", slow > 100);
        assertFalse("still running at the lower rate", updates.hasCompleted("items_backfill", DB));

        Map<String, Object> unlimited = Map.of("rate", 0.0, "duty", 1.0);
        configure(unlimited);
        awaitConfigured(unlimited);
        backfill.microsPerItem.set(0);
        awaitCompleted("items_backfill");
        assertArrayEquals("no batch lost or doubled", new long[] {30_000, 30_000, 0}, Backfill.check(db, "items"));
        assertEquals("no controller fault", List.of(), status().faults());
    }

    @Test
    public void outsideItsTimeWindowNoBatchRuns() throws Exception {
        noSleep();
        LocalTime now = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> closed = Map.of("rate", 0.0, "duty", 1.0, "zone", "UTC",
                "windows", window(now.plusHours(2), now.plusHours(3)));
        configure(closed);
        startRateLimit();
        awaitConfigured(closed);
        Backfill backfill = Backfill.create(db, "items", 1000);
        backfill.microsPerItem.set(50);
        handler("items_backfill", backfill);
        awaitStatus("the update queued", s -> s.queue().stream().anyMatch(q -> q.name().equals("items_backfill")));

        pauseFor(Duration.ofMillis(1500));
        assertEquals("no handler call outside the window", List.of(), backfill.calls);
        DatabaseStatus waiting = status();
        assertTrue("queued: " + waiting, waiting.queue().stream().anyMatch(q -> q.name().equals("items_backfill")));
        assertEquals("no batch ran yet: " + waiting, RunnerState.NOT_STARTED, waiting.state());
        assertEquals(0, waiting.totalItems());
        assertEquals(PID + " is in force", rateLimitService().getProperty(Constants.SERVICE_ID), waiting.controller().serviceId());

        Map<String, Object> open = Map.of("rate", 0.0, "duty", 1.0, "zone", "UTC",
                "windows", window(now.minusHours(1), now.plusHours(1)));
        long opened = System.nanoTime();
        configure(open);
        awaitCompleted("items_backfill");
        assertTrue("every batch started after the window opened",
                backfill.calls.stream().allMatch(c -> c.startNanos() > opened));
        assertArrayEquals("every row once", new long[] {1000, 1000, 0}, Backfill.check(db, "items"));
        assertEquals("no controller fault", List.of(), status().faults());
        System.out.printf(Locale.ROOT, "RateLimitIT windows: closed %s, then open %s: %d batches%n",
                closed.get("windows"), open.get("windows"), backfill.calls.size());
    }

    @Test
    public void anOverrideAppliesOnlyToItsUpdate() throws Exception {
        noSleep();
        Map<String, Object> config = Map.of("rate", 200.0, "duty", 1.0,
                "overrides", new String[] {"update:fast_one rate=100000 duty=1"});
        configure(config);
        startRateLimit();
        awaitConfigured(config);
        Backfill slow = Backfill.create(db, "slow_items", 800);
        Backfill fast = Backfill.create(db, "fast_items", 800);
        slow.microsPerItem.set(50);
        fast.microsPerItem.set(50);
        handler("slow_one", slow, UpdateProperties.ORDERING, 0);
        handler("fast_one", fast, UpdateProperties.ORDERING, 1);

        awaitCompleted("slow_one");
        awaitCompleted("fast_one");

        double slowRate = achievedPerSecond(slow);
        double fastRate = achievedPerSecond(fast);
        System.out.printf(Locale.ROOT, "RateLimitIT override: slow_one %.0f items/s in %d ms (%d batches), fast_one %.0f items/s in %d ms (%d batches: %s)%n",
                slowRate, elapsedMillis(slow), slow.calls.size(), fastRate, elapsedMillis(fast), fast.calls.size(), sizes(fast.calls));
        // 800 items at 200/s with a burst of 200 take at least 3 s.
        assertTrue("slow_one keeps the base rate of 200/s: " + slowRate + " items/s", slowRate < 450);
        assertTrue("slow_one took " + elapsedMillis(slow) + " ms", elapsedMillis(slow) >= 2000);
        // Unthrottled, fast_one is bound by the CPU only: ~10x slow_one on a quiet machine, ~3x on a loaded one.
        assertTrue("fast_one " + fastRate + " items/s, slow_one " + slowRate, fastRate > 2 * slowRate);
        assertTrue("fast_one took " + elapsedMillis(fast) + " ms, slow_one " + elapsedMillis(slow),
                elapsedMillis(fast) * 2 < elapsedMillis(slow));
        assertArrayEquals(new long[] {800, 800, 0}, Backfill.check(db, "slow_items"));
        assertArrayEquals(new long[] {800, 800, 0}, Backfill.check(db, "fast_items"));
        assertEquals("no controller fault", List.of(), status().faults());
    }

    @Test
    public void aBadConfigurationIsRefusedAsAWholeAndUnknownKeysAreNamed() throws Exception {
        Map<String, Object> good = Map.of("rate", 2000.0, "duty", 0.5);
        configure(good);
        startRateLimit();
        awaitConfigured(good);
        awaitShown("the good configuration in force", "rate=2000/s burst=2000 duty=0.5 ");

        // as a .cfg file delivers them: text; DS alone would fail on 'abc' with a bare NumberFormatException
        configure(Map.of("rate", "500", "burst", "abc"));
        String out = awaitShown("the rejection", "Rejected   burst: 'abc' is not a number (the configuration above stays in force)");
        assertTrue("the previous configuration stays in force: " + out, out.contains("rate=2000/s burst=2000 duty=0.5 "));

        configure(Map.of("rte", "5", "duty", "0.25"));
        out = awaitShown("the unknown key", "Ignored    unknown property 'rte' (did you mean 'rate'?)");
        assertTrue("the rest is in force, rate at its default: " + out, out.contains("rate=1000/s burst=1000 duty=0.25 "));
        assertFalse(out, out.contains("Rejected"));

        Object before = configAdmin.getConfiguration(PID, "?").getProperties().get("rate");
        try {
            shell("bgupdate:ratelimit --rate -7");
            throw new AssertionError("--rate -7 accepted");
        } catch (IllegalArgumentException e) {
            assertEquals("error: rate must be 0 (no limit) or a positive number of items per second, got -7.0", e.toString());
        }
        assertEquals("the configuration unchanged", before, configAdmin.getConfiguration(PID, "?").getProperties().get("rate"));
    }

    /** @return the output of {@code bgupdate:ratelimit} once it contains {@code text} */
    private String awaitShown(String what, String text) {
        String[] last = {""};
        Await.until(what, DEADLINE, () -> (last[0] = shell("bgupdate:ratelimit")).contains(text), () -> ": " + last[0]);
        return last[0];
    }

    private String shell(String command) {
        ServiceReference<CommandProcessor> ref = context.getServiceReference(CommandProcessor.class);
        CommandProcessor processor = context.getService(ref);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), System.out, System.err)) {
            return String.valueOf(session.execute(command));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            context.ungetService(ref);
        }
    }

    // ---- the controller bundle and its configuration -------------------------------------------

    private Bundle rateLimitBundle() {
        for (Bundle b : context.getBundles()) {
            if (SYMBOLIC_NAME.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + SYMBOLIC_NAME + " installed");
    }

    private Bundle startRateLimit() throws Exception {
        Bundle b = rateLimitBundle();
        b.start();
        awaitController("the rate-limit controller", c -> isRateLimit(c, b));
        return b;
    }

    private static boolean isRateLimit(ControllerInfo c, Bundle rateLimit) {
        return !c.builtIn() && c.bundle().equals(rateLimit.getSymbolicName());
    }

    /** Replaces the controller's whole configuration. */
    private void configure(Map<String, Object> values) throws IOException {
        configAdmin.getConfiguration(PID, "?").update(new Hashtable<>(values));
    }

    /** Waits until the controller's service shows the values: DS publishes them after the component took them. */
    private void awaitConfigured(Map<String, Object> values) {
        Await.until("the rate-limit controller configured with " + describe(values), DEADLINE, () -> {
            ServiceReference<?> ref = rateLimitService();
            return ref != null && values.entrySet().stream().allMatch(e -> Objects.deepEquals(e.getValue(), ref.getProperty(e.getKey())));
        });
    }

    private ServiceReference<?> rateLimitService() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(BackgroundUpdateController.class.getName(),
                    "(component.name=" + PID + ")");
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Map<String, Object> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(v instanceof Object[] a ? Arrays.toString(a) : v).append(' '));
        return b.toString().trim();
    }

    /** @return e.g. {@code 22:05-00:05}, a window every day */
    private static String window(LocalTime start, LocalTime end) {
        return String.format(Locale.ROOT, "%02d:%02d-%02d:%02d", start.getHour(), start.getMinute(), end.getHour(), end.getMinute());
    }

    // ---- batches and rates ---------------------------------------------------------------------

    private void awaitMoreBatches(Backfill backfill, int more) {
        int target = backfill.calls.size() + more;
        Await.until(more + " more batches", DEADLINE, () -> backfill.calls.size() >= target, () -> "; status: " + status());
    }

    private void awaitController(String what, Predicate<ControllerInfo> condition) {
        Await.until(what, DEADLINE, () -> condition.test(status().controller()), () -> "; status: " + status());
    }

    /** @return the items of the batches that ended within the next {@code window}, per second */
    private static double itemsPerSecond(Backfill backfill, Duration window) throws InterruptedException {
        long from = System.nanoTime();
        pauseFor(window);
        long to = System.nanoTime();
        long items = backfill.calls.stream().filter(c -> c.endNanos() > from && c.endNanos() <= to).mapToLong(Backfill.Call::items).sum();
        return items * 1e9 / (to - from);
    }

    /** @return the items per second from the start of the first batch to the end of the last */
    private static double achievedPerSecond(Backfill backfill) {
        long items = backfill.calls.stream().mapToLong(Backfill.Call::items).sum();
        return items * 1000.0 / Math.max(1, elapsedMillis(backfill));
    }

    private static long elapsedMillis(Backfill backfill) {
        List<Backfill.Call> calls = backfill.calls;
        return (calls.get(calls.size() - 1).endNanos() - calls.get(0).startNanos()) / 1_000_000;
    }

    private static int medianSize(List<Backfill.Call> calls) {
        int[] sizes = calls.stream().mapToInt(Backfill.Call::size).sorted().toArray();
        return sizes[sizes.length / 2];
    }

    private static String sizes(List<Backfill.Call> calls) {
        return calls.stream().map(c -> Integer.toString(c.size())).toList().toString();
    }
}
