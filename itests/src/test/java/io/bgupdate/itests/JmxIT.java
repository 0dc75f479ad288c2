package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.lang.management.ManagementFactory;
import java.util.Hashtable;
import java.util.Map;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.RunnerState;
import io.bgupdate.jmx.BackgroundUpdatesMXBean;

/**
 * The MXBean of a database on the platform MBean server, as jconsole sees it: attributes of a
 * running update, pause and resume through JMX, a clear error for a bad start-job.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class JmxIT extends BgupdateTestSupport {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(bundle(Felix.bundleFile("bgupdate-jmx").toUri().toString()));
    }

    private ObjectName onPlatformServer() throws Exception {
        configAdmin.getConfiguration("io.bgupdate.jmx.platform", "?").update(new Hashtable<>(Map.of()));
        ObjectName name = new ObjectName("io.bgupdate:type=BackgroundUpdates,database=" + DB);
        Await.until(name + " on the platform MBean server", () -> server.isRegistered(name));
        return name;
    }

    @Test
    public void attributesOfARunningUpdateAndPauseResumeThroughJmx() throws Exception {
        ObjectName name = onPlatformServer();
        assertEquals("COMPLETE", server.getAttribute(name, "State"));

        noSleep();
        Backfill backfill = Backfill.create(db, "items", 100_000);
        backfill.microsPerItem.set(20);
        handler("items_backfill", backfill);
        awaitStatus("a few batches of items_backfill", s -> s.current().filter(c -> c.batches() >= 3).isPresent());

        assertEquals("RUNNING", server.getAttribute(name, "State"));
        assertEquals(DB, server.getAttribute(name, "DatabaseName"));
        assertEquals(status().host(), server.getAttribute(name, "Host"));
        assertEquals(status().host(), server.getAttribute(name, "RunsOn"));
        assertEquals("items_backfill", server.getAttribute(name, "CurrentUpdate"));
        long done = (Long) server.getAttribute(name, "ItemsDone");
        long remaining = (Long) server.getAttribute(name, "ItemsRemaining");
        assertTrue(done + " done", done > 0);
        assertTrue(remaining + " left", remaining > 0 && remaining < 100_000);
        double percent = (Double) server.getAttribute(name, "PercentDone");
        assertTrue(percent + "%", percent > 0 && percent < 100);
        assertTrue((Double) server.getAttribute(name, "ItemsPerSecond") > 0);
        assertTrue((Long) server.getAttribute(name, "EtaSeconds") >= 0);
        assertTrue((Long) server.getAttribute(name, "TotalItems") > 0);
        assertArrayEquals(new String[] {"items_backfill"}, (String[]) server.getAttribute(name, "Queue"));
        assertEquals("io.bgupdate.runner.internal.DefaultController (bundle io.bgupdate.runner, service 0, ranking 0, built-in)",
                server.getAttribute(name, "Controller"));
        assertTrue(((TabularData) server.getAttribute(name, "Faults")).isEmpty());
        assertEquals(0L, server.getAttribute(name, "FaultCount"));
        assertArrayEquals(new String[0], (String[]) server.getAttribute(name, "Errors"));

        server.invoke(name, "pause", null, null);
        assertEquals("paused through JMX", RunnerState.DISABLED, updates.status(DB).state());
        assertEquals("DISABLED", server.getAttribute(name, "State"));
        long paused = backfill.calls.size();
        pauseFor(java.time.Duration.ofMillis(500));
        assertTrue("at most the batch in flight ran after the pause", backfill.calls.size() <= paused + 1);

        server.invoke(name, "resume", null, null);
        awaitStatus("running again", s -> s.state() == RunnerState.RUNNING);
        BackgroundUpdatesMXBean proxy = JMX.newMXBeanProxy(server, name, BackgroundUpdatesMXBean.class);
        assertEquals("RUNNING", proxy.getState());
        try {
            server.invoke(name, "startJob", new Object[] {"nope"}, new String[] {String.class.getName()});
            fail("startJob of an unknown update");
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertEquals("no handler is registered for update 'nope' on database main", cause.getMessage());
        }
        assertEquals("signature shows the parameter's name", "updateName",
                server.getMBeanInfo(name).getOperations()[0].getName().equals("startJob")
                        ? server.getMBeanInfo(name).getOperations()[0].getSignature()[0].getName()
                        : java.util.Arrays.stream(server.getMBeanInfo(name).getOperations()).filter(o -> o.getName().equals("startJob"))
                                .findFirst().orElseThrow().getSignature()[0].getName());
    }

    @Test
    public void onlyWhenConfiguredAndGoneWithTheConfiguration() throws Exception {
        ObjectName pattern = new ObjectName("io.bgupdate:type=BackgroundUpdates,*");
        Await.until("the MXBean service", () -> context.getServiceReference(javax.management.DynamicMBean.class) != null);
        assertEquals("io.bgupdate:type=BackgroundUpdates,database=" + DB,
                context.getServiceReference(javax.management.DynamicMBean.class).getProperty("jmx.objectname"));
        assertTrue("not on the platform server before the registrar is configured", server.queryNames(pattern, null).isEmpty());
        onPlatformServer();
        configAdmin.getConfiguration("io.bgupdate.jmx.platform", "?").delete();
        Await.until("unregistered with the configuration", () -> server.queryNames(pattern, null).isEmpty());
        assertFalse(server.isRegistered(new ObjectName("io.bgupdate:type=BackgroundUpdates,database=" + DB)));
    }
}
