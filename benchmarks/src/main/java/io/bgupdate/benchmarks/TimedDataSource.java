package io.bgupdate.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * A {@link DataSource} that delegates to another and times, outside the handler call only, what
 * the runner does with it around each batch: opening and closing connections, executing
 * statements, and committing. The handler marks its call with {@link #inHandler}, so the rest of
 * the time between two handler calls can be attributed: database work of the runner, or the
 * runner's own Java. Used for one attribution run, never for the headline figures.
 */
final class TimedDataSource {

    /** Nanoseconds and counts of one kind of call made outside the handler. */
    static final class Cost {
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong count = new AtomicLong();

        void add(long n) {
            nanos.addAndGet(n);
            count.incrementAndGet();
        }
    }

    final Cost connect = new Cost();
    final Cost close = new Cost();
    final Cost execute = new Cost();
    final Cost commit = new Cost();
    final Cost other = new Cost();
    /** Set by the handler for the length of its call; the runner uses one thread per database. */
    volatile boolean inHandler;
    private final DataSource target;

    TimedDataSource(DataSource target) {
        this.target = target;
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
            if (m.getName().equals("getConnection")) {
                long t0 = System.nanoTime();
                Connection c = (Connection) invoke(target, m, args);
                account(connect, t0);
                return wrap(c);
            }
            return invoke(target, m, args);
        });
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (p, m, args) -> {
            long t0 = System.nanoTime();
            Object result = invoke(c, m, args);
            switch (m.getName()) {
                case "commit" -> account(commit, t0);
                case "close" -> account(close, t0);
                case "createStatement", "prepareStatement" -> {
                    account(other, t0);
                    return wrapStatement((Statement) result, m.getReturnType());
                }
                default -> account(other, t0);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Object wrapStatement(Statement s, Class<?> type) {
        InvocationHandler h = (p, m, args) -> {
            long t0 = System.nanoTime();
            Object result = invoke(s, m, args);
            account(m.getName().startsWith("execute") ? execute : other, t0);
            return result;
        };
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private void account(Cost cost, long t0) {
        if (!inHandler) {
            cost.add(System.nanoTime() - t0);
        }
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
