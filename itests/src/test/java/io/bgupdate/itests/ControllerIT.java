package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.api.handler.IndexUpdate;
import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.itests.bundled.BundledController;

/** Scenarios 4–6: hot swap by ranking, the callbacks' arguments and order, faulty controllers. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ControllerIT extends BgupdateTestSupport {

    static final String BUNDLED = "io.bgupdate.itests.bundled";

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(streamBundle(TinyBundles.bundle()
                .addClass(BundledController.class)
                .setHeader(Constants.BUNDLE_SYMBOLICNAME, BUNDLED)
                .setHeader(Constants.BUNDLE_ACTIVATOR, BundledController.class.getName())
                .setHeader(Constants.IMPORT_PACKAGE, "io.bgupdate.api.controller,org.osgi.framework")
                .setHeader("X-Controller-Ranking", "10")
                .build(TinyBundles.rawBuilder())).noStart());
    }

    @Test
    public void highestRankingControllerTakesOverAtTheNextBatch() throws Exception {
        noSleep();
        Backfill backfill = Backfill.create(db, "items", 200_000);
        backfill.microsPerItem.set(50);
        handler("items_backfill", backfill);
        awaitMoreBatches(backfill, 3);
        assertTrue(status().controller().builtIn());

        Bundle bundled = bundle(BUNDLED);
        bundled.start();
        awaitController("the ranking-10 bundle", c -> c.bundle().equals(BUNDLED) && c.ranking() == 10);
        awaitMoreBatches(backfill, 3);

        Recorder high = new Recorder("high", 20);
        long registered = System.nanoTime();
        ServiceRegistration<BackgroundUpdateController> highReg = controller(high, 20);
        Await.until("the ranking-20 controller entered", () -> high.count("entered") >= 3);
        long firstEntered = high.events.stream().filter(e -> e.what().equals("entered")).findFirst().orElseThrow().nanos();
        long underOld = backfill.calls.stream().filter(c -> c.startNanos() > registered && c.startNanos() < firstEntered).count();
        assertTrue("at most the batch in flight ran under the old controller: " + underOld, underOld <= 1);
        assertEquals(20, status().controller().ranking());

        highReg.unregister();
        awaitController("back to the ranking-10 bundle", c -> c.bundle().equals(BUNDLED));
        long highEntered = high.count("entered");
        awaitMoreBatches(backfill, 3);
        assertEquals("no batch under an unregistered controller", highEntered, high.count("entered"));

        bundled.stop();
        awaitController("back to the built-in default", ControllerInfo::builtIn);
        awaitMoreBatches(backfill, 3);

        Recorder first = new Recorder("first", 20);
        Recorder second = new Recorder("second", 20);
        ServiceRegistration<BackgroundUpdateController> firstReg = controller(first, 5);
        controller(second, 5);
        Await.until("the first of two equal rankings entered", () -> first.count("entered") >= 3);
        assertEquals("a tie goes to the lower service id", 0, second.count("onUpdate"));
        assertEquals(firstReg.getReference().getProperty(Constants.SERVICE_ID), status().controller().serviceId());
        List<ControllerInfo> all = updates.controllers();
        assertEquals(3, all.size());
        assertTrue(all.get(0).active());
        assertTrue(all.get(2).builtIn());

        backfill.microsPerItem.set(0);
        awaitCompleted("items_backfill");
        assertArrayEquals("no batch lost or doubled", new long[] {200_000, 200_000, 0}, Backfill.check(db, "items"));
    }

    @Test
    public void callbacksGetTheirArgumentsAndFrameEveryBatch() throws Exception {
        Recorder recorder = new Recorder("r", 20);
        recorder.enterDelayMillis = 200;
        controller(recorder, 10);
        Backfill backfill = Backfill.create(db, "items", 300);
        backfill.failNext.set(1);
        configureRunner(Map.of("retry_backoff_ms", 10L, "default_batch_size", 100));
        handler("items_backfill", backfill);
        handler("items_doubled_index", IndexUpdate.on("items", "doubled").named("items_doubled_idx").build(),
                UpdateProperties.DEPENDS_ON, "items_backfill");

        awaitCompleted("items_doubled_index");

        List<Recorder.Event> onUpdates = recorder.events.stream().filter(e -> e.what().equals("onUpdate")).toList();
        assertTrue(onUpdates.stream().filter(e -> e.update().equals("items_backfill"))
                .allMatch(e -> e.database().equals(DB) && !e.oneShot()));
        assertEquals(1, onUpdates.stream().filter(e -> e.update().equals("items_doubled_index"))
                .filter(e -> e.database().equals(DB) && e.oneShot()).count());

        List<Recorder.Event> entered = recorder.events.stream().filter(e -> e.what().equals("entered") && e.update().equals("items_backfill")).toList();
        List<Recorder.Event> exits = recorder.events.stream().filter(e -> e.what().equals("exit") && e.update().equals("items_backfill")).toList();
        assertEquals("one call of the handler per entered iteration, the failed one included", backfill.calls.size() + 1, entered.size());
        assertEquals(entered.size(), exits.size());
        BatchResult failed = exits.get(0).result();
        assertEquals(BatchResult.Outcome.FAILED, failed.outcome());
        assertTrue(failed.failure().orElseThrow().getMessage().contains("planned failure"));
        for (int k = 0; k < backfill.calls.size(); k++) {
            Backfill.Call call = backfill.calls.get(k);
            assertTrue("handler " + k + " starts after entering completes", entered.get(k + 1).nanos() <= call.startNanos());
            assertTrue("exit " + k + " comes after the handler", exits.get(k + 1).nanos() >= call.endNanos());
            assertEquals(call.items(), exits.get(k + 1).result().items());
        }
        assertTrue("the index exists", TestDatabase.hasIndex(db, "items", "items_doubled_idx"));
    }

    @Test
    public void aControllerWaitingOnAMinimalStageLearnsThatThePauseAbandonedIt() throws Exception {
        noSleep();
        Backfill backfill = Backfill.create(db, "items", 300);
        List<String> calls = new CopyOnWriteArrayList<>();
        BackgroundUpdateController waitsForever = (update, database, oneShot) -> new Iteration() {
            @Override
            public CompletionStage<Long> enter() {
                calls.add("enter");
                return new CompletableFuture<Long>().minimalCompletionStage(); // not a CompletableFuture: cancelling it reaches no one
            }

            @Override
            public void abandon() {
                calls.add("abandon");
            }

            @Override
            public void exit(BatchResult result) {
                calls.add("exit " + result.outcome());
            }
        };
        controller(waitsForever, 10);
        handler("items_backfill", backfill);
        Await.until("entered", () -> calls.contains("enter"));
        updates.pause(DB);
        Await.until("abandoned and exited", () -> calls.contains("exit ABANDONED"));
        assertEquals(List.of("enter", "abandon", "exit ABANDONED"), calls.subList(0, 3));
        assertEquals("the handler never ran", 0, backfill.calls.size());
    }

    @Test
    public void faultyControllersNeverStopTheUpdates() throws Exception {
        noSleep();
        for (Faulty.Fault fault : Faulty.Fault.values()) {
            String table = "items_" + fault.name().toLowerCase();
            Backfill backfill = Backfill.create(db, table, 300);
            ServiceRegistration<BackgroundUpdateController> reg = controller(new Faulty(fault), 100);
            handler(table, backfill);
            awaitCompleted(table);
            assertArrayEquals(fault.name(), new long[] {300, 300, 0}, Backfill.check(db, table));
            reg.unregister();
        }
        List<ControllerFault> faults = status().faults();
        assertEquals("each cause counted once by name: " + faults, Faulty.Fault.values().length, faults.size());
        assertTrue(faults.stream().allMatch(f -> f.count() >= 1));
        assertEquals("each fault of its kind: " + faults,
                Arrays.stream(Faulty.Fault.values()).map(f -> f.kind).sorted().toList(),
                faults.stream().map(ControllerFault::kind).sorted().toList());
        assertFalse(status().errors().stream().anyMatch(e -> e.contains("Faulty")));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private void awaitMoreBatches(Backfill backfill, int more) {
        int target = backfill.calls.size() + more;
        Await.until(more + " more batches", () -> backfill.calls.size() >= target);
    }

    private void awaitController(String what, java.util.function.Predicate<ControllerInfo> condition) {
        awaitStatus(what, s -> condition.test(s.controller()));
    }
}
