package io.bgupdate.api.handler;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

public class IndexUpdateTest {

    @Test
    public void describesTheIndex() {
        IndexUpdate i = IndexUpdate.on("events", "kind", "ts").unique().where("kind IS NOT NULL").replacing("old_idx").build();
        assertEquals("events_kind_ts_idx", i.indexName());
        assertEquals(List.of("kind", "ts"), i.columns());
        assertTrue(i.unique());
        assertEquals(Optional.of("kind IS NOT NULL"), i.where());
        assertEquals(Optional.of("old_idx"), i.replaces());
        assertTrue(i.oneShot());
    }

    @Test
    public void refusesNamesThatAreNotPlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> IndexUpdate.on("events; DROP TABLE x", "kind"));
        assertThrows(IllegalArgumentException.class, () -> IndexUpdate.on("events", "1kind"));
        assertThrows(IllegalArgumentException.class, () -> IndexUpdate.on("events"));
        assertThrows(IllegalArgumentException.class, () -> IndexUpdate.on("events", "kind").named("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> IndexUpdate.on("events", "kind").named("x".repeat(64)));
    }

    @Test
    public void constraintValidationChecksItsNames() {
        assertTrue(new ConstraintValidation("events", "events_room_fk").oneShot());
        assertThrows(IllegalArgumentException.class, () -> new ConstraintValidation("events", "fk; DROP TABLE x"));
        assertThrows(IllegalArgumentException.class, () -> new ConstraintValidation("", "fk"));
        assertEquals(new ConstraintValidation("events", "events_room_fk"), new ConstraintValidation("events", "events_room_fk"));
    }

    @Test
    public void readyMadeUpdatesAreDescriptionsNotCode() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> IndexUpdate.on("events", "kind").build().run(null));
        assertTrue(e.getMessage(), e.getMessage().contains("executes it"));
        assertThrows(UnsupportedOperationException.class, () -> new ConstraintValidation("events", "fk").run(null));
    }
}
