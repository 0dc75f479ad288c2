package io.bgupdate.examples.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The next key range of a batch: the keys after the last one processed, at most the batch size
 * of them, found with one indexed query. The batch then works on {@code key > from AND key <= to},
 * which touches exactly those rows.
 *
 * @param count the number of keys in the range, 0 when nothing is left
 * @param to the last key of the range; {@code null} when nothing is left
 */
record KeyRange(int count, Object to) {

    /**
     * @param sql a query of {@code MAX(key), COUNT(*)} over the first keys after a bound, in
     *        order, limited: its parameters are the bound, then any {@code extra}, then the limit
     * @param from the last key processed
     * @param limit the batch size
     * @param extra parameters between the bound and the limit
     */
    static KeyRange next(Connection c, String sql, Object from, int limit, Object... extra) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            p.setObject(i++, from);
            for (Object e : extra) {
                p.setObject(i++, e);
            }
            p.setInt(i, limit);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return new KeyRange(rs.getInt(2), rs.getObject(1));
            }
        }
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** @param size the batch size asked for @return whether these are the last keys */
    boolean isLast(int size) {
        return count < size;
    }

    long toLong() {
        return ((Number) to).longValue();
    }
}
