package io.bgupdate.shell.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.UpdateRun;

/**
 * The Gogo commands of scope {@value #SCOPE}: watch and steer the background updates of every
 * database the runner serves, through the {@link BackgroundUpdates} service.
 *
 * <p>Each command returns its text (Gogo prints it) and fails with a {@link CommandError}, one
 * line, before changing anything, when a database, an update or an argument is wrong. Commands
 * without a database act on all of them.
 *
 * <p>{@code start-job} has no method of its name, since a Java name cannot hold a {@code -}:
 * Gogo's {@code Reflective} matches a function to the methods whose lower-cased name is the
 * function's (or {@code get}, {@code is}, {@code set} and it), and to {@code _main}, to which it
 * passes the function's name first. {@link #_main} runs {@code start-job}, and it catches the
 * other functions when their arguments fit none of their methods, to say how to call them; a
 * method of the function's own name always wins over it when the arguments fit, because Gogo
 * ranks a varargs match below any exact one. Gogo's {@code help} lists functions by Java method
 * name, so it cannot describe {@code start-job}: {@code start-job --help} does, and Karaf shows
 * the service's {@code osgi.command.description} for it.
 */
@Component(name = BgUpdateCommands.NAME, service = Object.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + BgUpdateCommands.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=status",
        CommandProcessor.COMMAND_FUNCTION + "=list",
        CommandProcessor.COMMAND_FUNCTION + "=history",
        CommandProcessor.COMMAND_FUNCTION + "=controllers",
        CommandProcessor.COMMAND_FUNCTION + "=pause",
        CommandProcessor.COMMAND_FUNCTION + "=resume",
        CommandProcessor.COMMAND_FUNCTION + "=" + BgUpdateCommands.START_JOB,
        "osgi.command.description=" + BgUpdateCommands.START_JOB_DESCRIPTION })
public class BgUpdateCommands {

    /** The component name. */
    public static final String NAME = "io.bgupdate.shell";

    /** The command scope. */
    public static final String SCOPE = "bgupdate";

    /** The function that queues an update again; see {@link #_main}. */
    public static final String START_JOB = "start-job";

    /** How many rows {@code history} shows unless told. */
    static final String HISTORY_ROWS = "20";

    private static final Map<String, String> USAGE = Map.of(
            "status", "status [database]",
            "list", "list [database]",
            "history", "history [-n rows] [database]",
            "controllers", "controllers",
            "pause", "pause [database]",
            "resume", "resume [database]",
            START_JOB, START_JOB + " <update> [database]");

    /** What {@code start-job} does, for Karaf's command list; Gogo's {@code help} finds only Java method names. */
    static final String START_JOB_DESCRIPTION = "queues a registered update again, from empty progress, to run once more";

    /** {@code start-job --help}, as Gogo's {@code help} would show it. */
    static final String START_JOB_HELP = START_JOB + " - " + START_JOB_DESCRIPTION
            + "\n   scope: " + SCOPE
            + "\n   parameters:"
            + "\n      update     an update whose handler is registered for the database"
            + "\n      database   the database; may be left out when only one is served";

    private final BackgroundUpdates updates;
    private final Tables tables;

    /** @param updates the runner's service */
    @Activate
    public BgUpdateCommands(@Reference(name = "updates") BackgroundUpdates updates) {
        this(updates, Clock.systemDefaultZone());
    }

    BgUpdateCommands(BackgroundUpdates updates, Clock clock) {
        this.updates = updates;
        this.tables = new Tables(clock);
    }

    // ---- watch --------------------------------------------------------------------------------

    @Descriptor("shows each database's state, current update with progress and ETA, items, busy time, speed, controller, faults and errors")
    public String status() {
        return status(all());
    }

    @Descriptor("shows a database's state, current update with progress and ETA, items, busy time, speed, controller, faults and errors")
    public String status(@Descriptor("the database") String database) {
        return status(List.of(known(database, "status")));
    }

    private String status(List<String> databases) {
        return tables.status(statuses(databases));
    }

    @Descriptor("lists each database's queued updates in the order they run, with ordering, dependency and handler")
    public String list() {
        return tables.queue(statuses(all()));
    }

    @Descriptor("lists a database's queued updates in the order they run, with ordering, dependency and handler")
    public String list(@Descriptor("the database") String database) {
        return tables.queue(statuses(List.of(known(database, "list"))));
    }

    @Descriptor("shows the updates that started or completed on each database, newest first")
    public String history(
            @Descriptor("rows to show, 0 for all (default " + HISTORY_ROWS + ")")
            @Parameter(names = { "-n", "--rows" }, absentValue = HISTORY_ROWS) String rows) {
        return history(rows(rows), all());
    }

