package dev.replyclock.web;

import dev.replyclock.demo.DemoWorld;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;


/**
 * Takes the README's screenshots of the demo (the audit overview and the wall) with the real browser: a tool,
 * not a test (the pages are tested by BrowserTest and DemoCommandTest).
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.replyclock.web.DemoScreenshots docs/screenshots</pre>
 */
public final class DemoScreenshots {

    public static void main(String[] args) throws Exception {
        Path shots = Files.createDirectories(Path.of(args[0]));
        Path dir = Files.createTempDirectory("replyclock-screenshots");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.replyclock.app.Main", "demo", "--seed", "1",
                "--port", Integer.toString(port), "--speed", "60", "--for", "180s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("demo.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        try (Chromium browser = new Chromium(dir.resolve("profile"))) {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // retry
                }
                Thread.sleep(200);
            }
            Thread.sleep(50_000); // live leads arrive, go at risk and breach (50 demo minutes)
            browser.open(base + "/");
            browser.eval("document.querySelector('input[name=name]').value = '" + DemoWorld.USER + "'");
            browser.eval("document.querySelector('input[name=password]').value = '" + DemoWorld.PASSWORD + "'");
            browser.click("form.login button");
            if (!"/".equals(browser.text("location.pathname"))) {
                throw new IllegalStateException("login failed: " + browser.text("location.pathname"));
            }
            browser.screenshot(shots.resolve("audit-overview.png"));
            browser.open(base + "/teams/sales");
            browser.screenshot(shots.resolve("audit-team.png"));
            browser.open(base + "/reps/" + DemoWorld.SALES.get(0).id());
            browser.screenshot(shots.resolve("audit-rep.png"));
            browser.viewport(1920, 1080); // the office TV
            browser.open(base + "/wall");
            browser.screenshotViewport(shots.resolve("wall.png"));
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
