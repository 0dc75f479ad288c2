package io.bgupdate.distribution.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.distribution.launcher.ExecClient;
import io.bgupdate.distribution.launcher.Launcher;

/**
 * Answers {@code bin/bgupdate --exec COMMAND} ({@link ExecClient}, which describes the
 * exchange): listens on 127.0.0.1 only, on the port of the framework property
 * {@value #PORT} (0, the default: a free one; below 0: not at all), and writes the port and a
 * fresh random token to {@value ExecClient#CREDENTIALS} in the data directory, readable and
 * writable by the owner only, removed when the host stops. Requests are answered one at a
 * time, each command in a Gogo session of its own.
 */
@Component(immediate = true)
public class ExecServer {

    /** Framework property: the port to listen on. */
    static final String PORT = "bgupdate.exec.port";

    private static final Logger LOG = LoggerFactory.getLogger(ExecServer.class);
    private static final int READ_MILLIS = 10_000;
    private static final int MAX_LINE = 65_536;

    @Reference
    private CommandProcessor processor;

    private ServerSocket server;
    private Thread thread;
    private Path file;
    private String token;

    @Activate
    void activate(BundleContext context) throws IOException {
        String dataDir = context.getProperty(Launcher.DATA_DIR);
        String port = context.getProperty(PORT);
        int p;
        try {
            p = port == null || port.isBlank() ? 0 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            LOG.error("No --exec server: {} must be a port number, 0 for a free one or -1 for none, not '{}'", PORT, port);
            return;
        }
        if (dataDir == null || p < 0) {
            LOG.info("No --exec server ({} = {}, {} = {})", Launcher.DATA_DIR, dataDir, PORT, port);
            return;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        server = new ServerSocket(p, 16, InetAddress.getLoopbackAddress());
        file = Path.of(dataDir).resolve(ExecClient.CREDENTIALS);
        writeCredentials(file, "# bin/bgupdate --exec: how to reach the running host. Whoever reads this may run commands in it.\n"
                + "port=" + server.getLocalPort() + "\ntoken=" + token + "\n");
        thread = new Thread(this::serve, "bgupdate-exec");
        thread.setDaemon(true);
        thread.start();
        LOG.info("--exec server on 127.0.0.1:{}, credentials in {}", server.getLocalPort(), file);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Closing the --exec server: {}", e.toString());
        }
        thread.join(5_000);
        try {
            if (Files.readString(file).contains(token)) { // not a newer host's
                Files.delete(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", file, e.toString());
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                answer(s);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("--exec request failed: {}", e.toString());
                }
            } catch (Throwable e) { // whatever a command does, the server goes on
                LOG.error("--exec request failed", e);
            }
        }
    }

    private void answer(Socket s) throws IOException {
        s.setSoTimeout(READ_MILLIS);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream o = s.getOutputStream();
        String given;
        String line;
        try {
            given = readLine(in);
            line = readLine(in);
        } catch (SocketTimeoutException e) {
            return;
        }
        if (given == null || line == null
                || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("--exec request with a wrong token refused");
            o.write((ExecClient.DENIED + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        LOG.info("--exec {}", line);
        Commands.Answer a = Commands.run(processor, line);
        Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
        w.write((a.failed() ? "1" : "0") + "\n" + a.text());
        w.flush();
    }

    /** @return the line, or {@code null} at the end or for a line longer than {@value #MAX_LINE} */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0;) {
            if (c == '\n') {
                return b.toString().strip();
            }
            if (b.length() >= MAX_LINE) {
                return null;
            }
            b.append((char) c);
        }
        return null;
    }

    /** Writes the file with owner-only permissions from the start, then moves it in place. */
    private static void writeCredentials(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
