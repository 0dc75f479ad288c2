package io.bgupdate.distribution.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The client's side of --exec against a host that answers as told, refuses, is gone or says nothing. */
public class ExecClientTest {

    private Path dataDir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> received = new ArrayList<>();

    @Before
    public void setUp() throws IOException {
        dataDir = Files.createTempDirectory("exec-client");
    }

    @After
    public void tearDown() throws IOException {
        try (var files = Files.list(dataDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dataDir);
    }

    private int exec(String command, Duration timeout) {
        return ExecClient.run(dataDir, command, timeout, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void credentials(int port, String token) throws IOException {
        Files.writeString(dataDir.resolve(ExecClient.CREDENTIALS), "port=" + port + "\ntoken=" + token + "\n");
    }

    /** A host that reads the token and the command line, then answers what {@code answer} makes of them. */
    private Thread host(ServerSocket server, Function<String, String> answer) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String token = in.readLine();
                received.add(token);
                received.add(in.readLine());
                String a = answer.apply(token);
                if (a != null) {
                    s.getOutputStream().write(a.getBytes(StandardCharsets.UTF_8));
                } else {
                    Thread.sleep(5_000);
                }
            } catch (IOException | InterruptedException e) {
                // the test fails on what the client saw
            }
        }, "fake-host");
        t.start();
        return t;
    }

    @Test
    public void noCredentialsMeansNoHost() {
        assertEquals(Launcher.UNREACHABLE, exec("bgupdate:status", Duration.ofSeconds(5)));
        assertTrue(err.toString(), err.toString().startsWith("bgupdate: no host is running on " + dataDir));
    }

    @Test
    public void aPortNobodyListensOnMeansNoHost() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        credentials(port, "abc");
        assertEquals(Launcher.UNREACHABLE, exec("bgupdate:status", Duration.ofSeconds(5)));
        assertTrue(err.toString(), err.toString().contains("no host is listening on 127.0.0.1:" + port));
    }

    @Test
    public void sendsTokenAndCommandAndPassesOnTheAnswerAndItsStatus() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            credentials(server.getLocalPort(), "abc");
            host(server, token -> "0\nmain  RUNNING\n");
            assertEquals(0, exec("bgupdate:status main", Duration.ofSeconds(30)));
            assertEquals(List.of("abc", "bgupdate:status main"), received);
            assertEquals("main  RUNNING\n", out.toString());
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            credentials(server.getLocalPort(), "abc");
            host(server, token -> "1\nerror: unknown database 'x'\n");
            assertEquals(1, exec("bgupdate:status x", Duration.ofSeconds(30)));
            assertEquals("error: unknown database 'x'\n", err.toString());
        }
    }

    @Test
    public void aRefusedTokenOrASilentHostIsSaidInOneLine() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            credentials(server.getLocalPort(), "forged");
            host(server, token -> ExecClient.DENIED + "\n");
            assertEquals(Launcher.UNREACHABLE, exec("bgupdate:pause", Duration.ofSeconds(30)));
            assertTrue(err.toString(), err.toString().contains("refused the token"));
        }
        err.reset();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            credentials(server.getLocalPort(), "abc");
            host(server, token -> null);
            assertEquals(Launcher.TIMED_OUT, exec("bgupdate:pause", Duration.ofSeconds(1)));
            assertEquals("bgupdate: no answer from the host within 1 s (see --timeout)\n", err.toString());
        }
    }
}
