package io.bgupdate.distribution.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The command line of {@code bin/bgupdate}.
 *
 * @param untilComplete run without a shell until every queued update has completed
 * @param timeout with {@link #untilComplete}: when to give up
 * @param progressEvery with {@link #untilComplete}: the longest time between two progress lines
 * @param dataDir the database and the framework cache
 * @param logDir the log file
 * @param etcDir the {@code *.cfg} files FileInstall watches
 * @param help print the usage and exit
 * @param deployDir the bundle jars FileInstall installs, updates and uninstalls
 * @param exec a command to run in the host already running on {@link #dataDir}, or {@code null}
 * @param noShell run the host without a shell until it is stopped
 * @param httpPort the Web Console's port, replacing {@code org.osgi.service.http.port}; 0 to keep that
 */
record Options(boolean untilComplete, Duration timeout, Duration progressEvery, Path dataDir, Path logDir, Path etcDir,
        boolean help, Path deployDir, String exec, boolean noShell, int httpPort) {

    /** {@code --timeout} with {@code --exec}, unless told. */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    static final String USAGE = String.join("\n",
            "Usage: bgupdate [options]",
            "Starts the bgupdate host (Apache Felix) with the interactive Gogo shell; 'exit' or Ctrl-D stops it.",
            "",
            "  --until-complete     run without a shell until every queued background update has completed,",
            "                       printing progress; exit 0 when done, 2 if updates were ABORTED, 3 on",
            "                       timeout, 1 if the host could not start",
            "  --timeout SECONDS    with --until-complete: give up after this long (default 1800)",
            "  --progress SECONDS   with --until-complete: a progress line at least this often (default 5)",
            "  --data-dir DIR       the H2 database and the framework cache (default ./data; $BGUPDATE_DATA_DIR)",
            "  --log-dir DIR        where bgupdate.log is written (default ./log; $BGUPDATE_LOG_DIR)",
            "  --etc DIR            the *.cfg files watched by FileInstall (default <host>/etc; $BGUPDATE_ETC_DIR)",
            "  --deploy DIR         bundle jars installed, updated and uninstalled as they are dropped, replaced",
            "                       and deleted here (default: deploy/ next to the etc directory; $BGUPDATE_DEPLOY_DIR)",
            "  --no-shell           run without a shell until stopped (SIGTERM, Ctrl-C, or --exec 'stop 0')",
            "  --exec COMMAND       run one Gogo command in the host running on --data-dir, print its answer and",
            "                       exit 0, or 1 if it failed ('error: ...'), 3 if no answer within --timeout",
            "                       (default 60), 4 if no host is reachable",
            "  --http-port PORT     the Web Console's port on 127.0.0.1 (default 8181, org.osgi.service.http.port;",
            "                       $BGUPDATE_HTTP_PORT)",
            "  -h, --help           print this",
            "",
            "Environment: JAVA_HOME or JAVA (the java to run), JAVA_OPTS (JVM options, -Dkey=value overrides",
            "conf/config.properties).",
            "",
            "Commands piped in (standard input not a terminal) run one a line; their answers are printed, 'exit'",
            "or the end of the input stops the host; the exit status is 1 if one failed.");

    /**
     * @param args the command line
     * @param env the environment, for the directory defaults
     * @param home the host directory, holding {@code etc/}
     * @throws IllegalArgumentException with a one-line message for a bad command line
     */
    static Options parse(String[] args, Map<String, String> env, Path home) {
        boolean untilComplete = false;
        boolean help = false;
        Duration timeout = Duration.ofMinutes(30);
        Duration progress = Duration.ofSeconds(5);
        Path data = dir(env.get("BGUPDATE_DATA_DIR"), Path.of("data"));
        Path log = dir(env.get("BGUPDATE_LOG_DIR"), Path.of("log"));
        Path etc = dir(env.get("BGUPDATE_ETC_DIR"), home.resolve("etc"));
        Path deploy = dir(env.get("BGUPDATE_DEPLOY_DIR"), null);
        String exec = null;
        boolean noShell = false;
        boolean timed = false;
        int httpPort = env.get("BGUPDATE_HTTP_PORT") == null ? 0 : port("BGUPDATE_HTTP_PORT", env.get("BGUPDATE_HTTP_PORT"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--until-complete" -> untilComplete = true;
                case "--timeout" -> {
                    timeout = seconds(a, value(args, ++i, a));
                    timed = true;
                }
                case "--progress" -> progress = seconds(a, value(args, ++i, a));
                case "--data-dir" -> data = Path.of(value(args, ++i, a));
                case "--log-dir" -> log = Path.of(value(args, ++i, a));
                case "--etc" -> etc = Path.of(value(args, ++i, a));
                case "--deploy" -> deploy = Path.of(value(args, ++i, a));
                case "--exec" -> exec = command(value(args, ++i, a));
                case "--no-shell" -> noShell = true;
                case "--http-port" -> httpPort = port(a, value(args, ++i, a));
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
        }
        if (timed && !untilComplete && exec == null) {
            throw new IllegalArgumentException("--timeout needs --until-complete or --exec");
        }
        if ((untilComplete ? 1 : 0) + (exec != null ? 1 : 0) + (noShell ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--until-complete, --exec and --no-shell exclude each other");
        }
        if (exec != null && !timed) {
            timeout = EXEC_TIMEOUT;
        }
        etc = etc.toAbsolutePath().normalize();
        deploy = deploy == null ? etc.resolveSibling("deploy") : deploy.toAbsolutePath().normalize();
        return new Options(untilComplete, timeout, progress, data.toAbsolutePath().normalize(),
                log.toAbsolutePath().normalize(), etc, help, deploy, exec, noShell, httpPort);
    }

    private static String command(String line) {
        if (line.isBlank() || line.contains("\n") || line.contains("\r")) {
            throw new IllegalArgumentException("--exec takes one command line (separate commands with ';'), not '"
                    + line.replaceAll("\\R", "\\\\n") + "'");
        }
        return line.trim();
    }

    private static Path dir(String fromEnv, Path otherwise) {
        return fromEnv == null || fromEnv.isBlank() ? otherwise : Path.of(fromEnv);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String option, String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a TCP port from 1 to 65535, not '" + value + "'");
        }
    }

    private static Duration seconds(String option, String value) {
        try {
            long s = Long.parseLong(value);
            if (s < 1) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number of seconds, at least 1, not '" + value + "'");
        }
    }
}
