package io.bgupdate.ratelimit.internal;

import static io.bgupdate.ratelimit.internal.Configs.config;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

public class RateLimitCommandTest {

    /** A Wednesday. */
    private final MutableClock clock = new MutableClock("2026-11-25T12:00:00Z");
    private final RateLimitController controller = new RateLimitController(clock);
    /** What the fake Configuration Admin holds for the PID; {@code null} when there is none. */
    private Dictionary<String, Object> stored;
    private boolean deleted;
    private RateLimitCommand command;

    @Before
    public void setUp() {
        controller.start(config("zone", "UTC", "windows", "Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00",
                "overrides", new String[] {"update:events_purge rate=5000 duty=0.5"}), Map.of());
        command = new RateLimitCommand(controller, configurationAdmin());
    }

    @After
    public void tearDown() {
        controller.deactivate();
    }

    private ConfigurationAdmin configurationAdmin() {
        Configuration cfg = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (p, m, args) -> switch (m.getName()) {
                    case "getPid" -> RateLimitController.PID;
                    case "getProperties" -> stored == null ? null : copy(stored);
                    case "update" -> {
                        stored = copy((Dictionary<String, Object>) args[0]);
                        yield null;
                    }
                    case "delete" -> {
                        stored = null;
                        deleted = true;
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, args) -> {
                    if (m.getName().equals("getConfiguration") && args.length == 1 && RateLimitController.PID.equals(args[0])) {
                        return cfg;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            h.put(k, d.get(k));
        }
        return h;
    }

    /** The command as Gogo calls it: every option absent unless given. */
    private String run(String... options) throws Exception {
        String[] v = {"", "", "", "", "", "", "", "", "", "", ""};
        String[] names = {"--rate", "--burst", "--duty", "--windows", "--zone", "--batch-default", "--batch-min",
            "--duration-max", "--ranking", "--override", "--remove-override"};
        boolean reset = false;
        int i = 0;
        while (i < options.length) {
            if (options[i].equals("--reset")) {
                reset = true;
                i++;
                continue;
            }
            int k = java.util.Arrays.asList(names).indexOf(options[i]);
            if (k < 0) {
                return command.ratelimit(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], reset,
                        java.util.Arrays.copyOfRange(options, i, options.length));
            }
            v[k] = options[i + 1];
            i += 2;
        }
        return command.ratelimit(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], reset);
    }

    @Test
    public void showsTheConfigurationAndThenOneRowPerDatabase() throws Exception {
        String before = run();
        assertTrue(before, before.contains("No batch has asked this controller yet."));
        Iteration purge = controller.onUpdate("events_purge", "main", false);
        purge.enter();
        controller.onUpdate("backfill", "archive", false).enter();
        clock.advance(Duration.ofHours(3).toMillis());
        String out = run();
        assertEquals(String.join(System.lineSeparator(),
                "Controller io.bgupdate.ratelimit (service.ranking 100)",
                "In force   rate=1000/s burst=1000 duty=0.0909 windows=\"Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00\" zone=UTC "
                        + "batch.default=100 batch.min=1 duration.max=100ms",
                "Overrides  update:events_purge rate=5000 duty=0.5",
                "Window     closed, opens Wed 22:00 (in 7h 0m)",
                "",
                "DATABASE  UPDATE        STATE                       TOKENS     WINDOW                              ITEMS/S (1 MIN)",
                "archive   backfill      waiting for window (7h 0m)  1000/1000  closed, opens Wed 22:00 (in 7h 0m)  0.0",
                "main      events_purge  waiting for window (7h 0m)  5000/5000  closed, opens Wed 22:00 (in 7h 0m)  0.0"), out);
        purge.exit(BatchResult.abandoned());
    }

    @Test
    public void showsARejectedConfiguration() throws Exception {
        controller.modified(config("rate", -1.0), Map.of());
        String out = run();
        assertTrue(out, out.contains("Rejected   rate must be 0 (no limit) or a positive number of items per second, got -1.0 "
                + "(the configuration above stays in force)"));
    }

    @Test
    public void optionsChangeTheConfigurationWithTypedValues() throws Exception {
        String out = run("--rate", "500", "--duty", "0.2", "--windows", "always", "--ranking", "200", "--batch-min", "5");
        assertEquals("io.bgupdate.ratelimit updated (rate=500, duty=0.2, windows=always, batch.min=5, service.ranking=200): "
                + "in force from the next batch", out);
        assertEquals(500.0, stored.get("rate"));
        assertEquals(0.2, stored.get("duty"));
        assertEquals("always", stored.get("windows"));
        assertEquals(5, stored.get("batch.min"));
        assertEquals(200, stored.get("service.ranking"));
        assertNull(stored.get("burst"));
        assertTrue(run("--windows", "Sat-Sun 00:00-24:00").contains("(windows=\"Sat-Sun 00:00-24:00\")"));
        assertEquals(500.0, stored.get("rate"));
    }

