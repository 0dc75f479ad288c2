package io.bgupdate.healthcheck.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.bgupdate.api.DatabaseStatus;

/**
 * What the health check reads from one database's status, taken through the status types'
 * accessors in {@link #of} only, so that the rules do not depend on the shape of those types.
 *
 * @param database the database
 * @param state the runner state's name: ABORTED, DISABLED, NOT_STARTED, RUNNING or COMPLETE
 * @param runsOnOtherHost the host that runs the updates, if it is another one
 * @param update the current update, if any
 * @param items the current update's items done
 * @param totalItems items done on the database since the runner started: progress before an update
 *        is current (the status shows one only from its first committed batch)
 * @param queue the queued updates, in run order
 * @param controller the controller in force, by type and bundle
 * @param faults controller faults since start, by cause
 * @param errors what stops updates from running now
 */
record Observation(String database, String state, Optional<String> runsOnOtherHost, Optional<String> update, long items,
        long totalItems, List<String> queue, String controller, Map<String, Long> faults, List<String> errors) {

    static Observation of(DatabaseStatus s) {
        var faults = new TreeMap<String, Long>();
        s.faults().forEach(f -> faults.put(f.message(), f.count()));
        var controller = s.controller();
        return new Observation(s.databaseName(), String.valueOf(s.state()), s.runsOn().filter(h -> !h.equals(s.host())),
                s.current().map(c -> c.name()), s.current().map(c -> c.items()).orElse(0L),
                s.totalItems(), s.queue().stream().map(q -> q.name()).toList(),
                simpleName(controller.type()) + " (" + controller.bundle() + ")", faults, List.copyOf(s.errors()));
    }

    /**
     * Whether the runner could not reach the database: its status then says so among the errors
     * ("database NAME unavailable: ..." when reading the status, "database unavailable: ..." from
     * the runner's own session). The status has no field of its own for it yet.
     */
    boolean unreachable() {
        return errors.stream().anyMatch(e -> e.contains("unavailable"));
    }

    long faultCount() {
        return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
