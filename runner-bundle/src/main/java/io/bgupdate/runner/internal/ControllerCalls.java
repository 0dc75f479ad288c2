package io.bgupdate.runner.internal;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/**
 * Calls a controller's callbacks so that its faults never stop the updates: a callback that
 * throws, fails, does not answer or answers out of range is counted in {@link Faults} (logged
 * once per cause), and the caller gets "no value", for which it uses its default.
 */
final class ControllerCalls {

    static final long CALLBACK_TIMEOUT_MILLIS = 10_000;

    /** {@code defaultBatchSize} or {@code minBatchSize}. */
    interface SizeCallback {
        CompletionStage<OptionalInt> call(String updateName, String databaseName);
    }

    private final String databaseName;
    private final Controllers controllers;
    private final Faults faults;
    /** Size callbacks that did not answer in time, by controller, callback and update. */
    private final Map<String, CompletableFuture<OptionalInt>> unanswered = new ConcurrentHashMap<>();

    ControllerCalls(String databaseName, Controllers controllers, Faults faults) {
        this.databaseName = databaseName;
        this.controllers = controllers;
        this.faults = faults;
    }

    /** @return the controller's iteration, or the built-in default's if it has none to give */
    Iteration onUpdate(Controllers.Chosen controller, String updateName, boolean oneShot) {
        if (controller != controllers.builtIn()) {
            try {
                Iteration iteration = controller.controller().onUpdate(updateName, databaseName, oneShot);
                if (iteration != null) {
                    return iteration;
                }
                faults.count(ControllerFault.Kind.INVALID_VALUE, describe(controller) + ": onUpdate returned null", null);
            } catch (Throwable e) { // a plug-in: a bundle updated mid-call throws LinkageErrors
                faults.count(ControllerFault.Kind.THREW, describe(controller) + ": onUpdate threw " + e.getClass().getSimpleName(), e);
            }
        }
        return controllers.builtIn().controller().onUpdate(updateName, databaseName, oneShot);
    }

    /** @return the entering stage as a future, or empty if {@code enter} threw */
    Optional<CompletableFuture<Long>> enter(Controllers.Chosen controller, Iteration iteration) {
        try {
            CompletionStage<Long> stage = iteration.enter();
            if (stage == null) {
                faults.count(ControllerFault.Kind.INVALID_VALUE, describe(controller) + ": enter returned null instead of a stage", null);
                return Optional.empty();
            }
            return Optional.of(stage.toCompletableFuture());
        } catch (Throwable e) {
            faults.count(ControllerFault.Kind.THREW, describe(controller) + ": enter threw " + e.getClass().getSimpleName(), e);
            return Optional.empty();
        }
    }

    /** @return the desired duration a completed entering yielded, or empty if it failed or is out of range */
    Optional<Long> desiredMillis(Controllers.Chosen controller, CompletableFuture<Long> entered) {
        try {
            Long millis = entered.getNow(null);
            if (millis == null || millis < 0) {
                faults.count(ControllerFault.Kind.INVALID_VALUE, describe(controller) + ": enter yielded a duration of " + millis + " ms", null);
                return Optional.empty();
            }
            return Optional.of(millis);
        } catch (Throwable e) {
            faults.count(ControllerFault.Kind.FAILED, describe(controller) + ": enter failed with " + rootCause(e).getClass().getSimpleName(), rootCause(e));
            return Optional.empty();
        }
    }

    /**
     * Asks a size callback, waiting at most {@value #CALLBACK_TIMEOUT_MILLIS} ms. A callback that
     * did not answer in time is not asked again for that update until its answer comes: the
     * batches meanwhile use {@code otherwise}, without waiting again.
     *
     * @return the batch size the callback gives, or {@code otherwise} if it gives none or one below 1
     */
    int size(Controllers.Chosen controller, String callback, SizeCallback call, String updateName, int otherwise) {
        String cause = describe(controller) + ": " + callback;
        String key = controller.info().serviceId() + " " + callback + " " + updateName;
        CompletableFuture<OptionalInt> answer = unanswered.remove(key);
        try {
            if (answer == null) {
                CompletionStage<OptionalInt> stage = call.call(updateName, databaseName);
                if (stage == null) {
                    faults.count(ControllerFault.Kind.INVALID_VALUE, cause + " returned null instead of a stage", null);
                    return otherwise;
                }
                answer = stage.toCompletableFuture();
            } else if (!answer.isDone()) {
                unanswered.put(key, answer); // still waited for, by no one
                return otherwise;
            }
            OptionalInt size = answer.get(CALLBACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (size == null) {
                faults.count(ControllerFault.Kind.INVALID_VALUE, cause + " returned null", null);
            } else if (size.isPresent() && size.getAsInt() < 1) {
                faults.count(ControllerFault.Kind.INVALID_VALUE, cause + " returned " + size.getAsInt(), null);
            } else {
                return size.orElse(otherwise);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            unanswered.put(key, answer);
            faults.count(ControllerFault.Kind.TIMED_OUT,
                    cause + " did not answer within " + CALLBACK_TIMEOUT_MILLIS + " ms (not asked again until it answers)", null);
        } catch (Throwable e) {
            faults.count(e instanceof ExecutionException ? ControllerFault.Kind.FAILED : ControllerFault.Kind.THREW,
                    cause + " failed with " + rootCause(e).getClass().getSimpleName(), rootCause(e));
        }
        return otherwise;
    }

    /** Tells the iteration that the runner stopped waiting for its entering stage. */
    void abandon(Controllers.Chosen controller, Iteration iteration) {
        try {
            iteration.abandon();
        } catch (Throwable e) {
            faults.count(ControllerFault.Kind.THREW, describe(controller) + ": abandon threw " + e.getClass().getSimpleName(), e);
        }
    }

    void exit(Controllers.Chosen controller, Iteration iteration, BatchResult result) {
        try {
            iteration.exit(result);
        } catch (Throwable e) {
            faults.countAfterBatch(ControllerFault.Kind.THREW, describe(controller) + ": exit threw " + e.getClass().getSimpleName(), e);
        }
    }

    private static String describe(Controllers.Chosen controller) {
        return "controller " + controller.info().type() + " (service " + controller.info().serviceId() + ")";
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
