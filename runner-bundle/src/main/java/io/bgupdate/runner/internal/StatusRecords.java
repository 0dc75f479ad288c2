package io.bgupdate.runner.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.Progress;

/** The runner's implementations of the API's status types: immutable records, never exported. */
final class StatusRecords {

    private StatusRecords() {
    }

    record Status(String databaseName, RunnerState state, String host, Optional<String> runsOn, Optional<CurrentUpdate> current,
            long totalItems, long totalBusyMillis, OptionalDouble averageItemsPerMs, List<QueuedUpdate> queue,
            ControllerInfo controller, List<ControllerFault> faults, List<String> errors) implements DatabaseStatus {
        Status {
            queue = List.copyOf(queue);
            faults = List.copyOf(faults);
            errors = List.copyOf(errors);
        }
    }

    record Current(String name, Instant started, long items, long busyMillis, long batches, int lastBatchSize, Progress progress,
            OptionalLong remaining, Optional<Duration> eta) implements CurrentUpdate {
    }

    record Queued(String name, int ordering, Optional<String> dependsOn, Progress progress, boolean hasHandler)
            implements QueuedUpdate {
    }

    record Run(String name, String databaseName, Instant started, Optional<Instant> completed, long items, long busyMillis,
            Outcome outcome) implements UpdateRun {
    }

    record Controller(String type, String bundle, long serviceId, int ranking, boolean builtIn, boolean active)
            implements ControllerInfo {
    }

    record Fault(Kind kind, String message, long count) implements ControllerFault {
    }
}
