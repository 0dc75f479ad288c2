package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

import io.bgupdate.testkit.Increment;

/**
 * The real host process ({@link HostMain}: Felix, the runner, a handler bundle's worth of
 * back-fill) killed with SIGKILL at random moments of a non-idempotent back-fill
 * ({@code n = n + 1}), then run to completion: every row exactly once. On H2 and PostgreSQL.
 * {@code -Dcrash.kills=N} (default 10) and {@code -Dcrash.rows} (default 4,000 per kill) scale it;
 * {@code itests/src/test/crash-test.sh} runs it with 100 kills.
 */
public class CrashIT {

    private static final long MICROS_PER_ITEM = 200;
    private Process host;

    @After
    public void stopHost() throws InterruptedException {
        if (host != null) {
            host.destroyForcibly();
            host.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void everyRowExactlyOnceAfterSigkillsAtRandomMoments() throws Exception {
        int kills = Integer.getInteger("crash.kills", 10);
        int rows = Integer.getInteger("crash.rows", 4_000 * kills);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        String database = EmbeddedFelix.newDatabase();
        Path logs = Felix.newDataDir();
        for (int i = 1; i <= kills; i++) {
            Path log = logs.resolve("host" + i + ".log");
            host = HostMain.start(log, database, "crash" + i, MICROS_PER_ITEM, "increment", Integer.toString(rows));
            Thread.sleep(50 + random.nextInt(1500));
            assertTrue("killed before the update completed (more rows needed; log " + log + ")",
                    !Files.readString(log).contains("COMPLETE"));
            host.destroyForcibly(); // SIGKILL
            assertTrue(host.waitFor(30, TimeUnit.SECONDS));
        }
        Path log = logs.resolve("final.log");
        host = HostMain.start(log, database, "final", 0, "increment", Integer.toString(rows));
        HostMain.awaitLine(host, log, "COMPLETE final", Duration.ofMinutes(5));
        Matcher m = Pattern.compile("COMPLETE final rows=(\\d+) once=(\\d+) more=(\\d+)").matcher(Files.readString(log));
        assertTrue("the host's check (log " + log + ")", m.find());
        long[] checked = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
        System.out.println("crash (" + (TestDatabase.postgres() ? "postgresql" : "h2") + ", seed " + seed + "): " + kills
                + " SIGKILLs, rows checked " + checked[0] + ", n = 1: " + checked[1] + ", n > 1: " + checked[2]);
        assertArrayEquals("every row exactly once", new long[] {rows, rows, 0}, checked);
        host.getOutputStream().close(); // a clean stop
        assertTrue("the host stopped", host.waitFor(60, TimeUnit.SECONDS));
        if (TestDatabase.postgres()) {
            assertArrayEquals("every row exactly once, seen from outside", new long[] {rows, rows, 0},
                    Increment.check(EmbeddedFelix.pgDataSource(database), "items"));
        }
        assertEquals(0, host.exitValue());
    }
}
