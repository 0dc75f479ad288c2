package io.bgupdate.runner.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The connection a handler gets: the batch's own, refusing what would break the transaction the
 * runner commits together with the progress ({@code commit}, {@code rollback}, {@code close},
 * {@code abort}, changing auto-commit, releasing or rolling back to a savepoint the handler did
 * not set). Everything else, statements and the handler's own savepoints included, goes to the
 * connection as is. It guards against mistakes, not malice: a statement's
 * {@code getConnection()} still returns the real connection.
 */
final class GuardedConnection implements InvocationHandler {

    /** The SQL state of a refusal: invalid transaction state. */
    static final String SQL_STATE = "25000";

    private final Connection target;
    private final Set<Savepoint> own = Collections.newSetFromMap(new IdentityHashMap<>());

    private GuardedConnection(Connection target) {
        this.target = target;
    }

    /** @return {@code batch} guarded as {@link io.bgupdate.api.handler.Batch#connection()} promises */
    static Connection guard(Connection batch) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new GuardedConnection(batch));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        switch (name) {
            case "commit", "close", "abort" -> throw refused(name, "the runner commits the batch's work together with its progress");
            case "rollback" -> {
                if (arity == 0 || !own.contains(args[0])) {
                    throw refused(arity == 0 ? "rollback" : "rollback to a savepoint the handler did not set",
                            "throw instead, and the runner rolls the batch back");
                }
            }
            case "releaseSavepoint" -> {
                if (!own.remove(args[0])) {
                    throw refused("releasing a savepoint the handler did not set", "it belongs to the runner");
                }
            }
            case "setAutoCommit" -> {
                if ((Boolean) args[0] != target.getAutoCommit()) {
                    throw refused("setAutoCommit(" + args[0] + ")", "the runner commits the batch's work together with its progress");
                }
                return null;
            }
            case "unwrap" -> {
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "batch connection (guarded) " + target;
            }
            default -> {
            }
        }
        try {
            Object result = method.invoke(target, args);
            if (name.equals("setSavepoint")) {
                own.add((Savepoint) result);
            }
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static SQLException refused(String what, String why) {
        return new SQLException("A handler must not call " + what + " on the batch's connection: " + why
                + " (bgupdate rule: do the work on batch.connection(), never commit, roll back or close it)", SQL_STATE);
    }
}
