package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One validated, immutable snapshot of {@link RunnerConfig}.
 *
 * @param durationMillis {@code background_update_duration_ms}
 * @param sleepEnabled {@code sleep_enabled}
 * @param sleepMillis {@code sleep_duration_ms}
 * @param minBatchSize {@code min_batch_size}
 * @param defaultBatchSize {@code default_batch_size}
 * @param retryBackoffMillis {@code retry_backoff_ms}
 * @param sizing {@code batch_sizing} and {@code max_batch_size}
 */
record Settings(long durationMillis, boolean sleepEnabled, long sleepMillis, int minBatchSize, int defaultBatchSize,
        long retryBackoffMillis, BatchSizing.Choice sizing) {

    static final Settings DEFAULTS = new Settings(100, true, 1000, 1, 100, 1000);

    /** With the default sizing. */
    Settings(long durationMillis, boolean sleepEnabled, long sleepMillis, int minBatchSize, int defaultBatchSize,
            long retryBackoffMillis) {
        this(durationMillis, sleepEnabled, sleepMillis, minBatchSize, defaultBatchSize, retryBackoffMillis, BatchSizing.Choice.DEFAULT);
    }

    /** The configuration's own keys; {@code dataSources.target} is read by the service. */
    static final List<String> KEYS = List.of("background_update_duration_ms", "sleep_enabled", "sleep_duration_ms", "min_batch_size",
            "default_batch_size", "retry_backoff_ms", "batch_sizing", "max_batch_size", BackgroundUpdatesService.TARGET);
    /** Keys the framework, Configuration Admin or FileInstall add. */
    private static final Set<String> FRAMEWORK_PREFIXES = Set.of("service.", "component.", "felix.", "osgi.", "org.apache.");

    Settings {
        require(durationMillis >= 0, "background_update_duration_ms must be 0 or more, not " + durationMillis);
        require(sleepMillis >= 0, "sleep_duration_ms must be 0 or more, not " + sleepMillis);
        require(minBatchSize >= 1, "min_batch_size must be at least 1, not " + minBatchSize);
        require(defaultBatchSize >= 1, "default_batch_size must be at least 1, not " + defaultBatchSize);
        require(retryBackoffMillis >= 1, "retry_backoff_ms must be at least 1, not " + retryBackoffMillis);
    }

    /**
     * Reads the configuration's properties as given (a {@code .cfg} file gives text): a missing
     * key has its default.
     *
     * @throws IllegalArgumentException with a one-line message naming the key and the value, if
     *         a value is out of range or not of its type ({@code sleep_enabled = maybe} included)
     */
    static Settings of(Map<String, ?> p) {
        return new Settings(number(p, "background_update_duration_ms", DEFAULTS.durationMillis, Long.MAX_VALUE),
                bool(p, "sleep_enabled", DEFAULTS.sleepEnabled), number(p, "sleep_duration_ms", DEFAULTS.sleepMillis, Long.MAX_VALUE),
                (int) number(p, "min_batch_size", DEFAULTS.minBatchSize, Integer.MAX_VALUE),
                (int) number(p, "default_batch_size", DEFAULTS.defaultBatchSize, Integer.MAX_VALUE),
                number(p, "retry_backoff_ms", DEFAULTS.retryBackoffMillis, Long.MAX_VALUE),
                new BatchSizing.Choice(BatchSizing.Kind.of(p.get("batch_sizing") == null ? "synapse" : p.get("batch_sizing").toString()),
                        (int) number(p, "max_batch_size", 0, Integer.MAX_VALUE)));
    }

    /** @return the keys that are neither the runner's nor the framework's: typos, most likely */
    static List<String> unknownKeys(Map<String, ?> p) {
        List<String> unknown = new ArrayList<>();
        for (String key : p.keySet()) {
            if (!KEYS.contains(key) && FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith)) {
                unknown.add(key);
            }
        }
        unknown.sort(null);
        return unknown;
    }

    private static long number(Map<String, ?> p, String key, long otherwise, long max) {
        Object v = p.get(key);
        if (v == null) {
            return otherwise;
        }
        long n;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
            }
        }
        require(n <= max, key + " must be at most " + max + ", not " + n);
        return n;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean otherwise) {
        Object v = p.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String text = v.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
