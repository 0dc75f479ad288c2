package io.bgupdate.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Assume;
import org.junit.Test;

/**
 * P5's smoke run (seconds per phase, a small back-fill) in the normal build: every controller ran
 * against pgbench on a throwaway PostgreSQL cluster, the logs were read, the report and plots were
 * written. The figures are not checked: at these sizes and on a shared machine they mean nothing.
 */
public class P5SmokeTest {

    @Test
    public void smokeRunMeasuresEveryControllerAndWritesTheReport() throws Exception {
        Assume.assumeTrue("PostgreSQL server binaries and pgbench (apt-get install postgresql)", P5Postgres.available());
        Path out = Path.of("target/p5-smoke");
        List<P5Bench.Run> runs = P5Bench.run(P5Bench.SMOKE, out);
        assertEquals(P5Bench.SCENARIOS, runs.stream().map(r -> r.scenario).toList());
        for (P5Bench.Run r : runs) {
            for (double[] l : r.latencies) {
                assertTrue(r.scenario + ": pgbench transactions logged", l.length > 10);
            }
        }
        P5Bench.Run unthrottled = runs.get(1);
        assertTrue("the back-fill ran unthrottled", unthrottled.rowsPerSecond[0] > 0);
        assertTrue(Files.readString(out.resolve("P5.md")).contains("| adaptive | heavy |"));
        assertTrue(Files.size(out.resolve("p5-latency.png")) > 5_000);
        assertTrue(Files.size(out.resolve("p5-backfill.png")) > 5_000);
    }
}
