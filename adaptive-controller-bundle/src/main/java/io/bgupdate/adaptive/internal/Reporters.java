package io.bgupdate.adaptive.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.bgupdate.api.pressure.PressureProperties;
import io.bgupdate.api.pressure.PressureReporter;

/**
 * The {@link PressureReporter} whiteboard: every registered reporter, read on the control thread.
 * A pressure {@code p} counts as {@code p / pressure.target}, and {@code p = 1} holds; a latency
 * counts as its inflation over the reporter's learned base (a windowed minimum), relative to
 * {@code latency.target.ratio} times the base. A reporter that throws or returns a value out of
 * range is reported failing and ignored. Thread-safe: a concurrent map of entries, each guarded by
 * its own lock.
 */
final class Reporters {

    private final ConcurrentMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /** One registered reporter. */
    private static final class Entry {
        final PressureReporter reporter;
        final String name;
        final Set<String> databases;
        /** Guarded by this entry. */
        private LatencyBase base;

        Entry(PressureReporter reporter, String name, Set<String> databases) {
            this.reporter = reporter;
            this.name = name;
            this.databases = databases;
        }
    }

    /**
     * @param id the reporter's service id
     * @param reporter the reporter
     * @param label its name for the shell
     * @param databases its {@link PressureProperties#DATABASE} property, or {@code null}
     */
    void add(long id, PressureReporter reporter, String label, Object databases) {
        entries.put(id, new Entry(reporter, "reporter " + label, strings(databases)));
    }

    /** @param id the service id of a reporter gone */
    void remove(long id) {
        entries.remove(id);
    }

    /**
     * @param database the database
     * @param now the current time
     * @param s the settings in force
     * @param out where the readings of the reporters that apply to the database go
     */
    void read(String database, long now, AdaptiveSettings s, Collection<Reading> out) {
        for (Entry e : entries.values()) {
            if (e.databases.isEmpty() || e.databases.contains(database)) {
                out.add(read(e, now, s));
            }
        }
    }

    private static Reading read(Entry e, long now, AdaptiveSettings s) {
        OptionalDouble pressure;
        Optional<Duration> latency;
        try {
            pressure = e.reporter.pressure();
            latency = e.reporter.latency();
        } catch (Throwable t) {
            return Reading.failing(e.name, DatabaseSignals.oneLine(t));
        }
        if (pressure == null || latency == null) {
            return Reading.failing(e.name, "returned null");
        }
        Reading fromPressure = null;
        if (pressure.isPresent()) {
            double p = pressure.getAsDouble();
            if (!(p >= 0 && p <= 1)) {
                return Reading.failing(e.name, "pressure " + p + " is not in [0, 1]");
            }
            String value = String.format(Locale.ROOT, "pressure %.2f", p);
            fromPressure = p >= 1 ? Reading.critical(e.name, value) : Reading.of(e.name, value, p / s.pressureTarget());
        }
        Reading fromLatency = null;
        if (latency.isPresent()) {
            Duration d = latency.get();
            if (d.isNegative()) {
                return Reading.failing(e.name, "latency " + d + " is negative");
            }
            double ms = d.toNanos() / 1e6;
            double base;
            synchronized (e) {
                if (e.base == null) {
                    e.base = new LatencyBase(s.baseBucketMillis(), s.baseBuckets());
                }
                e.base.offer(now, ms);
                base = e.base.base(now);
            }
            double target = Math.max(0.001, s.latencyTargetRatio() * base);
            fromLatency = Reading.of(e.name, String.format(Locale.ROOT, "latency %.2f ms (base %.2f)", ms, base),
                    Math.max(0, ms - base) / target);
        }
        if (fromPressure == null && fromLatency == null) {
            return Reading.failing(e.name, "nothing reported now");
        }
        if (fromPressure == null || fromLatency == null) {
            return fromPressure != null ? fromPressure : fromLatency;
        }
        return fromPressure.critical() || fromPressure.pressure() >= fromLatency.pressure() ? fromPressure : fromLatency;
    }

    /** @return how many reporters are registered */
    int size() {
        return entries.size();
    }

    private static Set<String> strings(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof String[] a) {
            list.addAll(Arrays.asList(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> list.add(String.valueOf(v)));
        } else if (value != null) {
            list.add(value.toString());
        }
        return Set.copyOf(list);
    }
}