    @Test
    public void withoutWindowsTheWindowIsAlwaysOpen() throws Exception {
        controller.modified(config(), Map.of());
        assertTrue(run().contains("Window     always open"));
    }

    @Test
    public void aBadValueIsOneLineAndWritesNothing() throws Exception {
        rejects("duty must be in (0, 1], got 1.5", "--rate", "10", "--duty", "1.5");
        rejects("windows: malformed window 'nights'", "--windows", "nights");
        rejects("zone: unknown time zone 'Moon/Base'", "--zone", "Moon/Base");
        rejects("service.ranking: 'high' is not an integer", "--ranking", "high");
        rejects("unknown key 'speed'", "--override", "update:x speed=3");
        rejects("unexpected argument 'fast'", "fast");
        rejects("--reset cannot be combined with other options", "--reset", "--rate", "5");
        assertNull(stored);
    }

    private void rejects(String message, String... options) throws Exception {
        try {
            run(options);
            fail("accepted " + String.join(" ", options));
        } catch (RateLimitCommand.CommandError e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
            assertFalse(e.getMessage().contains("\n"));
            assertEquals("error: " + e.getMessage(), e.toString());
        }
    }

    @Test
    public void inTheRealShellABadValueIsOneErrorLineAndChangesNothing() throws Exception {
        ThreadIOImpl threadIO = new ThreadIOImpl();
        threadIO.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
        processor.addCommand(RateLimitCommand.SCOPE, command, RateLimitCommand.FUNCTION);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())) {
            for (String[] lineAndError : new String[][] {
                {"bgupdate:ratelimit --rate -7", "error: rate must be 0 (no limit) or a positive number of items per second, got -7.0"},
                {"bgupdate:ratelimit --rate abc", "error: rate: 'abc' is not a number"},
                {"bgupdate:ratelimit --burst 1.5", "error: burst: '1.5' is not a whole number"},
                {"bgupdate:ratelimit --ranking high", "error: service.ranking: 'high' is not an integer"},
                {"bgupdate:ratelimit fast", "error: unexpected argument 'fast'; see: help ratelimit"},
            }) {
                try {
                    session.execute(lineAndError[0]);
                    fail("accepted: " + lineAndError[0]);
                } catch (RateLimitCommand.CommandError e) {
                    assertEquals(lineAndError[0], lineAndError[1], e.toString());
                }
            }
            assertNull("nothing written", stored);
            assertTrue(String.valueOf(session.execute("bgupdate:ratelimit --rate 7")).startsWith("io.bgupdate.ratelimit updated (rate=7)"));
            assertEquals(7.0, stored.get("rate"));
        } finally {
            processor.stop();
            threadIO.stop();
        }
    }

    @Test
    public void overridesAreAddedReplacedAndRemovedBySelector() throws Exception {
        run("--override", "update:events_purge rate=5000");
        run("--override", "database:archive windows=\"Sat-Sun 00:00-24:00\"");
        run("--override", "update:events_purge rate=100");
        assertArrayEquals(new String[] {"database:archive windows=\"Sat-Sun 00:00-24:00\"", "update:events_purge rate=100"},
                (String[]) stored.get("overrides"));
        assertEquals("io.bgupdate.ratelimit updated (removed override database:archive): in force from the next batch",
                run("--remove-override", "database:archive"));
        assertArrayEquals(new String[] {"update:events_purge rate=100"}, (String[]) stored.get("overrides"));
        rejects("no override for database:archive", "--remove-override", "database:archive");
    }

    @Test
    public void resetDeletesTheConfiguration() throws Exception {
        run("--rate", "5");
        assertEquals("io.bgupdate.ratelimit deleted: the defaults are in force from the next batch", run("--reset"));
        assertTrue(deleted);
    }

    @Test
    public void withoutConfigurationAdminChangesAreRefusedButShowingWorks() throws Exception {
        command = new RateLimitCommand(controller, null);
        assertTrue(run().startsWith("Controller"));
        rejects("Configuration Admin is not available, cannot change io.bgupdate.ratelimit", "--rate", "5");
    }

    @Test
    public void durationsAreShort() {
        assertEquals("0s", RateLimitCommand.duration(Duration.ZERO));
        assertEquals("1s", RateLimitCommand.duration(Duration.ofMillis(1)));
        assertEquals("4m 5s", RateLimitCommand.duration(Duration.ofSeconds(245)));
        assertEquals("7h 12m", RateLimitCommand.duration(Duration.ofMinutes(432)));
        assertEquals("2d 3h", RateLimitCommand.duration(Duration.ofHours(51)));
    }
}
