package io.bgupdate.jmx.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.jmx.BackgroundUpdatesMXBean;

/** One database's MXBean: every attribute from a fresh status, through the status types' accessors. */
final class DatabaseMXBean implements BackgroundUpdatesMXBean {

    private final BackgroundUpdates updates;
    private final String database;

    DatabaseMXBean(BackgroundUpdates updates, String database) {
        this.updates = updates;
        this.database = database;
    }

    private DatabaseStatus status() {
        return updates.status(database);
    }

    @Override
    public String getDatabaseName() {
        return database;
    }

    @Override
    public String getState() {
        return String.valueOf(status().state());
    }

    @Override
    public String getHost() {
        return status().host();
    }

    @Override
    public String getRunsOn() {
        return status().runsOn().orElse("");
    }

    @Override
    public String getCurrentUpdate() {
        return status().current().map(c -> c.name()).orElse("");
    }

    @Override
    public long getItemsDone() {
        return status().current().map(c -> c.items()).orElse(0L);
    }

    @Override
    public long getItemsRemaining() {
        return status().current().map(c -> c.remaining().orElse(-1)).orElse(-1L);
    }

    @Override
    public double getPercentDone() {
        return status().current().map(c -> {
            var remaining = c.remaining();
            if (remaining.isEmpty()) {
                return -1.0;
            }
            long total = c.items() + remaining.getAsLong();
            return total == 0 ? 100.0 : 100.0 * c.items() / total;
        }).orElse(-1.0);
    }

    @Override
    public double getItemsPerSecond() {
        var perMs = status().averageItemsPerMs();
        return perMs.isPresent() ? perMs.getAsDouble() * 1000 : -1;
    }

    @Override
    public long getEtaSeconds() {
        return status().current().flatMap(c -> c.eta()).map(d -> d.toSeconds()).orElse(-1L);
    }

    @Override
    public long getTotalItems() {
        return status().totalItems();
    }

    @Override
    public long getTotalBusyMillis() {
        return status().totalBusyMillis();
    }

    @Override
    public List<String> getQueue() {
        return status().queue().stream().map(q -> q.name()).toList();
    }

    @Override
    public String getController() {
        var c = status().controller();
        return c.type() + " (bundle " + c.bundle() + ", service " + c.serviceId() + ", ranking " + c.ranking()
                + (c.builtIn() ? ", built-in" : "") + ")";
    }

    @Override
    public Map<String, Long> getFaults() {
        var faults = new TreeMap<String, Long>();
        status().faults().forEach(f -> faults.put(f.message(), f.count()));
        return faults;
    }

    @Override
    public long getFaultCount() {
        return getFaults().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public List<String> getErrors() {
        return List.copyOf(status().errors());
    }

    @Override
    public void pause() {
        updates.pause(database);
    }

    @Override
    public void resume() {
        updates.resume(database);
    }

    @Override
    public void startJob(String updateName) {
        updates.startJob(updateName, database);
    }
}
