package io.bgupdate.ratelimit.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the {@code overrides} configuration property: limits that differ for one update,
 * one database, or one update on one database. Immutable.
 *
 * <p>Syntax: selectors, then settings, separated by spaces:
 * <pre>
 * update:events_purge rate=5000 duty=0.5
 * database:archive windows="Sat-Sun 00:00-24:00" zone=Europe/Berlin
 * database:main update:populate_stats burst=200 batch.min=10
 * </pre>
 * A selector is {@code update:NAME} or {@code database:NAME}, at most one of each, at least one.
 * A setting is {@code KEY=VALUE} with a key of {@link Limits#KEYS}; a value with spaces is written
 * in double quotes. Overrides apply over the base configuration from the least to the most
 * specific: {@code database:} ones, then {@code update:} ones, then those naming both; for each key
 * the most specific wins.
 *
 * @param database the database it applies to, or {@code null} for all
 * @param update the update it applies to, or {@code null} for all
 * @param settings the keys and values it sets, in the order written
 * @param text the entry as configured
 */
record LimitOverride(String database, String update, Map<String, String> settings, String text) {

    static final String UPDATE = "update:";
    static final String DATABASE = "database:";

    /**
     * @param text one entry, as described above
     * @return the parsed entry; its values are checked by {@link #applyTo}
     * @throws IllegalArgumentException with a one-line message quoting the entry
     */
    static LimitOverride parse(String text) {
        return parse(text, true);
    }

    /**
     * @param text selectors only, e.g. {@code update:events_purge}
     * @return them in the canonical form of {@link #selector()}
     * @throws IllegalArgumentException with a one-line message if malformed
     */
    static String parseSelector(String text) {
        return parse(text, false).selector();
    }

    private static LimitOverride parse(String text, boolean withSettings) {
        String t = text == null ? "" : text.trim();
        String database = null;
        String update = null;
        Map<String, String> settings = new LinkedHashMap<>();
        for (String token : tokens(t)) {
            int eq = token.indexOf('=');
            if (token.startsWith(UPDATE) && update == null && eq < 0) {
                update = name(t, token.substring(UPDATE.length()));
            } else if (token.startsWith(DATABASE) && database == null && eq < 0) {
                database = name(t, token.substring(DATABASE.length()));
            } else if (eq > 0) {
                String key = token.substring(0, eq);
                if (!Limits.KEYS.contains(key)) {
                    throw malformed(t, "unknown key '" + key + "', expected one of " + String.join(", ", Limits.KEYS));
                }
                if (settings.put(key, unquote(token.substring(eq + 1))) != null) {
                    throw malformed(t, "'" + key + "' set twice");
                }
            } else {
                throw malformed(t, "unexpected '" + token + "', expected update:NAME, database:NAME or KEY=VALUE");
            }
        }
        if (database == null && update == null) {
            throw malformed(t, "no selector, expected update:NAME and/or database:NAME first");
        }
        if (settings.isEmpty() == withSettings) {
            throw malformed(t, withSettings ? "no setting, expected KEY=VALUE" : "expected selectors only");
        }
        return new LimitOverride(database, update, Collections.unmodifiableMap(settings), t);
    }

    /** Splits on spaces outside double quotes; the quotes stay in the tokens. */
    private static List<String> tokens(String t) {
        List<String> tokens = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (char c : t.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (Character.isWhitespace(c) && !quoted) {
                if (b.length() > 0) {
                    tokens.add(b.toString());
                    b.setLength(0);
                }
            } else {
                b.append(c);
            }
        }
        if (quoted) {
            throw malformed(t, "unbalanced double quote");
        }
        if (b.length() > 0) {
            tokens.add(b.toString());
        }
        return tokens;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String name(String t, String name) {
        if (name.isEmpty() || name.indexOf('"') >= 0) {
            throw malformed(t, "empty or quoted name in a selector");
        }
        return name;
    }

    private static IllegalArgumentException malformed(String t, String why) {
        return new IllegalArgumentException("override '" + t + "': " + why);
    }

    /**
     * @param updateName the update
     * @param databaseName its database
     * @return whether this entry applies to them
     */
    boolean matches(String updateName, String databaseName) {
        return (update == null || update.equals(updateName)) && (database == null || database.equals(databaseName));
    }

    /** @return 1 for a database, 2 for an update, 3 for both: the order overrides apply in */
    int specificity() {
        return (database == null ? 0 : 1) + (update == null ? 0 : 2);
    }

    /** @return the selectors as written in canonical form, e.g. {@code database:main update:x} */
    String selector() {
        return database == null ? UPDATE + update
                : update == null ? DATABASE + database
                : DATABASE + database + " " + UPDATE + update;
    }

    /**
     * @param limits the limits to start from
     * @return them with this entry's settings applied
     * @throws IllegalArgumentException if a value is malformed or out of range
     */
    Limits applyTo(Limits limits) {
        Limits l = limits;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            try {
                l = l.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw malformed(text, ex.getMessage());
            }
        }
        return l;
    }
}
