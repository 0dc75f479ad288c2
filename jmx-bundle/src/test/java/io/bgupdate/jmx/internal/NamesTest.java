package io.bgupdate.jmx.internal;

import static org.junit.Assert.assertEquals;

import javax.management.ObjectName;

import org.junit.Test;

public class NamesTest {

    @Test
    public void plainNamesAsTheyAre() {
        assertEquals("io.bgupdate:type=BackgroundUpdates,database=main", Names.of("main").toString());
    }

    @Test
    public void namesAnObjectNameCannotHoldAreQuotedAndComeBackUnchanged() throws Exception {
        for (String db : new String[] {"a,b", "x=y", "c:d", "star*", "q?", "with space", "quote\"d", ""}) {
            ObjectName name = Names.of(db);
            assertEquals(db, ObjectName.unquote(name.getKeyProperty("database")));
            assertEquals("BackgroundUpdates", name.getKeyProperty("type"));
        }
    }
}
