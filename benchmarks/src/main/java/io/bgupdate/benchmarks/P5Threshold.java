package io.bgupdate.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.Iteration;

/**
 * gh-ost's {@code --max-load Threads_running=N} as a controller: before each batch, while more than
 * {@code max} other client sessions are active, wait (polling every 100 ms); otherwise go at once
 * with 100 ms batches. A cliff, not a band: the comparison P5 makes.
 */
final class P5Threshold implements BackgroundUpdateController {

    private final DataSource ds;
    private final int max;

    P5Threshold(DataSource ds, int max) {
        this.ds = ds;
        this.max = max;
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        return () -> CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (active() > max && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return 100L;
        });
    }

    private int active() {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        + "AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name = 'pgbench'")) {
            r.next();
            return r.getInt(1);
        } catch (Exception e) {
            return 0;
        }
    }

}
