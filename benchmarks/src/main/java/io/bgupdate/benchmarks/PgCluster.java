package io.bgupdate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL cluster for a benchmark, started and stopped by the integration tests'
 * script ({@code itests/src/test/pg/pg-cluster}: {@code initdb} in a directory of its own, a free
 * loopback port, {@code fsync=off}). Usable by any benchmark of this module:
 *
 * <pre>
 * try (PgCluster pg = PgCluster.start(dir)) { DataSource ds = pg.dataSource(); ... }
 * </pre>
 *
 * The script is {@code -Dbench.pg.script}, else found from the module or repository directory.
 * {@link #unavailable()} says why no cluster can be started here (no script, no server binaries,
 * or {@code -Dbench.pg.skip=true}), so that a run can leave PostgreSQL out and say so.
 */
final class PgCluster implements AutoCloseable {

    private static final long START_SECONDS = 120;

    private final Path script;
    private final Path dir;
    final int port;
    final String password;
    private final Thread stopOnExit;

    private PgCluster(Path script, Path dir) throws IOException {
        this.script = script;
        this.dir = dir;
        this.port = Integer.parseInt(Files.readString(dir.resolve("port")).trim());
        this.password = Files.readString(dir.resolve("password")).trim();
        this.stopOnExit = new Thread(this::stopQuietly, "pg-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** @return why PostgreSQL cannot be measured here; {@code null} if it can */
    static String unavailable() {
        if (Boolean.getBoolean("bench.pg.skip")) {
            return "skipped (-Dbench.pg.skip=true)";
        }
        if (script() == null) {
            return "the pg-cluster script was not found (set -Dbench.pg.script)";
        }
        try (var bins = Files.list(Path.of("/usr/lib/postgresql"))) {
            if (System.getenv("PG_BIN") == null && bins.noneMatch(p -> Files.isExecutable(p.resolve("bin/pg_ctl")))) {
                return "no PostgreSQL server binaries (apt-get install postgresql)";
            }
        } catch (IOException e) {
            return "no PostgreSQL server binaries (apt-get install postgresql)";
        }
        return null;
    }

    private static Path script() {
        String configured = System.getProperty("bench.pg.script");
        if (configured != null) {
            return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
        }
        for (String root : List.of(System.getProperty("bench.root", ".."), ".", "..")) {
            Path p = Path.of(root, "itests/src/test/pg/pg-cluster").toAbsolutePath().normalize();
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** initdb in {@code dir} (a new directory) and start; waits until the server accepts connections. */
    static PgCluster start(Path dir) throws IOException, InterruptedException {
        String why = unavailable();
        if (why != null) {
            throw new IllegalStateException("PostgreSQL: " + why);
        }
        Path script = script();
        Files.createDirectories(dir);
        run(script, "start", dir);
        PgCluster pg = new PgCluster(script, dir);
        try (Connection c = pg.dataSource().getConnection()) {
            return pg;
        } catch (SQLException e) {
            pg.close();
            throw new IOException("PostgreSQL started but refuses connections: " + e.getMessage(), e);
        }
    }

    private static void run(Path script, String command, Path dir) throws IOException, InterruptedException {
        Path log = dir.resolveSibling(dir.getFileName() + "-" + command + ".log");
        Process p = new ProcessBuilder(script.toString(), command, dir.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pg-cluster " + command + " did not finish within " + START_SECONDS + " s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException("pg-cluster " + command + " failed (" + p.exitValue() + "): " + Files.readString(log).trim());
        }
    }

    /** @return a new unpooled DataSource on the cluster's {@code postgres} database, as user {@code postgres} */
    DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        ds.setPassword(password);
        ds.setApplicationName("bgupdate-benchmarks");
        return ds;
    }

    /** @return the server's version, e.g. "PostgreSQL 15.8" */
    String version() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0];
        }
    }

    private void stopQuietly() {
        try {
            run(script, "stop", dir);
        } catch (IOException | InterruptedException e) {
            System.err.println("pg-cluster stop failed: " + e.getMessage());
        }
    }

    /** Stops the server (fast shutdown); the directory stays for a look at its log. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, and stopping twice does nothing
        }
    }
}
