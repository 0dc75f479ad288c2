package io.bgupdate.healthcheck.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;

/**
 * Judges one database from its successive observations: what a single status cannot tell (since
 * when the current update has made no progress, whether the controller faults are still growing)
 * it remembers from the earlier executions of the health check. Not thread-safe: the health check
 * calls it under its lock.
 */
final class DatabaseWatch {

    /** The current update and the items when last seen changing, and since when they are unchanged. */
    private Optional<String> update = Optional.empty();
    private long items = -1;
    private long totalItems = -1;
    private Instant unchangedSince;
    /** The fault counts last seen, and when they last grew (first seen non-zero counts as growing). */
    private Map<String, Long> faults = Map.of();
    private Instant faultsGrew;

    /** @return the log entries for the database: one summary line, then one line per problem */
    List<ResultLog.Entry> assess(Observation o, Instant now, Rules rules) {
        if (!o.update().equals(update) || o.items() != items || o.totalItems() != totalItems) {
            update = o.update();
            items = o.items();
            totalItems = o.totalItems();
            unchangedSince = now;
        }
        if (o.faults().entrySet().stream().anyMatch(e -> e.getValue() > faults.getOrDefault(e.getKey(), 0L))) {
            faultsGrew = now;
        }
        faults = o.faults();

        String db = o.database() + ": ";
        List<ResultLog.Entry> entries = new ArrayList<>();
        entries.add(new ResultLog.Entry(Result.Status.OK, db + summary(o)));
        switch (o.state()) {
            case "ABORTED" -> entries.add(critical(db + "ABORTED after repeated handler failures, until an operator resumes it"
                    + " (bgupdate:resume)" + errors(o)));
            case "DISABLED" -> entries.add(warn(db + "paused by an operator (DISABLED); bgupdate:resume runs it again"));
            default -> { }
        }
        if (o.unreachable()) {
            entries.add(critical(db + "the database cannot be reached" + errors(o)));
        } else if (!o.state().equals("ABORTED") && !o.errors().isEmpty()) {
            entries.add(warn(db + "updates cannot run" + errors(o)));
        }
        if (faultsGrew != null && Duration.between(faultsGrew, now).compareTo(rules.faultsWindow()) < 0) {
            entries.add(warn(db + "controllers are faulting (" + o.faultCount() + " faults since start, the last "
                    + ago(faultsGrew, now) + " ago): " + faults.entrySet().stream()
                            .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))));
        }
        Duration still = Duration.between(unchangedSince, now);
        if (stalled(o, rules, still)) {
            entries.add(warn(db + o.update().map(u -> "update " + u + " has made no progress for ")
                    .orElse("no batch has completed for ") + human(still) + " although not paused ("
                    + o.update().map(u -> o.items() + " items done").orElse("queued: " + String.join(", ", o.queue()))
                    + "; controller " + o.controller() + ")"));
        }
        return entries;
    }

    /**
     * Stalled: updates should run (RUNNING, or NOT_STARTED with a queue), on this host, with
     * nothing in the way that has a message of its own, yet neither the current update's items
     * nor the database's total have changed for the stall time. The status cannot tell a
     * controller that holds a batch back on purpose (waiting in {@code enter}) from a batch that
     * hangs: both count as no progress.
     */
    private static boolean stalled(Observation o, Rules rules, Duration still) {
        boolean shouldRun = o.state().equals("RUNNING") || o.state().equals("NOT_STARTED") && !o.queue().isEmpty();
        return shouldRun && (o.update().isPresent() || !o.queue().isEmpty()) && o.runsOnOtherHost().isEmpty()
                && o.errors().isEmpty() && !rules.stallAfter().isZero() && still.compareTo(rules.stallAfter()) >= 0;
    }

    private static String summary(Observation o) {
        StringBuilder s = new StringBuilder(o.state());
        o.update().ifPresent(u -> s.append(", update ").append(u).append(" (").append(o.items()).append(" items done)"));
        o.runsOnOtherHost().ifPresent(h -> s.append(", run by host ").append(h));
        return s.append(", controller ").append(o.controller()).toString();
    }

    private static String errors(Observation o) {
        return o.errors().isEmpty() ? "" : ": " + String.join("; ", o.errors());
    }

    private static ResultLog.Entry warn(String message) {
        return new ResultLog.Entry(Result.Status.WARN, message);
    }

    private static ResultLog.Entry critical(String message) {
        return new ResultLog.Entry(Result.Status.CRITICAL, message);
    }

    private static String ago(Instant then, Instant now) {
        return human(Duration.between(then, now));
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}
