package io.bgupdate.examples.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.Constants;

import io.bgupdate.api.handler.IndexUpdate;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/** The example application's background updates, with the service properties that queue them. */
final class ExampleUpdates {

    static final String BACKFILL = "events_sender_domain_backfill";
    static final String INDEX = "events_sender_domain_index";
    static final String PURGE = "events_purge_expired";
    static final String ROOM_STATS = "room_stats_populate";

    /**
     * One update to register.
     *
     * @param dependsOn the update that must complete first, or {@code null}
     */
    record Registration(String name, UpdateHandler handler, int ordering, String dependsOn, String description) {

        /** @param databaseName the database the update belongs to */
        Dictionary<String, Object> properties(String databaseName) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(UpdateProperties.NAME, name);
            props.put(UpdateProperties.ORDERING, ordering);
            props.put(UpdateProperties.DATABASE, databaseName);
            if (dependsOn != null) {
                props.put(UpdateProperties.DEPENDS_ON, dependsOn);
            }
            props.put(Constants.SERVICE_DESCRIPTION, description);
            return props;
        }
    }

    private ExampleUpdates() {
    }

    /**
     * In the order they run: the back-fill, then the index that needs it, then the purge, then
     * the summary of what is left.
     */
    static List<Registration> all(Duration retention, Clock clock) {
        return List.of(
                new Registration(BACKFILL, new SenderDomainBackfill(), 0, null,
                        "Fills events.sender_domain for the events stored before the column existed"),
                new Registration(INDEX, IndexUpdate.on("events", "sender_domain").named("events_sender_domain_idx").build(),
                        0, BACKFILL, "Indexes events.sender_domain once it is filled"),
                new Registration(PURGE, new ExpiredEventsPurge(retention, clock), 1, null,
                        "Deletes the events older than " + retention.toDays() + " days"),
                new Registration(ROOM_STATS, new RoomStatsPopulate(), 2, PURGE,
                        "Populates the room_stats summary table"));
    }
}
