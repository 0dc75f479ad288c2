package io.bgupdate.distribution.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.IntConsumer;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.bgupdate.distribution.launcher.Launcher;

/**
 * The host with commands piped in ({@code printf 'bgupdate:status\nexit\n' | bin/bgupdate}):
 * once the framework has started, runs standard input line by line as the shell would, prints
 * each answer (errors on standard error), and at {@code exit} or the end of the input hands
 * the launcher exit code 0, or 1 if a command failed. Blank lines and lines starting with
 * {@code #} are skipped. It needs the launcher's exit service of that mode, so it activates
 * nowhere else.
 */
@Component(immediate = true)
public class PipedCommands {

    private static final long START_DEADLINE_MILLIS = 120_000;

    @Reference(target = "(" + Launcher.EXIT_SERVICE + "=" + Launcher.PIPED + ")")
    private IntConsumer exit;

    @Reference
    private CommandProcessor processor;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private volatile boolean stopped;
    private Thread thread;

    @Activate
    void activate(BundleContext context) {
        Bundle framework = context.getBundle(0);
        thread = new Thread(() -> run(framework), "bgupdate-piped-commands");
        thread.setDaemon(true);
        thread.start();
    }

    /** A read of standard input cannot be interrupted: the thread ends with the next line, or with the process. */
    @Deactivate
    void deactivate() throws InterruptedException {
        stopped = true;
        thread.join(1_000);
    }

    private void run(Bundle framework) {
        try {
            long deadline = System.currentTimeMillis() + START_DEADLINE_MILLIS;
            while (framework.getState() != Bundle.ACTIVE && System.currentTimeMillis() < deadline && !stopped) {
                Thread.sleep(50); // the commands of later start levels are not there before
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
            boolean failed = false;
            for (String line; !stopped && (line = in.readLine()) != null;) {
                line = line.strip();
                if (line.equals("exit")) {
                    break;
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Commands.Answer a = Commands.run(processor, line);
                (a.failed() ? err : out).print(a.text());
                failed |= a.failed();
            }
            out.flush();
            exit.accept(failed ? 1 : 0);
        } catch (IOException e) {
            err.println("bgupdate: reading the commands failed: " + e);
            exit.accept(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
