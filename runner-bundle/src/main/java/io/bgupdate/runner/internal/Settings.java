package io.bgupdate.runner.internal;

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

    Settings {
        require(durationMillis >= 0, "background_update_duration_ms must be 0 or more, not " + durationMillis);
        require(sleepMillis >= 0, "sleep_duration_ms must be 0 or more, not " + sleepMillis);
        require(minBatchSize >= 1, "min_batch_size must be at least 1, not " + minBatchSize);
        require(defaultBatchSize >= 1, "default_batch_size must be at least 1, not " + defaultBatchSize);
        require(retryBackoffMillis >= 1, "retry_backoff_ms must be at least 1, not " + retryBackoffMillis);
    }

    /**
     * @throws IllegalArgumentException with a one-line message if a value is out of range or
     *         not of its type
     */
    static Settings of(RunnerConfig c) {
        try {
            return new Settings(c.background__update__duration__ms(), c.sleep__enabled(), c.sleep__duration__ms(),
                    c.min__batch__size(), c.default__batch__size(), c.retry__backoff__ms(),
                    new BatchSizing.Choice(BatchSizing.Kind.of(c.batch__sizing()), c.max__batch__size()));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // SCR could not convert a value to its type
            throw new IllegalArgumentException("a value is not of its type: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
