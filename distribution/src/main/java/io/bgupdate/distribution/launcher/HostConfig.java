package io.bgupdate.distribution.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The framework properties of the host: {@code conf/config.properties} with its {@code ${name}}
 * variables replaced, then overridden by the system properties of the same name ({@code -D} in
 * {@code JAVA_OPTS}).
 */
final class HostConfig {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private HostConfig() {
    }

    /**
     * @param file the properties file
     * @param variables the value of a {@code ${name}} variable, or {@code null} if there is none
     * @param overrides the value that replaces a property, or {@code null} to keep it
     * @return the properties, sorted by name
     * @throws IllegalArgumentException for a variable without a value, naming the file and the key
     */
    static Map<String, String> load(Path file, Function<String, String> variables, Function<String, String> overrides)
            throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Map<String, String> result = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String override = overrides.apply(key);
            result.put(key, override != null ? override : substitute(file, key, props.getProperty(key), variables));
        }
        return result;
    }

    private static String substitute(Path file, String key, String value, Function<String, String> variables) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = variables.apply(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(file + ": " + key + " uses ${" + m.group(1) + "}, which has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }
}
