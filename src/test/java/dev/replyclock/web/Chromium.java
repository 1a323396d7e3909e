package dev.replyclock.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium ({@code /usr/bin/chromium}) driven over the DevTools protocol with the JDK's
 * WebSocket client: navigate, evaluate JavaScript, click, take screenshots.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    public Chromium(Path profile) throws IOException, InterruptedException {
        Files.createDirectories(profile);
        process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=1280,900", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        Instant until = Instant.now().plusSeconds(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (Instant.now().isAfter(until) || !process.isAlive()) {
                throw new IOException("Chromium did not start (see " + profile + ".log)");
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String url = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.get("type").asText())) {
                url = t.get("webSocketDebuggerUrl").asText();
            }
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).join();
        send("Page.enable", JSON.createObjectNode());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(text.toString());
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    // not ours to answer
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).join();
        try {
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + ": " + reply.get("error"));
            }
            return reply.get("result");
        } catch (Exception e) {
            throw new IllegalStateException(method, e);
        }
    }

    /** Evaluates an expression in the page and gives its value (awaits promises). */
    public JsonNode eval(String expression) {
        JsonNode r = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        }
        return r.get("result").get("value");
    }

    public String text(String expression) {
        JsonNode v = eval(expression);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Runs an action that leaves the page (navigation, click, form submission) and waits for the next page. */
    public void leaving(String action) throws InterruptedException {
        eval("window.__replyclockOld = true");
        eval(action);
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(until)) {
            Thread.sleep(50);
            try {
                JsonNode v = eval("window.__replyclockOld === undefined && document.readyState === 'complete'");
                if (v != null && v.asBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the context went away mid-navigation; ask again
            }
        }
        throw new IllegalStateException("no new page after " + action);
    }

    public void open(String url) throws InterruptedException {
        leaving("location.href = " + JSON.valueToTree(url));
    }

    public void click(String selector) throws InterruptedException {
        leaving("document.querySelector(" + JSON.valueToTree(selector) + ").click()");
    }

    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JsonNode r = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /** Sends this header with every request from now on (e.g. a bearer token for a page). */
    public void header(String name, String value) {
        send("Network.enable", JSON.createObjectNode());
        ObjectNode headers = JSON.createObjectNode().put(name, value);
        ObjectNode params = JSON.createObjectNode();
        params.set("headers", headers);
        send("Network.setExtraHTTPHeaders", params);
    }

    /**
     * Asks the wall to fetch its content now and waits (up to 20 s) until it has swapped it in; true when it did.
     * The page is not reloaded: whatever the page held before stays.
     */
    public boolean refreshWall() {
        JsonNode done = eval("new Promise(resolve => { const wall = document.getElementById('wall');"
                + " const before = wall.getAttribute('data-refreshed');"
                + " const o = new MutationObserver(() => { if (wall.getAttribute('data-refreshed') !== before) { o.disconnect(); resolve(true); } });"
                + " o.observe(wall, {attributes: true}); window.replyclockWallRefresh();"
                + " setTimeout(() => { o.disconnect(); resolve(false); }, 20000); })");
        return done != null && done.asBoolean();
    }

    /** Lays the page out as on a screen of this size (CSS pixels). */
    public void viewport(int width, int height) {
        send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** A screenshot of the viewport only (what a screen of that size shows). */
    public void screenshotViewport(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JsonNode r = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.write(file, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /**
     * The WCAG colour-contrast violations axe-core finds on the page (rule {@code color-contrast}: text 4.5:1, large
     * text 3:1), as {@code id: target (contrast)} lines; axe.min.js is injected through the DevTools protocol.
     */
    public java.util.List<String> contrastViolations(Path axe) throws IOException {
        eval(Files.readString(axe) + ";true");
        JsonNode v = eval("axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}}).then(r => r.violations"
                + ".flatMap(x => x.nodes.map(n => x.id + ': ' + n.target.join(' ') + ' (' + n.any.map(a => a.message).join('; ') + ')')))");
        if (!"4".equals(text("axe.version.split('.')[0]"))) {
            throw new IllegalStateException("axe-core did not load: " + text("typeof axe"));
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        v.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
