package io.bgupdate.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The calls of one handler, appended by the runner thread and read by the harness. Guarded by this. */
final class Calls {

    private final List<Call> calls = new ArrayList<>();

    synchronized void add(Call c) {
        calls.add(c);
    }

    synchronized int size() {
        return calls.size();
    }

    synchronized Call get(int i) {
        return calls.get(i);
    }

    synchronized List<Call> snapshot() {
        return List.copyOf(calls);
    }

    /** @return the first call from index {@code from} on that started at or after {@code nanos} and matches the owner test */
    synchronized Call firstFrom(int from, long nanos, java.util.function.Predicate<String> owner) {
        for (int i = from; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (c.start() >= nanos && owner.test(c.owner())) {
                return c;
            }
        }
        return null;
    }
}
