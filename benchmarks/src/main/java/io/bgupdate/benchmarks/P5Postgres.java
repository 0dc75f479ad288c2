package io.bgupdate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * P5's throwaway PostgreSQL cluster, started and stopped with the itests' {@code pg-cluster}
 * script (kept apart from other measures' PostgreSQL harness on purpose: P5 needs pgbench too).
 */
final class P5Postgres implements AutoCloseable {

    final Path dir;
    final Path script;
    final int port;
    final String password;

    P5Postgres(Path dir) throws Exception {
        this.dir = dir;
        this.script = Path.of(System.getProperty("p5.pg.script", "../itests/src/test/pg/pg-cluster")).toAbsolutePath();
        run(List.of(script.toString(), "start", dir.toString()), 120, null);
        this.port = Integer.parseInt(Files.readString(dir.resolve("port")).trim());
        this.password = Files.readString(dir.resolve("password")).trim();
    }

    /** @return whether this machine has PostgreSQL's server binaries and pgbench */
    static boolean available() {
        try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.anyMatch(p -> Files.isExecutable(p.resolve("bin/pg_ctl")) && Files.isExecutable(p.resolve("bin/pgbench")));
        } catch (IOException e) {
            return false;
        }
    }

    static Path pgbench() throws IOException {
        try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
            return s.map(p -> p.resolve("bin/pgbench")).filter(Files::isExecutable).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", password);
    }

    PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url(database));
        ds.setUser("postgres");
        ds.setPassword(password);
        return ds;
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** Runs a command to its end; {@code password} goes to PGPASSWORD when given. */
    static void run(List<String> command, long timeoutSeconds, String password) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        if (password != null) {
            b.environment().put("PGPASSWORD", password);
        }
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not end within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of(script.toString(), "stop", dir.toString()), 120, null);
    }
}
