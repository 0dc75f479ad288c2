package io.bgupdate.itests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.UpdateHandler;

/** A handler that completes after a given number of batches and writes down when it ran into a shared log. */
class Counting implements UpdateHandler {

    final String name;
    final int batches;
    final List<String> log;
    final AtomicInteger runs = new AtomicInteger();

    Counting(String name, int batches, List<String> log) {
        this.name = name;
        this.batches = batches;
        this.log = log;
    }

    Counting(String name) {
        this(name, 1, new CopyOnWriteArrayList<>());
    }

    @Override
    public int run(Batch batch) {
        runs.incrementAndGet();
        log.add(name);
        long done = batch.progress().getLong("batches", 0) + 1;
        if (done >= batches) {
            batch.complete();
        } else {
            batch.saveProgress(batch.progress().with("batches", done));
        }
        return 1;
    }
}
