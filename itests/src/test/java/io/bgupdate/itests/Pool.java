package io.bgupdate.itests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

/**
 * A minimal connection pool, as Hikari behaves for what the runner sees: {@code close()} gives
 * the connection back to the pool as it is (session settings and advisory locks included), and
 * the next {@code getConnection()} hands out the same physical connection; {@code abort} ends it.
 */
final class Pool {

    final List<Connection> physical = new CopyOnWriteArrayList<>();
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final DataSource real;

    Pool(DataSource real) {
        this.real = real;
    }

    /** @return a connection of its own, outside the pool, for a test's checks */
    Connection outside() throws SQLException {
        return real.getConnection();
    }

    /** @return the pool as a DataSource (only getConnection() is used by the runner) */
    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
            if (m.getName().equals("getConnection")) {
                return borrow();
            }
            return invoke(real, m, args);
        });
    }

    private Connection borrow() throws SQLException {
        Connection c;
        synchronized (idle) {
            c = idle.poll();
        }
        if (c == null || c.isClosed()) {
            c = real.getConnection();
            physical.add(c);
        }
        Connection borrowed = c;
        boolean[] returned = {false};
        return (Connection) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, args) -> {
            switch (m.getName()) {
                case "close":
                    if (!returned[0]) {
                        returned[0] = true;
                        if (!borrowed.getAutoCommit()) {
                            borrowed.rollback();
                            borrowed.setAutoCommit(true);
                        }
                        synchronized (idle) {
                            idle.push(borrowed);
                        }
                    }
                    return null;
                case "isClosed":
                    return returned[0] || borrowed.isClosed();
                default:
                    return invoke(borrowed, m, args);
            }
        });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
