package io.bgupdate.ratelimit.internal;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * The limits in force for one update on one database: the configured base with the matching
 * {@linkplain Override overrides} applied. Immutable, and valid by construction: the constructor
 * rejects any value out of range with a one-line message naming the key.
 *
 * <p>The key constants are at once the configuration property names of
 * {@link RateLimitConfiguration} and the keys accepted in an override entry.
 *
 * @param rate items per second the token bucket refills with; 0 means no rate limit
 * @param burst capacity of the token bucket in items; 0 means one second of {@code rate}
 * @param duty share of wall time spent inside batches, in (0, 1]; 1 means no duty-cycle wait
 * @param windows when batches may start
 * @param zone the time zone {@code windows} are read in
 * @param batchDefault items of the first batch of an update
 * @param batchMin least items of any batch
 * @param durationMax the longest batch the controller asks for, in milliseconds
 */
record Limits(double rate, long burst, double duty, TimeWindows windows, ZoneId zone,
              int batchDefault, int batchMin, long durationMax) {

    static final String RATE = "rate";
    static final String BURST = "burst";
    static final String DUTY = "duty";
    static final String WINDOWS = "windows";
    static final String ZONE = "zone";
    static final String BATCH_DEFAULT = "batch.default";
    static final String BATCH_MIN = "batch.min";
    static final String DURATION_MAX = "duration.max";

    /** Every key, in the order they are shown. */
    static final List<String> KEYS = List.of(RATE, BURST, DUTY, WINDOWS, ZONE, BATCH_DEFAULT, BATCH_MIN, DURATION_MAX);

    static final double DEFAULT_RATE = 1000;
    static final long DEFAULT_BURST = 0;
    /** Synapse's default controller: 100 ms of work, then 1000 ms of sleep. */
    static final double DEFAULT_DUTY = 100.0 / 1100.0;
    static final String DEFAULT_WINDOWS = "";
    /** Empty: the JVM's default time zone. */
    static final String DEFAULT_ZONE = "";
    static final int DEFAULT_BATCH_DEFAULT = 100;
    static final int DEFAULT_BATCH_MIN = 1;
    static final long DEFAULT_DURATION_MAX = 100;

    static final Limits DEFAULTS = new Limits(DEFAULT_RATE, DEFAULT_BURST, DEFAULT_DUTY, TimeWindows.ALWAYS,
            zone(DEFAULT_ZONE), DEFAULT_BATCH_DEFAULT, DEFAULT_BATCH_MIN, DEFAULT_DURATION_MAX);

    /** Checks every value; the message of the exception is one line naming the key. */
    Limits {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(RATE + " must be 0 (no limit) or a positive number of items per second, got " + rate);
        }
        if (burst < 0) {
            throw new IllegalArgumentException(BURST + " must be 0 (one second of rate) or a positive number of items, got " + burst);
        }
        if (!(duty > 0 && duty <= 1)) {
            throw new IllegalArgumentException(DUTY + " must be in (0, 1], got " + duty);
        }
        if (windows == null || zone == null) {
            throw new IllegalArgumentException(WINDOWS + " and " + ZONE + " are required");
        }
        if (batchDefault < 1) {
            throw new IllegalArgumentException(BATCH_DEFAULT + " must be at least 1, got " + batchDefault);
        }
        if (batchMin < 1) {
            throw new IllegalArgumentException(BATCH_MIN + " must be at least 1, got " + batchMin);
        }
        if (durationMax < 1) {
            throw new IllegalArgumentException(DURATION_MAX + " must be at least 1 ms, got " + durationMax);
        }
    }

    /** @return whether the token bucket limits this update */
    boolean limitsRate() {
        return rate > 0;
    }

    /** @return the token bucket's capacity in items; 0 when the rate is not limited */
    long capacity() {
        if (!limitsRate()) {
            return 0;
        }
        return burst > 0 ? burst : Math.max(1, (long) Math.ceil(rate));
    }

    /**
     * The size of the first batch of an update: {@code batch.default}, raised to {@code batch.min}
     * and, under a rate limit, lowered to the bucket's capacity so that it cannot overdraw a full bucket.
     *
     * @return at least 1
     */
    int firstBatch() {
        long size = Math.max(batchDefault, batchMin);
        if (limitsRate()) {
            size = Math.min(size, capacity());
        }
        return (int) Math.max(1, size);
    }

    /**
     * @param key one of {@link #KEYS}
     * @param text the value as written in an override or typed in the shell
     * @return a copy with that one value changed
     * @throws IllegalArgumentException if the key is unknown or the value malformed or out of range
     */
    Limits with(String key, String text) {
        Object v = parse(key, text);
        return switch (key) {
            case RATE -> new Limits((Double) v, burst, duty, windows, zone, batchDefault, batchMin, durationMax);
            case BURST -> new Limits(rate, (Long) v, duty, windows, zone, batchDefault, batchMin, durationMax);
            case DUTY -> new Limits(rate, burst, (Double) v, windows, zone, batchDefault, batchMin, durationMax);
            case WINDOWS -> new Limits(rate, burst, duty, TimeWindows.parse((String) v), zone, batchDefault, batchMin, durationMax);
            case ZONE -> new Limits(rate, burst, duty, windows, zone((String) v), batchDefault, batchMin, durationMax);
            case BATCH_DEFAULT -> new Limits(rate, burst, duty, windows, zone, (Integer) v, batchMin, durationMax);
            case BATCH_MIN -> new Limits(rate, burst, duty, windows, zone, batchDefault, (Integer) v, durationMax);
            case DURATION_MAX -> new Limits(rate, burst, duty, windows, zone, batchDefault, batchMin, (Long) v);
            default -> throw unknownKey(key);
        };
    }

    /**
     * Parses and checks one value, for storing it in the configuration with the type the
     * configuration property has.
     *
     * @param key one of {@link #KEYS}
     * @param text the value as typed
     * @return a {@link Double}, {@link Long}, {@link Integer} or {@link String}, valid for {@code key}
     * @throws IllegalArgumentException if the key is unknown or the value malformed or out of range
     */
    static Object typedValue(String key, String text) {
        Object v = parse(key, text);
        DEFAULTS.with(key, text);
        return v;
    }

    private static Object parse(String key, String text) {
        String t = text == null ? "" : text.trim();
        try {
            return switch (key) {
                case RATE, DUTY -> Double.parseDouble(t);
                case BURST, DURATION_MAX -> Long.parseLong(t);
                case BATCH_DEFAULT, BATCH_MIN -> Integer.parseInt(t);
                case WINDOWS -> {
                    TimeWindows.parse(t);
                    yield t;
                }
                case ZONE -> {
                    zone(t);
                    yield t;
                }
                default -> throw unknownKey(key);
            };
        } catch (NumberFormatException e) {
            boolean fractional = t.matches("[-+]?[0-9]*\\.[0-9]+|[-+]?[0-9]+\\.[0-9]*");
            throw new IllegalArgumentException(key + ": '" + t + "' is not a " + (fractional ? "whole " : "") + "number");
        }
    }

    /**
     * @param id a time zone id such as {@code Europe/Berlin}; empty or {@code system} for the JVM's
     * @return the zone
     * @throws IllegalArgumentException if the id is unknown
     */
    static ZoneId zone(String id) {
        String t = id == null ? "" : id.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("system")) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(t);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(ZONE + ": unknown time zone '" + t + "'");
        }
    }

    private static IllegalArgumentException unknownKey(String key) {
        return new IllegalArgumentException("unknown key '" + key + "', expected one of " + String.join(", ", KEYS));
    }

    /** @return the limits as {@code key=value} pairs, the way they are configured */
    String describe() {
        return String.format(Locale.ROOT, "%s=%s %s=%s %s=%s %s=%s %s=%s %s=%d %s=%d %s=%dms",
                RATE, limitsRate() ? number(rate) + "/s" : "unlimited",
                BURST, limitsRate() ? Long.toString(capacity()) : "-",
                DUTY, number(duty),
                WINDOWS, windows.always() ? "always" : '"' + windows.toString() + '"',
                ZONE, zone.getId(),
                BATCH_DEFAULT, batchDefault, BATCH_MIN, batchMin, DURATION_MAX, durationMax);
    }

    /** @return the number with up to 4 decimals and no trailing zeros */
    static String number(double d) {
        String s = String.format(Locale.ROOT, "%.4f", d);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
