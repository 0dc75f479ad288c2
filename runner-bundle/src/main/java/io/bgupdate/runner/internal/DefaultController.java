package io.bgupdate.runner.internal;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.Iteration;

/**
 * The controller in force when none is registered, as Synapse's default: entering sleeps
 * {@code sleep_duration_ms} before every batch (the first included) when sleep is enabled, then
 * asks for {@code background_update_duration_ms}; batch sizes come from the configuration.
 */
final class DefaultController implements BackgroundUpdateController {

    private final Supplier<Settings> settings;
    private final ScheduledExecutorService timer;

    DefaultController(Supplier<Settings> settings, ScheduledExecutorService timer) {
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        Settings s = settings.get();
        return () -> {
            if (!s.sleepEnabled() || s.sleepMillis() == 0) {
                return CompletableFuture.completedFuture(s.durationMillis());
            }
            CompletableFuture<Long> slept = new CompletableFuture<>();
            var wakeUp = timer.schedule(() -> slept.complete(s.durationMillis()), s.sleepMillis(), TimeUnit.MILLISECONDS);
            slept.whenComplete((v, e) -> wakeUp.cancel(false));
            return slept;
        };
    }

    @Override
    public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
        return CompletableFuture.completedFuture(OptionalInt.of(settings.get().defaultBatchSize()));
    }

    @Override
    public CompletionStage<OptionalInt> minBatchSize(String updateName, String databaseName) {
        return CompletableFuture.completedFuture(OptionalInt.of(settings.get().minBatchSize()));
    }
}
