package io.bgupdate.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * The framework every test runs in: Felix with SCR, Config Admin, Metatype, H2 and bgupdate,
 * all installed from the files Maven copied to {@code target/bundles}, and a database
 * directory of its own.
 */
final class Felix {

    /** The runtime bundles, in install order, with the JDBC driver of the database the tests run on. */
    static final List<String> RUNTIME = List.of("slf4j-api", "slf4j-simple", "org.osgi.util.function", "org.osgi.util.promise",
            "org.osgi.service.component", "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.log",
            "org.apache.felix.metatype", "org.osgi.service.jdbc", TestDatabase.postgres() ? "postgresql" : "h2");

    static final List<String> BGUPDATE = List.of("bgupdate-runner", "bgupdate-datasource");

    private Felix() {
    }

    static Path bundleFile(String name) {
        return Path.of(System.getProperty("bundles.dir", "target/bundles"), name + ".jar");
    }

    static Path newDataDir() {
        try {
            Path work = Path.of(System.getProperty("itest.work.dir", "target/itest-work"));
            Files.createDirectories(work);
            return Files.createTempDirectory(work, "db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return Pax Exam options for a framework with bgupdate on a new embedded database */
    static Option[] withBgupdate(Option... extra) {
        return options(
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"),
                frameworkProperty("bgupdate.data.dir").value(newDataDir().toString()),
                junitBundles(),
                bundles("bgupdate-api"),
                bundles(RUNTIME.toArray(String[]::new)),
                bundles(BGUPDATE.toArray(String[]::new)),
                composite(extra));
    }

    /** The Gogo runtime and the bgupdate commands. */
    static Option shell() {
        return bundles("org.apache.felix.gogo.runtime", "bgupdate-shell");
    }

    /** The rate-limit controller bundle, installed but not started: a test starts it to swap it in. */
    static Option rateLimitController() {
        return bundle(bundleFile("bgupdate-ratelimit-controller").toUri().toString()).noStart();
    }

    /** The adaptive controller bundle, installed but not started: a test starts it to swap it in. */
    static Option adaptiveController() {
        return bundle(bundleFile("bgupdate-adaptive-controller").toUri().toString()).noStart();
    }

    private static Option bundles(String... names) {
        Option[] result = new Option[names.length];
        for (int i = 0; i < names.length; i++) {
            String url = bundleFile(names[i]).toUri().toString();
            result[i] = bundle(url);
        }
        return composite(result);
    }
}
