package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

public class HandlersTest {

    /** A service reference with just these properties (a JDK proxy: no framework needed for the whiteboard's parsing). */
    private static ServiceReference<?> ref(Map<String, Object> props) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(HandlersTest.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (p, m, a) -> m.getName().equals("getSymbolicName") ? "test" : null);
        return (ServiceReference<?>) Proxy.newProxyInstance(HandlersTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> props.get((String) a[0]);
                    case "getBundle" -> bundle;
                    case "compareTo" -> 0;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    private static Map<String, Handlers.Registered> add(Map<String, Object> props) {
        Handlers h = new Handlers();
        h.add(ref(props), UpdateHandler.noOp());
        return h.forDatabase("main");
    }

    @Test
    public void theMaximumBatchSizeIsReadAsAWholeNumber() {
        assertEquals(0, add(Map.of(UpdateProperties.NAME, "a")).get("a").maxBatchSize());
        assertEquals(500, add(Map.of(UpdateProperties.NAME, "a", UpdateProperties.MAX_BATCH_SIZE, 500)).get("a").maxBatchSize());
        assertEquals(20, add(Map.of(UpdateProperties.NAME, "a", UpdateProperties.MAX_BATCH_SIZE, " 20 ")).get("a").maxBatchSize());
    }

    @Test
    public void aHandlerWithABadMaximumIsIgnored() {
        for (Object bad : new Object[] {0, -4, "many", 1.5}) {
            assertFalse(String.valueOf(bad), add(Map.of(UpdateProperties.NAME, "a", UpdateProperties.MAX_BATCH_SIZE, bad)).containsKey("a"));
        }
    }
}
