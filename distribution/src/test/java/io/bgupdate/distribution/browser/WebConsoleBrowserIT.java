package io.bgupdate.distribution.browser;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;

/**
 * The Web Console page "Background updates" in a real headless Chromium, against the real host
 * ({@code target/bgupdate}, started as a process of its own in {@code --until-complete} mode
 * with 20,000 example events and the rate-limit controller at 150 items/s, so the back-fill runs
 * for a while): the page renders the running update's progress and refreshes it by itself; a
 * bad start-job shows a one-line error and changes nothing; Pause pauses the runner (seen in the
 * host's own progress lines, which come from the {@code BackgroundUpdates} service) and Resume
 * resumes it; a cross-site form cannot pause it; requests without credentials, or without the
 * page's token, are refused. A screenshot of the running update is kept in
 * {@code target/browser-it/webconsole.png}.
 *
 * <p>Needs Chromium ({@code apt-get install chromium}; {@code -Dchromium=PATH} for another
 * binary); {@code -Dbrowser.skip=true} skips this test.
 */
public class WebConsoleBrowserIT {

    private static final Duration STEP = Duration.ofSeconds(90);
    private static final Pattern PASSWORD = Pattern.compile("Web Console: (http://\\S+) user (\\S+) password (\\S+) \\(generated");

    private static Path work;
    private static Process host;
    private static Path out;
    private static String url;
    private static String auth;
    private static int port;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static long startNanos;

