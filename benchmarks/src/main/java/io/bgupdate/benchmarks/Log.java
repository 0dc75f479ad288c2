package io.bgupdate.benchmarks;

import java.util.Locale;

/** Progress lines on standard output, with the seconds since the run began. */
final class Log {

    private final long t0 = System.nanoTime();

    void line(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - t0) / 1e9, String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
