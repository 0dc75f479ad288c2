package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/** The runner's configuration through Config Admin: a bad database filter changes nothing. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConfigurationIT extends BgupdateTestSupport {

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    @Test
    public void anInvalidDatabaseFilterIsRefusedAndTheDatabasesKeepRunning() throws Exception {
        configureRunner(Map.of("dataSources.target", "(((bgupdate.database=*"));
        pauseFor(java.time.Duration.ofSeconds(1));
        assertEquals(List.of(DB), updates.databases());
        handler("after_bad_filter", new Counting("after_bad_filter"));
        awaitCompleted("after_bad_filter");

        configureRunner(Map.of("dataSources.target", "(bgupdate.database=nothing)"));
        Await.until("no database selected", () -> updates.databases().isEmpty());
        configureRunner(Map.of("dataSources.target", "(bgupdate.database=" + DB + ")"));
        Await.until("main selected again", () -> updates.databases().equals(List.of(DB)));
        assertTrue(updates.hasCompleted("after_bad_filter", DB));
    }
}
