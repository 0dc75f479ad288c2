package io.bgupdate.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A row of the history: one run of an update on a database, from its first batch to completion.
 *
 * @param name the update
 * @param databaseName the database
 * @param started when its first batch ran
 * @param completed when it completed; empty while it runs
 * @param items items processed
 * @param busyMillis milliseconds spent in its handler
 * @param outcome {@code RUNNING} or {@code COMPLETE}
 */
public record UpdateRun(String name, String databaseName, Instant started, Optional<Instant> completed,
        long items, long busyMillis, String outcome) {
}
