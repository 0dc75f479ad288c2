package io.bgupdate.itests;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/** A controller that asks for a fixed duration and records every callback, in order. */
class Recorder implements BackgroundUpdateController {

    /** One callback: which, with what, when. */
    record Event(String what, String update, String database, boolean oneShot, BatchResult result, long nanos) {
    }

    final String name;
    final List<Event> events = new CopyOnWriteArrayList<>();
    volatile long desiredMillis;
    volatile OptionalInt minSize = OptionalInt.empty();
    volatile OptionalInt defaultSize = OptionalInt.empty();
    /** Makes entering take this long (0: at once); completed by a thread of the test's own. */
    volatile long enterDelayMillis;

    Recorder(String name, long desiredMillis) {
        this.name = name;
        this.desiredMillis = desiredMillis;
    }

    @Override
    public Iteration onUpdate(String update, String database, boolean oneShot) {
        events.add(new Event("onUpdate", update, database, oneShot, null, System.nanoTime()));
        return new Iteration() {
            @Override
            public CompletionStage<Long> enter() {
                long delay = enterDelayMillis;
                Supplier<Long> entered = () -> {
                    events.add(new Event("entered", update, database, oneShot, null, System.nanoTime()));
                    return desiredMillis;
                };
                return delay == 0 ? CompletableFuture.completedFuture(entered.get())
                        : CompletableFuture.supplyAsync(entered, CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS));
            }

            @Override
            public void exit(BatchResult result) {
                events.add(new Event("exit", update, database, oneShot, result, System.nanoTime()));
            }
        };
    }

    @Override
    public CompletionStage<OptionalInt> minBatchSize(String update, String database) {
        return CompletableFuture.completedFuture(minSize);
    }

    @Override
    public CompletionStage<OptionalInt> defaultBatchSize(String update, String database) {
        return CompletableFuture.completedFuture(defaultSize);
    }

    long count(String what) {
        return events.stream().filter(e -> e.what().equals(what)).count();
    }

    List<BatchResult> completedBatches() {
        return events.stream().filter(e -> e.what().equals("exit") && e.result().outcome() == BatchResult.Outcome.COMPLETED)
                .map(Event::result).toList();
    }
}
