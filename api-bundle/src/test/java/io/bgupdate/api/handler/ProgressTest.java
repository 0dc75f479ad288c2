package io.bgupdate.api.handler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ProgressTest {

    @Test
    public void roundTripsStringsNumbersAndBooleans() {
        Progress p = Progress.empty().with("last_id", 1200).with("table", "ev\"ents\n").with("done", true);
        Progress back = Progress.parse(p.toJson());
        assertEquals(p, back);
        assertEquals(1200, back.getLong("last_id", 0));
        assertEquals("ev\"ents\n", back.getString("table", null));
        assertTrue(back.getBoolean("done", false));
    }

    @Test
    public void readsSynapseStyleJson() {
        Progress p = Progress.parse(" { \"last_stream_ordering\" : -5 , \"rows\": 0, \"x\": null } ");
        assertEquals(-5, p.getLong("last_stream_ordering", 0));
        assertEquals(7, p.getLong("x", 7));
        assertEquals("{\"last_stream_ordering\":-5,\"rows\":0}", p.toJson());
    }

    @Test
    public void emptyAndBlankAreEmpty() {
        assertTrue(Progress.parse(null).isEmpty());
        assertTrue(Progress.parse("{}").isEmpty());
        assertEquals("{}", Progress.empty().toJson());
    }

    @Test
    public void refusesNestedOrMalformedJson() {
        assertThrows(IllegalArgumentException.class, () -> Progress.parse("{\"a\":{\"b\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> Progress.parse("{\"a\":1.5}"));
        assertThrows(IllegalArgumentException.class, () -> Progress.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Progress.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Progress.parse("{\"a\":\"b}"));
    }

    @Test
    public void typedGettersRefuseOtherTypes() {
        Progress p = Progress.empty().with("a", "text");
        assertThrows(IllegalArgumentException.class, () -> p.getLong("a", 0));
        assertThrows(IllegalArgumentException.class, () -> p.getBoolean("a", false));
    }
}
