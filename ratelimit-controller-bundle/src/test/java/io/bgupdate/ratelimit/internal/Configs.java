package io.bgupdate.ratelimit.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Typed configurations for tests, built the way DS builds them: property names from method names. */
final class Configs {

    private Configs() {
    }

    /**
     * @param keysAndValues property names and values, alternating; others take their defaults
     * @return the configuration
     */
    static RateLimitConfiguration config(Object... keysAndValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (RateLimitConfiguration) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {RateLimitConfiguration.class}, (proxy, method, args) -> {
                    String name = method.getName().replace('_', '.');
                    if (props.containsKey(name)) {
                        return props.get(name);
                    }
                    if (method.getName().equals("annotationType")) {
                        return RateLimitConfiguration.class;
                    }
                    return method.getDefaultValue();
                });
    }
}
