package io.bgupdate.jmx.internal;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import io.bgupdate.jmx.BackgroundUpdatesMXBean;

/** The ObjectNames of the databases' MBeans. */
final class Names {

    private Names() {
    }

    /** @return {@code io.bgupdate:type=BackgroundUpdates,database=NAME}, the name quoted if it must be */
    static ObjectName of(String database) {
        String value = database.isEmpty() || database.matches(".*[,=:\"*?\\s\\\\].*") ? ObjectName.quote(database) : database;
        try {
            return new ObjectName(BackgroundUpdatesMXBean.DOMAIN + ":type=" + BackgroundUpdatesMXBean.TYPE + ",database=" + value);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no ObjectName for database " + database + ": " + e.getMessage(), e);
        }
    }
}
