package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** The bundles resolve, the configuration is described, and bad configuration changes nothing. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class FrameworkIT extends BgupdateTestSupport {

    @Inject
    private MetaTypeService metaType;

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    @Test
    public void everyBundleIsActive() {
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            assertEquals(b.getSymbolicName(), fragment ? Bundle.RESOLVED : Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    public void theRunnerConfigurationIsDescribedWithSynapsesKeysAndDefaults() {
        Bundle runner = Arrays.stream(context.getBundles()).filter(b -> "io.bgupdate.runner".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(runner).getObjectClassDefinition("io.bgupdate.runner", null);
        assertNotNull(ocd);
        Map<String, String> defaults = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .collect(Collectors.toMap(AttributeDefinition::getID, a -> a.getDefaultValue()[0]));
        assertEquals("100", defaults.get("background_update_duration_ms"));
        assertEquals("true", defaults.get("sleep_enabled"));
        assertEquals("1000", defaults.get("sleep_duration_ms"));
        assertEquals("1", defaults.get("min_batch_size"));
        assertEquals("100", defaults.get("default_batch_size"));
        assertTrue(defaults.keySet().containsAll(Set.of("retry_backoff_ms", "dataSources.target")));
    }

    @Test
    public void badConfigurationIsRejectedAndThePreviousValuesKept() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "default_batch_size", 42));
        configureRunner(Map.of("sleep_enabled", false, "default_batch_size", 0));
        configureRunner(Map.of("sleep_enabled", false, "default_batch_size", 42, "min_batch_size", "lots"));
        configureRunner(Map.of("sleep_enabled", false, "default_batch_size", -3));
        Backfill backfill = Backfill.create(db, "items", 100);
        handler("items_backfill", backfill);
        awaitCompleted("items_backfill");
        List<Integer> sizes = backfill.calls.stream().map(Backfill.Call::size).toList();
        assertEquals("the last good default_batch_size is in force: " + sizes, 42, (int) sizes.get(0));
    }
}
