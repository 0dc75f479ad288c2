package io.bgupdate.api.handler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The saved progress of an update: a flat JSON object of strings, whole numbers and booleans,
 * stored as {@code progress_json} in the {@code background_updates} table, as in Synapse.
 * Immutable; {@code with} returns a copy.
 *
 * <pre>
 * long lastId = batch.progress().getLong("last_id", 0);
 * ...
 * batch.saveProgress(batch.progress().with("last_id", newLastId));
 * </pre>
 */
public final class Progress {

    private static final Progress EMPTY = new Progress(Map.of());

    private final Map<String, Object> values;

    private Progress(Map<String, Object> values) {
        this.values = values;
    }

    /** @return the progress of an update that has not run yet: {@code {}} */
    public static Progress empty() {
        return EMPTY;
    }

    /**
     * Reads a flat JSON object whose values are strings, whole numbers, booleans or null
     * (null values are dropped).
     *
     * @param json the text, such as {@code {"last_id": 1200}}; {@code null} or blank for empty
     * @return the progress
     * @throws IllegalArgumentException if the text is not such an object
     */
    public static Progress parse(String json) {
        return json == null || json.isBlank() ? EMPTY : new Progress(Collections.unmodifiableMap(new FlatJson(json).object()));
    }

    /**
     * @param key the name
     * @param otherwise the value if there is none
     * @return the whole number saved under the name
     * @throws IllegalArgumentException if the value there is not a whole number
     */
    public long getLong(String key, long otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("progress value '" + key + "' is not a whole number: " + v);
    }

    /**
     * @param key the name
     * @param otherwise the value if there is none
     * @return the value saved under the name, as text
     */
    public String getString(String key, String otherwise) {
        Object v = values.get(key);
        return v == null ? otherwise : v.toString();
    }

    /**
     * @param key the name
     * @param otherwise the value if there is none
     * @return the boolean saved under the name
     * @throws IllegalArgumentException if the value there is not a boolean
     */
    public boolean getBoolean(String key, boolean otherwise) {
        Object v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("progress value '" + key + "' is not a boolean: " + v);
    }

    /**
     * @param key the name
     * @param value the whole number
     * @return a copy with the value set
     */
    public Progress with(String key, long value) {
        return put(key, value);
    }

    /**
     * @param key the name
     * @param value the text, not {@code null}
     * @return a copy with the value set
     */
    public Progress with(String key, String value) {
        return put(key, Objects.requireNonNull(value, "value"));
    }

    /**
     * @param key the name
     * @param value the boolean
     * @return a copy with the value set
     */
    public Progress with(String key, boolean value) {
        return put(key, value);
    }

    private Progress put(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new Progress(Collections.unmodifiableMap(copy));
    }

    /** @return the names and values, in the order they were set */
    public Map<String, Object> asMap() {
        return values;
    }

    /** @return whether nothing is saved */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** @return the JSON text, such as {@code {"last_id":1200}} */
    public String toJson() {
        StringBuilder out = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            FlatJson.quote(k, out).append(':');
            if (v instanceof String s) {
                FlatJson.quote(s, out);
            } else {
                out.append(v);
            }
        });
        return out.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Progress p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
