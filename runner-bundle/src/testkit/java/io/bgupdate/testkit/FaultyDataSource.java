package io.bgupdate.testkit;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The fault-injection kit: a {@link DataSource} that fails chosen or random JDBC calls of the
 * real one it wraps, with an {@link SQLException} or an {@link Error}, and counts what it
 * injected. A fault comes before the real call, so the call does not happen, except
 * {@link Call#COMMIT_REPLY}: the commit happened, only its answer is lost. A connection failure
 * (SQLState class 08) also closes the real connection, as a database going away does, so no
 * transaction stays open behind it.
 */
public final class FaultyDataSource implements DataSource {

    /** The JDBC calls a fault can be injected into. */
    public enum Call {
        GET_CONNECTION, EXECUTE, COMMIT, COMMIT_REPLY, ROLLBACK, SET_AUTO_COMMIT, CLOSE
    }

    /** Decides, for each call, whether it fails and how. */
    public interface Plan {
        /**
         * @param sql the statement's SQL for {@link Call#EXECUTE}, if known; else null
         * @return the fault to throw instead of the call, or null to let it through
         */
        Throwable fault(Call call, String sql);
    }

    public static final Plan NONE = (call, sql) -> null;

    private final DataSource real;
    private volatile Plan plan = NONE;
    private final Map<Call, AtomicLong> injected = new ConcurrentHashMap<>();

    public FaultyDataSource(DataSource real) {
        this.real = real;
    }

    public FaultyDataSource plan(Plan next) {
        this.plan = next;
        return this;
    }

    /** @return a plan failing each of {@code calls} once, the {@code nth} time it comes (1: the next) */
    public static Plan nth(Call call, int nth, Throwable fault) {
        AtomicLong seen = new AtomicLong();
        return (c, sql) -> c == call && seen.incrementAndGet() == nth ? fault : null;
    }

    /** @return a plan failing every call of the kind */
    public static Plan always(Call call, Throwable fault) {
        return (c, sql) -> c == call ? fault : null;
    }

    /** @return a plan failing the first {@code times} statements whose SQL contains {@code fragment} */
    public static Plan sql(String fragment, int times, Throwable fault) {
        AtomicLong seen = new AtomicLong();
        return (c, sql) -> c == Call.EXECUTE && sql != null && sql.contains(fragment) && seen.incrementAndGet() <= times ? fault : null;
    }

    /** @return a plan failing the first {@code times} calls of the kind */
    public static Plan first(Call call, int times, Throwable fault) {
        AtomicLong seen = new AtomicLong();
        return (c, sql) -> c == call && seen.incrementAndGet() <= times ? fault : null;
    }

    /**
     * @param probability the chance that one of {@code calls} fails
     * @param errorShare the share of the faults that are {@link Error}s (a plug-in's
     *        {@code LinkageError}, say) rather than {@link SQLException}s; half the SQLExceptions
     *        are connection failures (SQLState 08006)
     * @return a random plan, repeatable by its seed
     */
    public static Plan random(long seed, double probability, Set<Call> calls, double errorShare) {
        Random random = new Random(seed);
        EnumSet<Call> chosen = EnumSet.copyOf(calls);
        return (c, sql) -> {
            synchronized (random) {
                if (!chosen.contains(c) || random.nextDouble() >= probability) {
                    return null;
                }
                double kind = random.nextDouble();
                return kind < errorShare ? new NoClassDefFoundError("injected into " + c)
                        : kind < errorShare + (1 - errorShare) / 2 ? new SQLTransientConnectionException("injected into " + c, "08006")
                        : new SQLException("injected into " + c, "XX000");
            }
        };
    }

    /** @return how many faults were injected, in all */
    public long injected() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** @return how many faults were injected into a kind of call */
    public long injected(Call call) {
        AtomicLong n = injected.get(call);
        return n == null ? 0 : n.get();
    }

    private void maybeFail(Call call) throws SQLException {
        maybeFail(call, null, null);
    }

    private void maybeFail(Call call, String sql, Connection real) throws SQLException {
        Throwable fault = plan.fault(call, sql);
        if (fault == null) {
            return;
        }
        if (real != null && fault instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            real.close(); // the server dropped the connection: its transaction is rolled back
        }
        injected.computeIfAbsent(call, c -> new AtomicLong()).incrementAndGet();
        if (fault instanceof SQLException e) {
            throw e;
        }
        if (fault instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) fault;
    }

    @Override
    public Connection getConnection() throws SQLException {
        maybeFail(Call.GET_CONNECTION);
        return wrap(real.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        maybeFail(Call.GET_CONNECTION);
        return wrap(real.getConnection(user, password));
    }

    private Connection wrap(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            switch (method.getName()) {
                case "commit" -> {
                    maybeFail(Call.COMMIT, null, c);
                    c.commit();
                    maybeFail(Call.COMMIT_REPLY, null, c);
                    return null;
                }
                case "rollback" -> maybeFail(Call.ROLLBACK, null, c);
                case "setAutoCommit" -> maybeFail(Call.SET_AUTO_COMMIT, null, c);
                case "close" -> maybeFail(Call.CLOSE, null, c);
                default -> { }
            }
            Object result = invoke(c, method, args);
            return result instanceof Statement s
                    ? wrap(s, method.getReturnType(), args != null && args.length > 0 && args[0] instanceof String sql ? sql : null, c)
                    : result;
        };
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private Object wrap(Statement s, Class<?> type, String prepared, Connection real) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                maybeFail(Call.EXECUTE, args != null && args.length > 0 && args[0] instanceof String sql ? sql : prepared, real);
            }
            return invoke(s, method, args);
        };
        return Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
