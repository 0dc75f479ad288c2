package io.bgupdate.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/**
 * The harness's smoke run, in the module's normal build: every measure at tiny sizes in a real
 * Felix (a few tens of seconds), its correctness checks, and the report and plots written to
 * {@code target/bench-smoke}. The figures themselves are not checked: they mean nothing at these
 * sizes and on a shared machine.
 */
public class BenchSmokeTest {

    @Test
    public void smokeRunMeasuresEverythingAndWritesTheReport() throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench-smoke"));
        Bench.Outcome o = Bench.run(Bench.SMOKE, Path.of("target/bench-work-smoke"));
        Report.write(o, out.resolve("BENCHMARKS.md"), out, "");

        assertEquals(List.of(), o.failures);
        assertEquals(5, o.overhead.runs.size());
        assertEquals(1, o.overhead.defaultTrials.size());
        assertTrue(o.overhead.attribution.batches() > 0);
        assertTrue(o.overhead.runs.stream().allMatch(r -> r.rowsPerSecond() > 0));
        assertEquals(Bench.SMOKE.tracking().batches(), o.tracking.runs.get(0).size());
        assertEquals(Bench.SMOKE.tracking().batches(), o.trackingFast.runs.get(0).size());
        if (PgCluster.unavailable() == null) { // PostgreSQL too, where the build can start a cluster
            assertEquals(5, o.pg.overhead.runs.size());
            assertEquals(Bench.SMOKE.tracking().batches(), o.pg.synapse.runs.get(0).size());
            assertEquals(Bench.SMOKE.tracking().batches(), o.pg.tracking.runs.get(0).size());
        }
        assertEquals(4 * Bench.SMOKE.hotSwap().swaps(), o.hotSwap.swaps.size());
        assertEquals(3, o.footprint.samples.size());
        String md = Files.readString(out.resolve("BENCHMARKS.md"));
        assertTrue(md, md.contains("| measure | reference | bgupdate | ratio | machine | date |"));
        assertTrue(md, md.contains("Largest remaining gap") || md.contains("Every goal measured here is met"));
        for (String png : List.of(Plots.TRACKING, Plots.RATE, Plots.DUTY, Plots.SIZINGS_H2)) {
            Path file = out.resolve(png);
            assertTrue(file + " written", Files.size(file) > 10_000);
            byte[] head = new byte[8];
            try (var in = Files.newInputStream(file)) {
                assertEquals(8, in.read(head));
            }
            assertEquals("a PNG signature", (byte) 0x89, head[0]);
            assertEquals('P', head[1]);
        }
    }
}
