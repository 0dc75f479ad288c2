package io.bgupdate.ratelimit.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the raw properties of a configuration against its {@code @ObjectClassDefinition}
 * annotation before DS's typed view is read: DS converts {@code rate = abc} into a bare
 * {@code NumberFormatException} (or a default), reads {@code maybe} as {@code false}, and ignores a
 * misspelt key. Here a value of the wrong type is refused with a one-line message naming the key and
 * the value, and unknown keys are returned so that the caller can warn about them.
 *
 * <p>Accepted, as DS accepts them: for a number, any {@link Number} or numeric text (a whole one
 * for {@code int} and {@code long}, within range); for a {@code boolean}, a {@link Boolean} or the
 * text {@code true} or {@code false} in any case; for a {@code String}, anything; for an array,
 * one value or a list of them. A list for a single value is refused unless it has one element.
 */
final class ConfigurationCheck {

    /** Keys Configuration Admin, DS and file installers add to configurations. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "component.name", "component.id", "felix.fileinstall.filename", "org.apache.karaf.features.configKey",
            "osgi.ds.satisfying.condition.target");

    /** By property name, sorted. */
    private final Map<String, Class<?>> types = new TreeMap<>();

    /** @param definition the {@code @ObjectClassDefinition} annotation type: its methods are the properties */
    ConfigurationCheck(Class<?> definition) {
        for (Method m : definition.getDeclaredMethods()) {
            types.put(propertyName(m.getName()), m.getReturnType());
        }
    }

    /** @return the property names, sorted */
    Set<String> keys() {
        return types.keySet();
    }

    /**
     * @param properties the raw properties, as Configuration Admin delivered them; {@code null} for none
     * @return the keys this configuration does not know, each with a suggestion when one is close
     * @throws IllegalArgumentException with a one-line message naming the key and the value, for the
     *         first value that cannot be read as its property's type
     */
    List<String> check(Map<String, ?> properties) {
        List<String> unknown = new ArrayList<>();
        if (properties == null) {
            return unknown;
        }
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            Class<?> type = types.get(key);
            if (type != null) {
                checkValue(key, type, e.getValue());
            } else if (!key.startsWith(".") && !FRAMEWORK_KEYS.contains(key)) {
                String near = nearest(key);
                unknown.add("'" + key + "'" + (near == null ? "" : " (did you mean '" + near + "'?)"));
            }
        }
        unknown.sort(null);
        return unknown;
    }

    private static void checkValue(String key, Class<?> type, Object value) {
        if (value == null) {
            return;
        }
        if (type.isArray()) {
            for (Object element : elements(value)) {
                checkValue(key, type.getComponentType(), element);
            }
            return;
        }
        List<Object> list = elements(value);
        if (list.size() != 1) {
            throw new IllegalArgumentException(key + ": '" + text(value) + "' is a list, expected one value");
        }
        Object v = list.get(0);
        if (type == String.class || v == null) {
            return;
        }
        if (type == boolean.class || type == Boolean.class) {
            if (!(v instanceof Boolean) && !(v instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false")))) {
                throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
            }
            return;
        }
        if (type == double.class || type == float.class) {
            number(key, v);
            return;
        }
        if (type == long.class || type == int.class || type == short.class || type == byte.class) {
            long whole = whole(key, v);
            long max = type == long.class ? Long.MAX_VALUE : type == int.class ? Integer.MAX_VALUE : type == short.class ? Short.MAX_VALUE : Byte.MAX_VALUE;
            long min = type == long.class ? Long.MIN_VALUE : type == int.class ? Integer.MIN_VALUE : type == short.class ? Short.MIN_VALUE : Byte.MIN_VALUE;
            if (whole > max || whole < min) {
                throw new IllegalArgumentException(key + ": '" + v + "' is out of range (" + min + " to " + max + ")");
            }
        }
    }

    /** @return the value as a number, as DS reads it */
    private static double number(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
        }
    }

    /** @return the value as a whole number, as DS reads it (text with {@link Long#parseLong}) */
    private static long whole(String key, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number");
            }
            return n instanceof Double || n instanceof Float ? (long) d : n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            number(key, v);
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number (or out of range)");
        }
    }

    private static List<Object> elements(Object value) {
        List<Object> list = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
        } else if (value instanceof Collection<?> c) {
            list.addAll(c);
        } else {
            list.add(value);
        }
        return list;
    }

    private static String text(Object value) {
        return elements(value).toString();
    }

    /** @return the OSGi DS property name of an annotation method: {@code batch_min} is {@code batch.min} */
    static String propertyName(String method) {
        return method.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /**
     * @return the known key at most two edits from {@code key} (with {@code _} read as {@code .}), or
     *         whose words all occur in it ({@code min_batch_sise}: {@code batch.min}); {@code null} if none
     */
    private String nearest(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('_', '.');
        List<String> words = List.of(k.split("\\."));
        String best = null;
        int bestDistance = 3;
        for (String known : types.keySet()) {
            int d = distance(k, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        if (best == null) {
            for (String known : types.keySet()) {
                if (words.containsAll(List.of(known.split("\\.")))) {
                    return known;
                }
            }
        }
        return best;
    }

    /** @return the Levenshtein distance */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
