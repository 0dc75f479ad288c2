package io.bgupdate.distribution.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * {@code bin/bgupdate --exec COMMAND}: runs one Gogo command in the host already running on a
 * data directory and exits with its outcome. The host's {@code ExecServer} listens on
 * 127.0.0.1 only and writes its port and a random token to {@value #CREDENTIALS} in the data
 * directory, readable by its owner only; whoever can read that file may run commands.
 *
 * <p>The exchange, in UTF-8 lines: the client sends the token and the command; the host
 * answers {@code 0} (done) or {@code 1} (failed) on a line of its own, then the command's
 * output, and closes; or {@code denied} for a wrong token.
 */
public final class ExecClient {

    /** The credentials file in the data directory: {@code port} and {@code token}, as properties. */
    public static final String CREDENTIALS = "exec.credentials";
    /** The host's answer to a wrong token. */
    public static final String DENIED = "denied";

    private static final int CONNECT_MILLIS = 5_000;

    private ExecClient() {
    }

    /**
     * @return 0 when the command was done, 1 when it failed ({@code error: ...}),
     *         {@link Launcher#TIMED_OUT} without an answer in time, {@link Launcher#UNREACHABLE}
     *         when no host answers
     */
    static int run(Path dataDir, String command, Duration timeout, PrintStream out, PrintStream err) {
        Path file = dataDir.resolve(CREDENTIALS);
        Properties credentials = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            credentials.load(r);
        } catch (NoSuchFileException e) {
            err.println("bgupdate: no host is running on " + dataDir + " (no " + file.getFileName() + " there; see --data-dir)");
            return Launcher.UNREACHABLE;
        } catch (AccessDeniedException e) {
            err.println("bgupdate: cannot read " + file + ": run this as the user who runs the host");
            return Launcher.UNREACHABLE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("bgupdate: cannot read " + file + ": " + e.getMessage());
            return Launcher.UNREACHABLE;
        }
        int port;
        try {
            port = Integer.parseInt(credentials.getProperty("port", "").trim());
        } catch (NumberFormatException e) {
            err.println("bgupdate: " + file + " has no port");
            return Launcher.UNREACHABLE;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_MILLIS);
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            OutputStream o = s.getOutputStream();
            o.write((credentials.getProperty("token", "").trim() + "\n" + command + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            if (DENIED.equals(status)) {
                err.println("bgupdate: the host on port " + port + " refused the token of " + file);
                return Launcher.UNREACHABLE;
            }
            if (!"0".equals(status) && !"1".equals(status)) {
                err.println("bgupdate: the host on port " + port + " gave no answer (it may be stopping)");
                return Launcher.UNREACHABLE;
            }
            PrintStream to = "0".equals(status) ? out : err;
            char[] buf = new char[8192];
            StringBuilder answer = new StringBuilder();
            for (int n; (n = in.read(buf)) >= 0;) {
                answer.append(buf, 0, n);
            }
            to.print(answer);
            to.flush();
            return Integer.parseInt(status);
        } catch (ConnectException e) {
            err.println("bgupdate: no host is listening on 127.0.0.1:" + port + " (" + file + " is left from a host that is gone?)");
            return Launcher.UNREACHABLE;
        } catch (SocketTimeoutException e) {
            err.println("bgupdate: no answer from the host within " + timeout.toSeconds() + " s (see --timeout)");
            return Launcher.TIMED_OUT;
        } catch (IOException e) {
            err.println("bgupdate: talking to the host on 127.0.0.1:" + port + " failed: " + e.getMessage());
            return Launcher.UNREACHABLE;
        }
    }
}
