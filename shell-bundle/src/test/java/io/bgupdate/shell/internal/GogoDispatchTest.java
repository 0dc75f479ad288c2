package io.bgupdate.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Arrays;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * How Gogo's real runtime (the version the host runs) maps command lines to the methods of
 * {@link BgUpdateCommands}, without a runner: a line that reaches the method meant for it fails
 * there on the absent service ({@link NullPointerException}, whose stack names the method), one
 * whose arguments fit no method fails with {@code _main}'s one-line usage ({@link CommandError}).
 */
public class GogoDispatchTest {

    private ThreadIOImpl threadIO;
    private CommandProcessorImpl processor;
    private CommandSession session;

    @Before
    public void setUp() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        BgUpdateCommands commands = new BgUpdateCommands(null, Clock.systemUTC());
        for (String function : new String[] { "status", "list", "history", "controllers", "pause", "resume",
                BgUpdateCommands.START_JOB }) {
            processor.addCommand(BgUpdateCommands.SCOPE, commands, function);
        }
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @After
    public void tearDown() {
        session.close();
        processor.stop();
        threadIO.stop();
    }

    @Test
    public void fittingArgumentsReachTheirMethod() {
        for (String line : new String[] { "bgupdate:status", "bgupdate:status main", "status main", "bgupdate:list",
                "bgupdate:list main", "bgupdate:history", "bgupdate:history main", "bgupdate:history -n 5 main",
                "bgupdate:history --rows 0", "bgupdate:controllers", "bgupdate:pause", "bgupdate:pause main",
                "bgupdate:resume", "bgupdate:resume 42", "bgupdate:start-job events_backfill",
                "bgupdate:start-job events_backfill main", "start-job events_backfill" }) {
            NullPointerException e = assertThrows(line, NullPointerException.class, () -> session.execute(line));
            String function = line.split(" ")[0].replace("bgupdate:", "");
            assertEquals(line, function.equals(BgUpdateCommands.START_JOB) ? "_main" : function, entry(e));
        }
    }

    /** @return the method of {@link BgUpdateCommands} that Gogo called */
    private static String entry(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        for (int i = stack.length - 1; i >= 0; i--) {
            if (stack[i].getClassName().equals(BgUpdateCommands.class.getName())) {
                return stack[i].getMethodName();
            }
        }
        throw new AssertionError("not called", e);
    }

    @Test
    public void startJobWithoutAnUpdateShowsItsUsage() {
        CommandError e = assertThrows(CommandError.class, () -> session.execute("bgupdate:start-job"));
        assertEquals("wrong arguments; usage: bgupdate:start-job <update> [database]", e.getMessage());
        assertEquals("error: wrong arguments; usage: bgupdate:start-job <update> [database]", e.toString());
        assertUsage("bgupdate:start-job a main extra", "bgupdate:start-job <update> [database]");
    }

    @Test
    public void surplusArgumentsShowTheUsage() {
        assertUsage("bgupdate:status main other", "bgupdate:status [database]");
        assertUsage("bgupdate:list main other", "bgupdate:list [database]");
        assertUsage("bgupdate:history main other", "bgupdate:history [-n rows] [database]");
        assertUsage("bgupdate:history -n", "bgupdate:history [-n rows] [database]");
        assertUsage("bgupdate:controllers main", "bgupdate:controllers");
        assertUsage("bgupdate:pause main other", "bgupdate:pause [database]");
        assertUsage("bgupdate:resume main other", "bgupdate:resume [database]");
    }

    @Test
    public void startJobDescribesItself() throws Exception {
        assertEquals("""
                start-job - queues a registered update again, from empty progress, to run once more
                   scope: bgupdate
                   parameters:
                      update     an update whose handler is registered for the database
                      database   the database; may be left out when only one is served""",
                session.execute("bgupdate:start-job --help"));
    }

    @Test
    public void optionsWhereDatabasesGoAreRejected() {
        CommandError e = assertThrows(CommandError.class, () -> session.execute("bgupdate:status --help"));
        assertEquals("error: unknown option --help; usage: bgupdate:status [database]", e.toString());
        e = assertThrows(CommandError.class, () -> session.execute("bgupdate:start-job events_backfill -x"));
        assertEquals("unknown option -x; usage: bgupdate:start-job <update> [database]", e.getMessage());
    }

    @Test
    public void badRowCountIsOneLine() {
        CommandError e = assertThrows(CommandError.class, () -> session.execute("bgupdate:history -n many main"));
        assertEquals("error: -n wants a number of rows, 0 for all, not 'many'", e.toString());
        e = assertThrows(CommandError.class, () -> session.execute("bgupdate:history --rows -3"));
        assertEquals("-n wants a number of rows, 0 for all, not '-3'", e.getMessage());
    }

    @Test
    public void everyCommandMethodIsDescribed() {
        for (Method m : BgUpdateCommands.class.getMethods()) {
            if (m.getDeclaringClass() == BgUpdateCommands.class) {
                assertTrue(m.toString(), m.isAnnotationPresent(Descriptor.class));
                assertTrue(m.toString(), Arrays.stream(m.getParameterAnnotations())
                        .allMatch(as -> Arrays.stream(as).anyMatch(Descriptor.class::isInstance)));
            }
        }
    }

    private void assertUsage(String line, String usage) {
        CommandError e = assertThrows(line, CommandError.class, () -> session.execute(line));
        assertEquals(line, "wrong arguments; usage: " + usage, e.getMessage());
    }
}
