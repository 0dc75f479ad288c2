package io.bgupdate.distribution.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The launcher of the bgupdate host ({@code bin/bgupdate}): starts Apache Felix with the bundles
 * of {@code bundle/} and the framework properties of {@code conf/config.properties}.
 *
 * <p>Interactive (the default), the Gogo shell owns the terminal and the host runs until the
 * shell exits; {@code --no-shell} runs it without a shell until it is stopped. This jar is
 * installed as a bundle too, whose {@code ExecServer} answers {@code bin/bgupdate --exec} (the
 * {@link ExecClient}). With {@code --until-complete} the shell is not started; the bundle's
 * {@code UntilComplete} component watches the runner and hands back an exit code through an
 * {@link IntConsumer} service that the launcher registers. When standard input is not a
 * terminal ({@code bin/bgupdate} tells by {@value #STDIN_TTY}), the bundle's
 * {@code PipedCommands} runs the lines read from it and hands back an exit code the same way.
 * A JDK type is the only thing the two class loaders share. The launcher alone stops the
 * framework and exits, and it bounds every wait of {@code --until-complete}, so that run always ends.
 */
public final class Launcher {

    /** Exit code: the host could not start, or the command line was wrong. */
    public static final int START_FAILED = 1;
    /** Exit code: the runner stopped a database's updates after repeated failures. */
    public static final int ABORTED = 2;
    /** Exit code: the updates did not complete within {@code --timeout}. */
    public static final int TIMED_OUT = 3;

    /** Exit code of {@code --exec}: no host is reachable (none running, or the credentials refused). */
    public static final int UNREACHABLE = 4;

    /** Service property of the launcher's exit {@link IntConsumer}: {@value #UNTIL_COMPLETE} or {@value #PIPED}. */
    public static final String EXIT_SERVICE = "bgupdate.launcher.exit";
    /** {@link #EXIT_SERVICE} in {@code --until-complete} mode. */
    public static final String UNTIL_COMPLETE = "until-complete";
    /** {@link #EXIT_SERVICE} when the commands come from a standard input that is not a terminal. */
    public static final String PIPED = "piped";
    /** System property set by {@code bin/bgupdate}: {@code false} when standard input is not a terminal. */
    static final String STDIN_TTY = "bgupdate.stdin.tty";
    /** Framework property: the directory of {@code --exec}'s credentials file. */
    public static final String DATA_DIR = "bgupdate.data.dir";
    /**
     * Service property of a marker service ({@code java.lang.Object}) that a bundle registers
     * while it prepares updates still to be registered (the example application, while it
     * generates its data): {@code --until-complete} does not decide meanwhile.
     */
    public static final String PREPARING = "bgupdate.preparing";
    /** Framework property: milliseconds between two progress lines at most, in {@code --until-complete} mode. */
    public static final String PROGRESS_MILLIS = "bgupdate.progress.ms";
    /** Framework property prefix: {@code bgupdate.startlevel.N} lists the symbolic names of the bundles of start level N. */
    static final String START_LEVEL = "bgupdate.startlevel.";
    /** Framework property: symbolic names of the bundles not started in {@code --until-complete} mode. */
    static final String INTERACTIVE_BUNDLES = "bgupdate.bundles.interactive";
    /** System properties of slf4j-simple, taken from {@code conf/config.properties} unless set. */
    private static final String SLF4J_SIMPLE = "org.slf4j.simpleLogger.";
    private static final String LOG_FILE = "bgupdate.log";
    private static final int LOG_GENERATIONS = 5;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path home;
    private final Options options;
    private final PrintStream out = System.out;
    /** Felix HTTP logs through java.util.logging (org.apache.felix.http.log.jul): only its warnings reach the console. */
    private static final java.util.logging.Logger HTTP_LOG = java.util.logging.Logger.getLogger("org.apache.felix.http");
    /** The Web Console's URL (and its password, when generated at this start), for the console and the log. */
    private String webConsole;

    private Launcher(Path home, Options options) {
        this.home = home;
        this.options = options;
    }

    /** @param args see {@link Options#USAGE} */
    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("bgupdate.home", ".")).toAbsolutePath().normalize();
        Options options;
        try {
            options = Options.parse(args, System.getenv(), home);
        } catch (IllegalArgumentException e) {
            System.err.println("bgupdate: " + e.getMessage());
            System.exit(START_FAILED);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            System.exit(0);
        }
        if (options.exec() != null) {
            System.exit(ExecClient.run(options.dataDir(), options.exec(), options.timeout(), System.out, System.err));
        }
        System.exit(new Launcher(home, options).run());
    }

    private int run() {
        long start = System.nanoTime();
        boolean piped = !options.untilComplete() && !options.noShell() && "false".equals(System.getProperty(STDIN_TTY));
        String watch = options.untilComplete() ? UNTIL_COMPLETE : piped ? PIPED : null;
        if (options.untilComplete()) {
            startWatchdog(options.timeout().plus(STOP_GRACE).plusSeconds(10));
        }
        Framework framework;
        try {
            framework = create(!options.noShell() && watch == null);
        } catch (IOException | BundleException | URISyntaxException | RuntimeException e) {
            System.err.println("bgupdate: cannot start the host: " + e.getMessage());
            return START_FAILED;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "bgupdate-shutdown"));
        PrintStream console = piped ? System.err : out;
        console.printf("bgupdate host: data %s, log %s, configuration %s, deploy %s%n", options.dataDir(),
                options.logDir().resolve(LOG_FILE), options.etcDir(), options.deployDir());
        console.println(webConsole);
        logInfo(framework, webConsole);
        if (watch == null) {
            try {
                framework.start();
                framework.waitForStop(0);
                return 0;
            } catch (BundleException e) {
                System.err.println("bgupdate: cannot start the host: " + e.getMessage());
                return START_FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return START_FAILED;
            }
        }
        return watched(framework, start, watch);
    }

    /**
     * Starts the framework and waits for the verdict of this jar's bundle, which watches the
     * updates ({@code --until-complete}, until the deadline) or runs the piped commands. The
     * watcher gives none while the framework is still starting, so a host still starting is
     * never taken for one with nothing to do.
     */
    private int watched(Framework framework, long startNanos, String watch) {
        CompletableFuture<Integer> verdict = new CompletableFuture<>();
        int code;
        String timedOut = null;
        try {
            BundleContext system = framework.getBundleContext();
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(EXIT_SERVICE, watch);
            system.registerService(IntConsumer.class, verdict::complete, props);
            Thread starter = new Thread(() -> {
                try {
                    framework.start();
                    framework.waitForStop(0);
                    // stopped by someone else: no verdict; piped commands may end with 'stop 0'
                    verdict.complete(PIPED.equals(watch) ? 0 : START_FAILED);
                } catch (BundleException e) {
                    System.err.println("bgupdate: cannot start the host: " + e.getMessage());
                    verdict.complete(START_FAILED);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bgupdate-start");
            starter.setDaemon(true);
            starter.start();
            long left = options.untilComplete() ? options.timeout().toNanos() - (System.nanoTime() - startNanos) : Long.MAX_VALUE;
            code = verdict.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            BundleContext system = framework.getBundleContext();
            boolean runner = system != null && system.getServiceReference("io.bgupdate.api.BackgroundUpdates") != null;
            // printed once the framework has stopped, so that it is the last line, after the watcher's
            timedOut = String.format("bgupdate: timed out after %d s with updates still to run%s%n", options.timeout().toSeconds(),
                    runner ? "" : " (the runner never started: see the log)");
            code = TIMED_OUT;
        } catch (ExecutionException | RuntimeException e) {
            System.err.println("bgupdate: cannot start the host: " + e.getMessage());
            code = START_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = START_FAILED;
        }
        boolean stopped = stop(framework);
        if (timedOut != null) {
            out.print(timedOut);
            out.flush();
        }
        if (!stopped) {
            System.err.println("bgupdate: the framework did not stop within " + STOP_GRACE.toSeconds() + " s; halting");
            Runtime.getRuntime().halt(code == 0 ? TIMED_OUT : code);
        }
        return code;
    }

    /** @param shell whether the interactive shell starts */
    private Framework create(boolean shell) throws IOException, BundleException, URISyntaxException {
        Files.createDirectories(options.dataDir());
        Files.createDirectories(options.logDir());
        Files.createDirectories(options.deployDir());
        rotateLog(options.logDir().resolve(LOG_FILE));
        Map<String, String> variables = new HashMap<>();
        variables.put("bgupdate.home", home.toString());
        variables.put(DATA_DIR, options.dataDir().toString());
        variables.put("bgupdate.deploy.dir", options.deployDir().toString());
        variables.put("bgupdate.log.dir", options.logDir().toString());
        variables.put("bgupdate.etc.dir", options.etcDir().toString());
        Map<String, String> config = HostConfig.load(home.resolve("conf/config.properties"),
                name -> variables.getOrDefault(name, System.getProperty(name)), System::getProperty);
        config.putAll(variables);
        if (options.httpPort() > 0) {
            config.put("org.osgi.service.http.port", Integer.toString(options.httpPort()));
        }
        webConsole = WebConsoleAccess.prepare(config, options.dataDir());
        HTTP_LOG.setLevel(java.util.logging.Level.WARNING);
        if (options.untilComplete()) {
            config.put(PROGRESS_MILLIS, Long.toString(options.progressEvery().toMillis()));
        }
        config.forEach((k, v) -> {
            if (k.startsWith(SLF4J_SIMPLE) && System.getProperty(k) == null) {
                System.setProperty(k, v); // slf4j-simple reads system properties only
            }
        });
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (lib/)"));
        Framework framework = factory.newFramework(config);
        framework.init();
        install(framework.getBundleContext(), config, shell);
        return framework;
    }

    /**
     * Installs every jar of {@code bundle/} in name order, each at the start level that
     * {@code bgupdate.startlevel.N} gives it, else at {@code felix.startlevel.bundle}, and this
     * jar at the latter. Without the shell, the bundles of {@code bgupdate.bundles.interactive}
     * are installed but not started.
     */
    private void install(BundleContext context, Map<String, String> config, boolean shell)
            throws IOException, BundleException, URISyntaxException {
        Map<String, Integer> levels = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(START_LEVEL)) {
                int level = Integer.parseInt(k.substring(START_LEVEL.length()));
                names(v).forEach(bsn -> levels.put(bsn, level));
            }
        });
        Set<String> interactiveOnly = shell ? Set.of() : names(config.get(INTERACTIVE_BUNDLES));
        int level = defaultStartLevel(context.getBundle(0));
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(home.resolve("bundle"), "*.jar")) {
            dir.forEach(jars::add);
        }
        jars.sort(null);
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(context.installBundle(jar.toUri().toString()));
        }
        installed.add(context.installBundle(ownJar().toUri().toString()));
        for (Bundle b : installed) {
            b.adapt(BundleStartLevel.class).setStartLevel(levels.getOrDefault(b.getSymbolicName(), level));
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && !interactiveOnly.contains(b.getSymbolicName())) {
                b.start(); // persistently marked; actually started when the framework reaches its level
            }
        }
    }

    private static int defaultStartLevel(Bundle systemBundle) {
        String level = systemBundle.getBundleContext().getProperty("felix.startlevel.bundle");
        return level == null ? 1 : Integer.parseInt(level.trim());
    }

    private static Set<String> names(String list) {
        return list == null || list.isBlank() ? Set.of() : new HashSet<>(Arrays.asList(list.trim().split("[,\\s]+")));
    }

    /** slf4j-simple truncates its file: keep the last few runs' logs as {@code bgupdate.log.1} and on. */
    private static void rotateLog(Path log) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        for (int i = LOG_GENERATIONS - 1; i >= 1; i--) {
            Path older = log.resolveSibling(LOG_FILE + "." + i);
            if (Files.exists(older)) {
                Files.move(older, log.resolveSibling(LOG_FILE + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(log, log.resolveSibling(LOG_FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes a line to the host's log, through the slf4j of the framework (the launcher has none of its own). */
    private static void logInfo(Framework framework, String line) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if ("slf4j.api".equals(b.getSymbolicName())) {
                try {
                    Object logger = b.loadClass("org.slf4j.LoggerFactory").getMethod("getLogger", String.class)
                            .invoke(null, "io.bgupdate.host");
                    b.loadClass("org.slf4j.Logger").getMethod("info", String.class).invoke(logger, line);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    System.err.println("bgupdate: cannot write to the log: " + e);
                }
                return;
            }
        }
    }

    private static Path ownJar() throws URISyntaxException {
        return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** @return whether the framework has stopped (or never ran) */
    private static boolean stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                framework.stop();
            }
            return framework.waitForStop(STOP_GRACE.toMillis()).getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException e) {
            System.err.println("bgupdate: stopping the framework failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last resort of a bounded run: ends the process whatever the framework is doing. */
    private static void startWatchdog(Duration limit) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                System.err.println("bgupdate: still running " + limit.toSeconds() + " s after start; halting");
                Runtime.getRuntime().halt(TIMED_OUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bgupdate-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
