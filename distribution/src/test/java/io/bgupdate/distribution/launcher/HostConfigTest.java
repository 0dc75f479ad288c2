package io.bgupdate.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class HostConfigTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void variablesAreReplacedAndOverridesWin() throws Exception {
        Path file = tmp.newFile("config.properties").toPath();
        Files.writeString(file, "a=${dir}/cache\nb=${dir}-${dir}\nc=plain\nfilter=.*\\\\.(cfg)\n");
        Map<String, String> vars = Map.of("dir", "/d");
        Map<String, String> overrides = Map.of("c", "set");
        Map<String, String> config = HostConfig.load(file, vars::get, overrides::get);
        assertEquals(Map.of("a", "/d/cache", "b", "/d-/d", "c", "set", "filter", ".*\\.(cfg)"), config);
    }

    @Test
    public void aVariableWithoutValueNamesTheKey() throws Exception {
        Path file = tmp.newFile("config.properties").toPath();
        Files.writeString(file, "a=${nowhere}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostConfig.load(file, k -> null, k -> null));
        assertEquals(file + ": a uses ${nowhere}, which has no value", e.getMessage());
    }

    @Test
    public void theShippedConfigurationLoads() throws Exception {
        Path shipped = Path.of("src/main/host/conf/config.properties");
        Map<String, String> config = HostConfig.load(shipped, k -> "/X", k -> null);
        assertEquals("/X/felix-cache", config.get("org.osgi.framework.storage"));
        assertEquals(".*\\.(cfg|config)", config.get("felix.fileinstall.filter"));
        assertEquals("/X/bgupdate.log", config.get("org.slf4j.simpleLogger.logFile"));
    }
}
