package io.bgupdate.itests;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.bgupdate.api.ControllerFault.Kind;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/** A controller with one fault. */
class Faulty implements BackgroundUpdateController {

    enum Fault {
        ON_UPDATE_THROWS(Kind.THREW), ON_UPDATE_NULL(Kind.INVALID_VALUE), ENTER_THROWS(Kind.THREW), ENTER_FAILS(Kind.FAILED),
        NEGATIVE_DURATION(Kind.INVALID_VALUE), NULL_DURATION(Kind.INVALID_VALUE), MIN_ZERO(Kind.INVALID_VALUE),
        MIN_NEGATIVE(Kind.INVALID_VALUE), DEFAULT_FAILS(Kind.FAILED), DEFAULT_ZERO(Kind.INVALID_VALUE), EXIT_THROWS(Kind.THREW);

        /** The kind the status reports it as. */
        final Kind kind;

        Fault(Kind kind) {
            this.kind = kind;
        }
    }

    final Fault fault;

    Faulty(Fault fault) {
        this.fault = fault;
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        switch (fault) {
            case ON_UPDATE_THROWS: throw new IllegalStateException("planned: onUpdate throws");
            case ON_UPDATE_NULL: return null;
            default:
        }
        return new Iteration() {
            @Override
            public CompletionStage<Long> enter() {
                switch (fault) {
                    case ENTER_THROWS: throw new IllegalStateException("planned: enter throws");
                    case ENTER_FAILS: return CompletableFuture.failedFuture(new IllegalStateException("planned: enter fails"));
                    case NEGATIVE_DURATION: return CompletableFuture.completedFuture(-100L);
                    case NULL_DURATION: return CompletableFuture.completedFuture(null);
                    default: return CompletableFuture.completedFuture(10L);
                }
            }

            @Override
            public void exit(BatchResult result) {
                if (fault == Fault.EXIT_THROWS) {
                    throw new IllegalStateException("planned: exit throws");
                }
            }
        };
    }

    @Override
    public CompletionStage<OptionalInt> minBatchSize(String updateName, String databaseName) {
        switch (fault) {
            case MIN_ZERO: return CompletableFuture.completedFuture(OptionalInt.of(0));
            case MIN_NEGATIVE: return CompletableFuture.completedFuture(OptionalInt.of(-5));
            default: return NOT_PROVIDED;
        }
    }

    @Override
    public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
        switch (fault) {
            case DEFAULT_FAILS: return CompletableFuture.failedFuture(new IllegalStateException("planned: defaultBatchSize fails"));
            case DEFAULT_ZERO: return CompletableFuture.completedFuture(OptionalInt.of(0));
            default: return NOT_PROVIDED;
        }
    }
}
