package io.bgupdate.runner.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * The whiteboard of {@link UpdateHandler} services. Where two handlers claim one update on one
 * database, the higher-ranked service wins.
 */
final class Handlers {

    private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

    /**
     * A handler with the queue position its service properties give.
     *
     * @param maxBatchSize {@link UpdateProperties#MAX_BATCH_SIZE}, 0 for none
     */
    record Registered(String name, UpdateHandler handler, int ordering, Optional<String> dependsOn, ServiceReference<?> ref,
            int maxBatchSize) {
    }

    private final Map<ServiceReference<?>, Registered> registered = new ConcurrentHashMap<>();

    void add(ServiceReference<?> ref, UpdateHandler handler) {
        Optional<String> name = text(ref, UpdateProperties.NAME);
        if (name.isEmpty()) {
            LOG.warn("Ignoring update handler {} of bundle {}: it has no {} property", handler.getClass().getName(),
                    ref.getBundle().getSymbolicName(), UpdateProperties.NAME);
            return;
        }
        Object ordering = ref.getProperty(UpdateProperties.ORDERING);
        int order;
        try {
            order = ordering == null ? 0 : Integer.parseInt(ordering.toString().trim());
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring update handler {}: {} is not a whole number: {}", name.get(), UpdateProperties.ORDERING, ordering);
            return;
        }
        Optional<String> max = text(ref, UpdateProperties.MAX_BATCH_SIZE);
        int maxBatchSize = max.map(Handlers::positive).orElse(0);
        if (maxBatchSize < 0) {
            LOG.warn("Ignoring update handler {}: {} is not a whole number of at least 1: {}", name.get(),
                    UpdateProperties.MAX_BATCH_SIZE, max.get());
            return;
        }
        registered.put(ref, new Registered(name.get(), handler, order, text(ref, UpdateProperties.DEPENDS_ON), ref, maxBatchSize));
    }

    void remove(ServiceReference<?> ref) {
        registered.remove(ref);
    }

    /** @return the handlers for a database by update name */
    Map<String, Registered> forDatabase(String databaseName) {
        Map<String, Registered> result = new HashMap<>();
        for (Registered r : registered.values()) {
            Optional<String> db = text(r.ref(), UpdateProperties.DATABASE);
            if (db.isEmpty() || db.get().equals(databaseName)) {
                result.merge(r.name(), r, (a, b) -> a.ref().compareTo(b.ref()) >= 0 ? a : b);
            }
        }
        return result;
    }

    /** @return the whole number of at least 1, else -1 */
    private static int positive(String value) {
        try {
            int n = Integer.parseInt(value);
            return n >= 1 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<String> text(ServiceReference<?> ref, String key) {
        Object v = ref.getProperty(key);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().trim());
    }
}
