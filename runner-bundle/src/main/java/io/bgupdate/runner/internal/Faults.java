package io.bgupdate.runner.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts a database's controller faults by cause, logging each cause the first time only. */
final class Faults {

    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private final String databaseName;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    Faults(String databaseName) {
        this.databaseName = databaseName;
    }

    /** Counts one fault; {@code cause} names the controller and what it did wrong. */
    void count(String cause, Throwable error) {
        count(cause, "the default is used for this batch", error);
    }

    /** Counts a fault of {@code exit}, which comes after the batch has run. */
    void countAfterBatch(String cause, Throwable error) {
        count(cause, "the batch had run; nothing else changes", error);
    }

    private void count(String cause, String consequence, Throwable error) {
        if (counts.computeIfAbsent(cause, c -> new AtomicLong()).getAndIncrement() == 0) {
            LOG.warn("Database {}: controller fault, {} (logged once): {}", databaseName, consequence, cause, error);
        }
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
