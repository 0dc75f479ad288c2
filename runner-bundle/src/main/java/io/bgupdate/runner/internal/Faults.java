package io.bgupdate.runner.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.ControllerFault;

/** Counts a database's controller faults by cause, logging each cause the first time only. */
final class Faults {

    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    private final String databaseName;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, ControllerFault.Kind> kinds = new ConcurrentHashMap<>();

    Faults(String databaseName) {
        this.databaseName = databaseName;
    }

    /** Counts one fault; {@code cause} names the controller and what it did wrong. */
    void count(ControllerFault.Kind kind, String cause, Throwable error) {
        count(kind, cause, "the default is used for this batch", error);
    }

    /** Counts a fault of {@code exit}, which comes after the batch has run. */
    void countAfterBatch(ControllerFault.Kind kind, String cause, Throwable error) {
        count(kind, cause, "the batch had run; nothing else changes", error);
    }

    private void count(ControllerFault.Kind kind, String cause, String consequence, Throwable error) {
        kinds.putIfAbsent(cause, kind);
        if (counts.computeIfAbsent(cause, c -> new AtomicLong()).getAndIncrement() == 0) {
            LOG.warn("Database {}: controller fault, {} (logged once): {}", databaseName, consequence, cause, error);
        }
    }

    /** @return the faults by cause, sorted */
    List<ControllerFault> snapshot() {
        return counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .<ControllerFault>map(e -> new StatusRecords.Fault(kinds.get(e.getKey()), e.getKey(), e.getValue().get()))
                .toList();
    }
}