    @BeforeClass
    public static void startHost() throws Exception {
        startNanos = System.nanoTime();
        Path home = Path.of(System.getProperty("host.dir", "target/bgupdate")).toAbsolutePath();
        work = Path.of(System.getProperty("work.dir", "target/browser-it")).toAbsolutePath();
        deleteTree(work);
        Path etc = work.resolve("etc");
        Files.createDirectories(etc);
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, etc.resolve(f.getFileName()));
            }
        }
        Path examples = etc.resolve("io.bgupdate.examples.cfg");
        Files.writeString(examples, Files.readString(examples).replaceAll("(?m)^rows = .*$", "rows = 20000"));
        Files.writeString(etc.resolve("io.bgupdate.ratelimit.cfg"), "rate = 150\nduty = 1\n", StandardOpenOption.APPEND);
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        out = work.resolve("host-out.txt");
        host = new ProcessBuilder(home.resolve("bin/bgupdate").toString(), "--until-complete", "--timeout", "600", "--progress", "1",
                "--http-port", Integer.toString(port), "--data-dir", work.resolve("data").toString(),
                "--log-dir", work.resolve("log").toString(), "--etc", etc.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Matcher m = waitFor("the host prints the Web Console's URL and generated password", () -> {
            Matcher x = PASSWORD.matcher(Files.readString(out));
            return x.find() ? x : null;
        });
        url = m.group(1);
        assertEquals("http://127.0.0.1:" + port + "/system/console/bgupdate", url);
        auth = "Basic " + Base64.getEncoder().encodeToString((m.group(2) + ":" + m.group(3)).getBytes(StandardCharsets.UTF_8));
        String saved = Files.readString(work.resolve("data/webconsole.properties"));
        assertTrue("the password is saved in the data directory", saved.contains("password=" + m.group(3)));
        waitFor("the password is in the log too", () -> Files.readString(work.resolve("log/bgupdate.log")).contains(m.group(3)) ? true : null);
        waitFor("the back-fill runs, with a known remaining count", () -> {
            HttpResponse<String> r = get(url + "/status.json", auth);
            return r.statusCode() == 200 && r.body().contains("\"main\":\"RUNNING\"") && r.body().contains("aria-valuenow") ? true : null;
        });
    }

    @AfterClass
    public static void stopHost() throws Exception {
        if (host != null) {
            host.destroy(); // SIGTERM: the launcher's shutdown hook stops the framework
            if (!host.waitFor(40, TimeUnit.SECONDS)) {
                host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.out.printf("WebConsoleBrowserIT: %.1f s in all%n", (System.nanoTime() - startNanos) / 1e9);
    }

    @Test
    public void refusesRequestsWithoutCredentialsOrToken() throws Exception {
        assertEquals(401, get(url, null).statusCode());
        assertEquals(401, get(url + "/status.json", null).statusCode());
        assertEquals(401, get(url, "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8))).statusCode());
        assertEquals(401, post("action=pause&database=main", null, null).statusCode());
        HttpResponse<String> noToken = post("action=pause&database=main", auth, null);
        assertEquals(403, noToken.statusCode());
        assertEquals("{\"error\":\"refused: no valid token; reload the page\"}", noToken.body());
        String token = token();
        HttpResponse<String> otherSite = post("action=pause&database=main&token=" + token, auth, "http://evil.example");
        assertEquals(403, otherSite.statusCode());
        assertEquals(405, get(url + "/action.json", auth).statusCode());
        HttpResponse<String> badAction = post("action=drop&database=main&token=" + token, auth, null);
        assertEquals(400, badAction.statusCode());
        assertEquals("{\"error\":\"unknown action 'drop': pause, resume or start-job\"}", badAction.body());
        HttpResponse<String> badDb = post("action=pause&database=nope&token=" + token, auth, null);
        assertEquals(400, badDb.statusCode());
        assertFalse(badDb.body().contains("\\n"));
        assertTrue("nothing was paused", get(url + "/status.json", auth).body().contains("\"main\":\"RUNNING\""));
    }

    @Test
    public void pageShowsProgressAndSteersTheRunner() throws Exception {
        String chromium = System.getProperty("chromium", "");
        if (chromium.isBlank()) {
            chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                    .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                    .orElseThrow(() -> new AssertionError("no Chromium: apt-get install chromium (or -Dchromium=PATH, or -Dbrowser.skip=true)"));
        }
        HttpServer evil = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        evil.createContext("/", x -> {
            byte[] page = ("<html><body><form id=f method=post action='" + url + "/action.json'>"
                    + "<input name=action value=pause><input name=database value=main></form>"
                    + "<script>document.getElementById('f').submit()</script></body></html>").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        evil.start();
        try (Chromium browser = Chromium.start(chromium, work.resolve("chromium-profile"), work.resolve("chromium.log"))) {
            // The browser sends the credentials with every request, as it does once a user has logged in.
            browser.headers(Map.of("Authorization", auth));
            browser.navigate(url);
            waitFor("the page shows main RUNNING with a progress bar",
                    () -> "RUNNING".equals(browser.eval("document.querySelector('#bgu section[data-database=main]')?.dataset.state ?? null"))
                            && !"null".equals(browser.eval("document.querySelector('#bgu .bgu-bar[aria-valuenow]')?.getAttribute('aria-valuenow') ?? null"))
                            ? true : null);
            assertTrue(browser.eval("document.title").contains("Background updates"));
            String update = browser.eval("document.querySelector('#bgu .bgu-current').dataset.update");
            assertEquals("events_sender_domain_backfill", update);
            long items = items(browser);
            waitFor("the page refreshes by itself: more items done, a rate and a percentage", () -> items(browser) > items
                    && browser.eval("document.querySelector('#bgu .bgu-rate').textContent").matches("[0-9,.]+")
                    && Double.parseDouble(browser.eval("document.querySelector('#bgu .bgu-bar').getAttribute('aria-valuenow')")) > 0 ? true : null);
            assertTrue(browser.eval("document.querySelector('#bgu .bgu-controllers .bgu-in-force').textContent").contains("RateLimitController"));
            assertTrue(browser.eval("document.querySelector('#bgu .bgu-queue').textContent").contains("events_sender_domain_index"));
            assertTrue(browser.eval("document.querySelector('#bgu .bgu-history').textContent").contains("RUNNING"));
            browser.screenshot(work.resolve("webconsole.png"));

            // A bad start-job: a one-line error on the page, nothing changed.
            String queue = "[...document.querySelectorAll('#bgu .bgu-queue tbody td:first-child')].map(td => td.textContent).join(' ')";
            String queueBefore = browser.eval(queue);
            assertTrue(queueBefore, queueBefore.startsWith("events_sender_domain_backfill events_sender_domain_index"));
            browser.eval("(() => { const f = document.querySelector('#bgu form.bgu-start');"
                    + " f.querySelector('input[name=update]').value = 'no_such_update'; f.requestSubmit(); return true; })()");
            String error = waitFor("the page shows the error", () -> {
                String t = browser.eval("document.getElementById('bgu-message').textContent");
                return t.startsWith("error:") ? t : null;
            });
            assertTrue(error, error.contains("no_such_update") && !error.contains("\n"));
            assertEquals("bgu-message bgu-failed", browser.eval("document.getElementById('bgu-message').className"));
            assertEquals(queueBefore, browser.eval(queue));
            assertEquals("RUNNING", browser.eval("document.querySelector('#bgu section[data-database=main]').dataset.state"));

            // A form on another site posting to the page with the user's credentials: refused.
            browser.navigate("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            Thread.sleep(3000);
            assertTrue("a cross-site form paused nothing", get(url + "/status.json", auth).body().contains("\"main\":\"RUNNING\""));
            browser.navigate(url);
            waitFor("the page is back", () -> "RUNNING".equals(
                    browser.eval("document.querySelector('#bgu section[data-database=main]')?.dataset.state ?? null")) ? true : null);

            // Pause from the page: the runner is paused (the host's progress lines, from BackgroundUpdates).
            long linesBefore = Files.readAllLines(out).size();
            browser.eval("document.querySelector('#bgu button.bgu-do[data-action=pause]').click()");
            waitFor("the page says paused", () -> "main: paused".equals(browser.eval("document.getElementById('bgu-message').textContent")) ? true : null);
            waitFor("the host reports main DISABLED", () -> Files.readAllLines(out).stream().skip(linesBefore)
                    .anyMatch(l -> l.contains("main DISABLED (paused")) ? true : null);
            waitFor("the page shows DISABLED", () -> "DISABLED".equals(
                    browser.eval("document.querySelector('#bgu section[data-database=main]').dataset.state")) ? true : null);
            long paused = itemsFromServer();
            Thread.sleep(4000);
            assertEquals("no items while paused", paused, itemsFromServer());

            long linesPaused = Files.readAllLines(out).size();
            browser.eval("document.querySelector('#bgu button.bgu-do[data-action=resume]').click()");
            waitFor("the page says resumed", () -> "main: resumed".equals(browser.eval("document.getElementById('bgu-message').textContent")) ? true : null);
            waitFor("the host reports main RUNNING again", () -> Files.readAllLines(out).stream().skip(linesPaused)
                    .anyMatch(l -> l.contains("main RUNNING")) ? true : null);
        } finally {
            evil.stop(0);
        }
    }

    // ---- helpers ----

    private static long items(Chromium browser) throws IOException {
        return Long.parseLong(browser.eval("document.querySelector('#bgu .bgu-items')?.textContent ?? '-1'").replace(",", ""));
    }

    private static long itemsFromServer() throws IOException, InterruptedException {
        String html = JsonParser.parseString(get(url + "/status.json", auth).body()).getAsJsonObject().get("html").getAsString();
        Matcher m = Pattern.compile("bgu-items\">([0-9,]+)<").matcher(html);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    private static String token() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("data-token=\"([^\"]+)\"").matcher(get(url, auth).body());
        assertTrue("the page carries a token", m.find());
        return m.group(1);
    }

    private static HttpResponse<String> get(String u, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(u)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String form, String authorization, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/action.json")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls every 500 ms until the check gives a value, for at most {@link #STEP}; fails with the host's output. */
    private static <T> T waitFor(String what, Callable<T> check) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (host != null && !host.isAlive()) {
                fail(what + ": the host exited with " + host.exitValue() + "\n" + tail());
            }
            try {
                T v = check.call();
                if (v != null) {
                    return v;
                }
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        fail("not within " + STEP.toSeconds() + " s: " + what + (last != null ? " (last error: " + last + ")" : "") + "\n" + tail());
        return null;
    }

    private static String tail() throws IOException {
        if (out == null || !Files.exists(out)) {
            return "";
        }
        var lines = Files.readAllLines(out);
        return "host output (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) {
                Files.delete(p);
            }
        }
    }
}
