package io.bgupdate.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The status of one database's background updates at one moment.
 *
 * @param databaseName the database
 * @param state the state of its updates, the same on every host sharing the database
 * @param host the name of this host (framework property {@code bgupdate.host.id}, by default
 *        host name and process id)
 * @param runsOn the host that runs the database's updates: this one, or another sharing the
 *        database (PostgreSQL); empty while none is known
 * @param current the update being run, if any: once chosen, an update stays current until it completes
 * @param totalItems items processed on this database since the runner started
 * @param totalBusyMillis milliseconds spent in handlers on this database since the runner started
 * @param averageItemsPerMs the current update's averaged items per millisecond, as the batch sizing uses it
 * @param queue the queued updates, in the order they run
 * @param controller the controller in force for the next batch
 * @param faults controller faults since start, by cause, such as
 *        {@code "minBatchSize returned 0"}; each cause is logged once
 * @param errors what stops updates from running now: a dependency cycle, a queued update
 *        without a handler, the last handler failure
 */
public record DatabaseStatus(
        String databaseName,
        RunnerState state,
        String host,
        Optional<String> runsOn,
        Optional<CurrentUpdate> current,
        long totalItems,
        long totalBusyMillis,
        OptionalDouble averageItemsPerMs,
        List<QueuedUpdate> queue,
        ControllerInfo controller,
        Map<String, Long> faults,
        List<String> errors) {
}
