package io.bgupdate.benchmarks;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/**
 * A controller that never waits and always asks for the same batch duration: the unthrottled
 * runner of the overhead measure, and the fixed target of the tracking measure. Counts what the
 * runner does with its iterations, so that a scenario can check that every entered iteration was
 * exited exactly once.
 */
final class FixedController implements BackgroundUpdateController {

    final String tag;
    private final long targetMillis;
    private final Probe probe;
    private final OptionalInt defaultBatch;
    final AtomicLong entered = new AtomicLong();
    final AtomicLong exited = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** The duration the runner reported for its first completed batch under this controller, -1 before. */
    final AtomicLong firstReportedMillis = new AtomicLong(-1);

    FixedController(String tag, long targetMillis, Probe probe) {
        this(tag, targetMillis, probe, OptionalInt.empty());
    }

    FixedController(String tag, long targetMillis, Probe probe, OptionalInt defaultBatch) {
        this.tag = tag;
        this.targetMillis = targetMillis;
        this.probe = probe;
        this.defaultBatch = defaultBatch;
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        return new Iteration() {
            @Override
            public CompletionStage<Long> enter() {
                entered.incrementAndGet();
                probe.entered(tag, targetMillis);
                return CompletableFuture.completedFuture(targetMillis);
            }

            @Override
            public void exit(BatchResult result) {
                exited.incrementAndGet();
                switch (result.outcome()) {
                    case COMPLETED -> {
                        completed.incrementAndGet();
                        firstReportedMillis.compareAndSet(-1, result.durationMillis());
                    }
                    case ABANDONED -> {
                        abandoned.incrementAndGet();
                        probe.abandoned(tag);
                    }
                    case FAILED -> failed.incrementAndGet();
                }
            }
        };
    }

    @Override
    public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
        return defaultBatch.isPresent() ? CompletableFuture.completedFuture(defaultBatch) : NOT_PROVIDED;
    }
}