    @Descriptor("shows the updates that started or completed on a database, newest first")
    public String history(
            @Descriptor("rows to show, 0 for all (default " + HISTORY_ROWS + ")")
            @Parameter(names = { "-n", "--rows" }, absentValue = HISTORY_ROWS) String rows,
            @Descriptor("the database") String database) {
        int limit = rows(rows);
        return history(limit, List.of(known(database, "history")));
    }

    private String history(int limit, List<String> databases) {
        List<UpdateRun> runs = new ArrayList<>();
        databases.forEach(db -> runs.addAll(call(() -> updates.history(db))));
        return tables.history(runs, limit);
    }

    @Descriptor("lists every registered controller with bundle, service id and ranking; * marks the one in force")
    public String controllers() {
        return tables.controllers(call(updates::controllers));
    }

    // ---- steer --------------------------------------------------------------------------------

    @Descriptor("pauses every database: a batch in flight finishes, then nothing runs until resumed, across restarts")
    public String pause() {
        return pause(all());
    }

    @Descriptor("pauses a database: a batch in flight finishes, then nothing runs until resumed, across restarts")
    public String pause(@Descriptor("the database") String database) {
        return pause(List.of(known(database, "pause")));
    }

    private String pause(List<String> databases) {
        return each(databases, updates::pause, "paused");
    }

    @Descriptor("resumes every paused or aborted database")
    public String resume() {
        return resume(all());
    }

    @Descriptor("resumes a paused or aborted database")
    public String resume(@Descriptor("the database") String database) {
        return resume(List.of(known(database, "resume")));
    }

    private String resume(List<String> databases) {
        return each(databases, updates::resume, "resumed");
    }

    /** Does the same to each database, then says what it did and the state each is in now. */
    private String each(List<String> databases, java.util.function.Consumer<String> action, String done) {
        databases.forEach(db -> call(() -> {
            action.accept(db);
            return null;
        }));
        return Tables.done(done, statuses(databases));
    }

    /**
     * Runs {@code start-job}, and explains the usage of a function called with arguments that fit
     * none of its methods. Gogo calls it for any function of this component, with the function's
     * name first.
     *
     * @param function the function called, lower case
     * @param args its arguments
     * @return what {@code start-job} did
     */
    @Descriptor("start-job <update> [database]: queues a registered update again, from empty progress; "
            + "the database may be left out when there is only one")
    public String _main(@Descriptor("the function") String function, @Descriptor("its arguments") String... args) {
        if (START_JOB.equals(function) && args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            return START_JOB_HELP;
        }
        if (!START_JOB.equals(function) || args.length < 1 || args.length > 2) {
            throw usage(function);
        }
        String update = args[0];
        String database = args.length == 2 ? known(args[1], START_JOB) : onlyDatabase();
        call(() -> {
            updates.startJob(update, database);
            return null;
        });
        return Tables.done("queued " + update + " again", statuses(List.of(database)));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private List<String> all() {
        return call(updates::databases);
    }

    private List<DatabaseStatus> statuses(List<String> databases) {
        return databases.stream().map(db -> call(() -> updates.status(db))).toList();
    }

    private String known(String database, String function) {
        if (database != null && database.startsWith("-")) {
            throw new CommandError("unknown option " + database + "; usage: " + SCOPE + ":" + USAGE.get(function));
        }
        List<String> all = all();
        if (database != null && all.contains(database)) {
            return database;
        }
        throw new CommandError("unknown database '" + database + "'; databases: " + (all.isEmpty() ? "none" : String.join(", ", all)));
    }

    private String onlyDatabase() {
        List<String> all = all();
        if (all.size() != 1) {
            throw new CommandError((all.isEmpty() ? "no database is served" : "name the database, one of " + String.join(", ", all))
                    + "; usage: " + SCOPE + ":" + USAGE.get(START_JOB));
        }
        return all.get(0);
    }

    private static int rows(String rows) {
        try {
            int n = Integer.parseInt(String.valueOf(rows).strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new CommandError("-n wants a number of rows, 0 for all, not '" + rows + "'");
    }

    private static CommandError usage(String function) {
        String usage = USAGE.get(function);
        return new CommandError(usage == null ? "no such command: " + SCOPE + ":" + function
                : "wrong arguments; usage: " + SCOPE + ":" + usage);
    }

    /** Runs a call to the service, its argument errors as one line. */
    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (CommandError e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandError(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
