package io.bgupdate.examples.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example application's schema: the rooms and events of a small chat server, and the
 * {@code room_stats} summary table. Its SQL is what H2 and PostgreSQL share.
 *
 * <p>{@code events.sender_domain} and {@code room_stats} stand for what a later release added:
 * new events would get the column when written, the old ones get it from the
 * {@link SenderDomainBackfill} background update, as Synapse does it.
 */
final class ExampleSchema {

    /** How far back the generated events go: more than the default retention, so the purge has work. */
    static final Duration SPAN = Duration.ofDays(120);

    static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS rooms (room_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                    + " creator VARCHAR(255) NOT NULL, created_ts BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS events (id BIGINT NOT NULL PRIMARY KEY, event_id VARCHAR(255) NOT NULL,"
                    + " room_id VARCHAR(255) NOT NULL, sender VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL,"
                    + " origin_server_ts BIGINT NOT NULL, content VARCHAR(2000) NOT NULL, sender_domain VARCHAR(255))",
            "CREATE TABLE IF NOT EXISTS room_stats (room_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                    + " event_count BIGINT NOT NULL, sender_count BIGINT NOT NULL, first_ts BIGINT, last_ts BIGINT)",
            "CREATE TABLE IF NOT EXISTS example_schema (version INT NOT NULL PRIMARY KEY, events BIGINT NOT NULL,"
                    + " created_ts BIGINT NOT NULL)");

    /** Created once the data is in: several times faster than loading into them. */
    static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS events_room_ts_idx ON events (room_id, origin_server_ts)");

    private static final Logger LOG = LoggerFactory.getLogger(ExampleSchema.class);
    private static final int VERSION = 1;
    private static final int INSERT_BATCH = 1_000;
    /** Rows per transaction: H2 slows down a lot in transactions of hundreds of thousands of rows. */
    private static final int COMMIT_EVERY = 10_000;

    private static final String[] DOMAINS = {"example.org", "example.com", "example.net", "chat.example.org",
        "hs.example.com", "matrix.example.net", "uni.example.edu", "corp.example", "home.example.org", "im.example.net"};
    private static final String[] WORDS = {"hello", "deploy", "the", "index", "is", "ready", "lunch", "at", "noon",
        "release", "notes", "please", "review", "my", "patch", "thanks", "see", "you", "tomorrow", "build", "green"};

    /** What {@link #createIfAbsent} found or did. */
    record Outcome(boolean created, long rooms, long events, long millis) {
    }

    private ExampleSchema() {
    }

    /**
     * Creates the tables that do not exist and, unless a complete set of data is there, generates
     * the rooms and events. The data is committed in parts and marked complete last, in
     * {@code example_schema}; parts left by an interrupted generation are dropped first.
     *
     * @param rows the events to generate; rooms are one per 400 events, users one per 50
     * @param now the end of the generated time span, in epoch milliseconds
     */
    static Outcome createIfAbsent(DataSource dataSource, int rows, long now) throws SQLException {
        return createIfAbsent(dataSource, rows, now, () -> false);
    }

    /**
     * As {@link #createIfAbsent(DataSource, int, long)}, asking {@code stop} between two inserts
     * of {@value #INSERT_BATCH} rows whether to give up.
     *
     * @throws CancellationException when {@code stop} said so; what was not committed is rolled back
     */
    static Outcome createIfAbsent(DataSource dataSource, int rows, long now, BooleanSupplier stop) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                execute(c, TABLES);
                c.commit();
                if (count(c, "SELECT COUNT(*) FROM example_schema") > 0) {
                    Outcome found = new Outcome(false, count(c, "SELECT COUNT(*) FROM rooms"),
                            count(c, "SELECT COUNT(*) FROM events"), 0);
                    c.commit();
                    return found;
                }
                execute(c, List.of("TRUNCATE TABLE room_stats", "TRUNCATE TABLE events", "TRUNCATE TABLE rooms"));
                c.commit();
                int rooms = generate(c, rows, now, stop);
                execute(c, INDEXES);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO example_schema (version, events, created_ts) VALUES (?, ?, ?)")) {
                    p.setInt(1, VERSION);
                    p.setLong(2, rows);
                    p.setLong(3, now);
                    p.executeUpdate();
                }
                c.commit();
                return new Outcome(true, rooms, rows, (System.nanoTime() - start) / 1_000_000);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Rooms and users are skewed, as in real servers: a few busy rooms and talkative users, a
     * long tail of quiet ones. Event ids follow time, as Synapse's stream ordering does.
     */
    private static int generate(Connection c, int rows, long now, BooleanSupplier stop) throws SQLException {
        SplittableRandom random = new SplittableRandom(20261126L);
        int roomCount = Math.max(1, rows / 400);
        int userCount = Math.max(10, rows / 50);
        LOG.info("Generating the example data: {} events in {} rooms from {} users", rows, roomCount, userCount);
        long first = now - SPAN.toMillis();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO rooms (room_id, creator, created_ts) VALUES (?, ?, ?)")) {
            for (int r = 0; r < roomCount; r++) {
                p.setString(1, roomId(r));
                p.setString(2, userId(random.nextInt(userCount)));
                p.setLong(3, first - Duration.ofDays(1 + random.nextInt(365)).toMillis());
                p.addBatch();
                if (r % INSERT_BATCH == INSERT_BATCH - 1) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
        double step = (double) SPAN.toMillis() / Math.max(1, rows);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO events (id, event_id, room_id, sender, type,"
                + " origin_server_ts, content) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                double u = random.nextDouble();
                int room = (int) (roomCount * u * u);
                int user = (int) (userCount * Math.pow(random.nextDouble(), 1.5));
                String type = eventType(random.nextInt(100));
                p.setLong(1, i);
                p.setString(2, "$" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "_" + Integer.toString(i, 36));
                p.setString(3, roomId(room));
                p.setString(4, userId(user));
                p.setString(5, type);
                p.setLong(6, first + (long) ((i - 1) * step) + random.nextInt(1000));
                p.setString(7, content(type, random));
                p.addBatch();
                if (i % INSERT_BATCH == 0) {
                    p.executeBatch();
                    if (stop.getAsBoolean()) {
                        throw new CancellationException("stopped after " + i + " of " + rows + " events");
                    }
                }
                if (i % COMMIT_EVERY == 0) {
                    c.commit();
                }
            }
            p.executeBatch();
        }
        return roomCount;
    }

    static String roomId(int room) {
        return String.format("!room%05d:%s", room, DOMAINS[room % 3]);
    }

    static String userId(int user) {
        // A few big home servers hold most users.
        int d = user % 20;
        return "@user" + user + ":" + DOMAINS[d < 8 ? 0 : d < 12 ? 1 : d < 14 ? 2 : d - 10];
    }

    private static String eventType(int percent) {
        return percent < 75 ? "m.room.message" : percent < 87 ? "m.reaction" : percent < 94 ? "m.room.member"
                : percent < 98 ? "m.room.redaction" : "m.room.topic";
    }

    private static String content(String type, SplittableRandom random) {
        switch (type) {
            case "m.room.message": {
                StringBuilder body = new StringBuilder();
                for (int w = 2 + random.nextInt(8); w > 0; w--) {
                    body.append(body.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                return "{\"msgtype\":\"m.text\",\"body\":\"" + body + "\"}";
            }
            case "m.reaction":
                return "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"key\":\"+1\"}}";
            case "m.room.member":
                return "{\"membership\":\"" + (random.nextInt(4) == 0 ? "leave" : "join") + "\"}";
            case "m.room.topic":
                return "{\"topic\":\"" + WORDS[random.nextInt(WORDS.length)] + "\"}";
            default:
                return "{}";
        }
    }

    private static void execute(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
