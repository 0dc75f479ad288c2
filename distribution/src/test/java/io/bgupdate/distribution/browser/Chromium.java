package io.bgupdate.distribution.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A headless Chromium driven through its DevTools protocol over a WebSocket (the JDK's own
 * client): navigate, evaluate JavaScript in the page, take screenshots. Every call has a
 * deadline; {@link #close} ends the browser and every process it started.
 */
final class Chromium implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * @param executable the chromium binary
     * @param profile an empty directory for the browser's profile
     * @param log where the browser's output goes
     */
    static Chromium start(String executable, Path profile, Path log) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=1280,900", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Chromium c = null;
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IOException("Chromium did not open its DevTools port within 60 s (alive: " + p.isAlive() + "); see " + log);
                }
                Thread.sleep(200);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (JsonElement e : JsonParser.parseString(list).getAsJsonArray()) {
                if ("page".equals(e.getAsJsonObject().get("type").getAsString())) {
                    ws = e.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                    break;
                }
            }
            if (ws == null) {
                throw new IOException("Chromium has no page target: " + list);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(ws), listener).get(20, TimeUnit.SECONDS);
            c = new Chromium(p, socket);
            listener.owner = c;
            return c;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            destroy(p);
            throw new IOException("cannot connect to Chromium's DevTools: " + e, e);
        } finally {
            if (c == null && p.isAlive()) {
                destroy(p);
            }
        }
    }

    /** Calls a DevTools method and waits for its result. */
    JsonObject call(String method, JsonObject params) throws IOException {
        int id = ids.incrementAndGet();
        JsonObject msg = new JsonObject();
        msg.addProperty("id", id);
        msg.addProperty("method", method);
        msg.add("params", params == null ? new JsonObject() : params);
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(msg.toString(), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonObject r = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IOException(method + " failed: " + r.get("error"));
            }
            return r.getAsJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(method + " got no answer within " + CALL_TIMEOUT.toSeconds() + " s: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Sends these headers with every request of the page, such as {@code Authorization}. */
    void headers(Map<String, String> headers) throws IOException {
        call("Network.enable", null);
        JsonObject h = new JsonObject();
        headers.forEach(h::addProperty);
        JsonObject p = new JsonObject();
        p.add("headers", h);
        call("Network.setExtraHTTPHeaders", p);
    }

    void navigate(String url) throws IOException {
        JsonObject p = new JsonObject();
        p.addProperty("url", url);
        JsonObject r = call("Page.navigate", p);
        if (r.has("errorText")) {
            throw new IOException("cannot load " + url + ": " + r.get("errorText"));
        }
    }

    /** @return the value of the expression (awaited if a promise) as a string; "null" for null or undefined */
    String eval(String expression) throws IOException {
        JsonObject p = new JsonObject();
        p.addProperty("expression", expression);
        p.addProperty("returnByValue", true);
        p.addProperty("awaitPromise", true);
        JsonObject r = call("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IOException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        JsonElement v = r.getAsJsonObject("result").get("value");
        return v == null || v.isJsonNull() ? "null" : v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }

    /** Saves a PNG of the whole page. */
    void screenshot(Path file) throws IOException {
        JsonObject p = new JsonObject();
        p.addProperty("format", "png");
        p.addProperty("captureBeyondViewport", true);
        JsonObject r = call("Page.captureScreenshot", p);
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.get("data").getAsString()));
    }

    @Override
    public void close() {
        socket.abort();
        destroy(process);
    }

    private static void destroy(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject msg = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                if (msg.has("id") && owner != null) {
                    CompletableFuture<JsonObject> f = owner.pending.get(msg.get("id").getAsInt());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}
