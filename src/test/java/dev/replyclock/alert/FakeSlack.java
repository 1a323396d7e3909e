package dev.replyclock.alert;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A local fake Slack incoming webhook: records every request body and answers 200 "ok", or what the test queued
 * ({@link #answer}: a status with an optional {@code Retry-After}, or {@link #HANG}).
 */
public final class FakeSlack implements AutoCloseable {

    static final int HANG = -1;

    public record Request(Instant at, String body, int status) {
    }

    private record Answer(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    private volatile boolean down;

    public FakeSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/T000/B000/s3cretWebhookToken", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Answer answer;
            synchronized (this) {
                answer = answers.isEmpty() ? (down ? new Answer(503, null) : new Answer(200, null)) : answers.poll();
                requests.add(new Request(Instant.now(), body, answer.status()));
                notifyAll();
            }
            if (answer.status() == HANG) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            byte[] out = (answer.status() == 200 ? "ok" : "error").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** The webhook URL (its path is the secret part). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/s3cretWebhookToken";
    }

    public synchronized void answer(int status, String retryAfter) {
        answers.add(new Answer(status, retryAfter));
    }

    /** While down, every request gets 503. */
    void down(boolean down) {
        this.down = down;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Bodies of the requests answered 200, in order. */
    synchronized List<String> delivered() {
        return requests.stream().filter(r -> r.status() == 200).map(Request::body).toList();
    }

    /** Waits until {@code count} requests arrived; returns them. */
    public synchronized List<Request> await(int count, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (requests.size() < count && System.currentTimeMillis() < end) {
            wait(Math.max(1, end - System.currentTimeMillis()));
        }
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
