package io.bgupdate.adaptive.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A typed configuration with the annotation's defaults, some replaced (keys are method names). */
final class TestConfig {

    private TestConfig() {
    }

    static AdaptiveConfiguration of(Map<String, Object> values) {
        return (AdaptiveConfiguration) Proxy.newProxyInstance(AdaptiveConfiguration.class.getClassLoader(),
                new Class<?>[] {AdaptiveConfiguration.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static AdaptiveSettings settings(Map<String, Object> values) {
        return AdaptiveSettings.from(of(values));
    }

    static AdaptiveSettings defaults() {
        return settings(Map.of());
    }
}
